"""The live strip of the dashboard and the map's figures (issue #23, items 4 and 5), on the
real PostgreSQL and the Redis cache: each follows a reception, a return, a rating and a PAKN
at its next poll; a poll that finds nothing new is an empty 204; a poll costs a fixed number
of queries; the map page lists every counter in force today and loads nothing from outside."""

import re

import pytest
from django.conf import settings

from dossiers import services
from dossiers.services.rating import rate_at_counter
from reporting import live
from reporting.views_live import level, map_rules

from .factories import UnitFactory, staff
from .feedback_fixtures import pakn
from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db
STRIP = "/bao-cao/truc-tiep/"


def figure(html, name):
    """The first number of the strip's figure ``name`` (data-live="name")."""
    block = re.search(rf'data-live="{name}".*?<dd>(.*?)</dd>', html, re.S)
    assert block, f"no figure {name} in the strip"
    return block[1].strip()


def digest(html):
    return re.search(r"seen=([0-9a-f]{12})", html)[1]


@pytest.fixture
def office(district):
    """The district office: the whole area's dashboard (the province's, on today's map)."""
    return staff(district["counter"].parent, "district_office", username="vanphong")


def poll(client, **params):
    page = client.get(STRIP, params)
    assert page.status_code == 200, page.content[:300]
    return page.content.decode()


def test_the_strip_follows_a_reception_a_return_a_rating_and_a_pakn(client, district, office):
    assert "Redis" in settings.CACHES["default"]["BACKEND"]  # the real shared cache
    client.force_login(office)
    before = poll(client)
    assert figure(before, "received") == "0" and figure(before, "returned") == "0"

    dossier = receive(district)
    after_reception = poll(client)
    assert figure(after_reception, "received") == "1"

    services.assign(dossier.pk, actor=district["clerk"])
    services.propose_result(dossier.pk, actor=district["specialist"])
    services.approve(dossier.pk, actor=district["leader"])
    services.return_result(dossier.pk, actor=district["clerk"])
    after_return = poll(client)
    assert figure(after_return, "returned") == "1"
    assert figure(after_return, "satisfaction") == "—"

    rate_at_counter(dossier.pk, actor=district["clerk"], score=1, comment="Chờ lâu quá")
    after_rating = poll(client)
    assert figure(after_rating, "satisfaction") == "0,0%"

    pakn(unit=district["counter"])
    after_pakn = poll(client)
    assert figure(after_pakn, "pakn") == "1"
    assert "1 đang chờ trả lời" in after_pakn


def test_a_poll_that_finds_nothing_new_is_empty_and_the_next_change_redraws(
    client, district, office
):
    client.force_login(office)
    first = poll(client)
    seen = digest(first)
    unchanged = client.get(STRIP, {"seen": seen})
    assert unchanged.status_code == 204 and unchanged.content == b""
    receive(district)
    changed = client.get(STRIP, {"seen": seen})
    assert changed.status_code == 200 and figure(changed.content.decode(), "received") == "1"
    assert digest(changed.content.decode()) != seen


def test_a_poll_costs_a_fixed_number_of_queries(
    client, district, office, django_assert_max_num_queries
):
    for _ in range(3):
        receive(district)
    client.force_login(office)
    # Computing (a cache miss): session, user, the reader's unit and roles (5), the units
    # in scope (2), the five aggregates grouped by unit, the counters in force, the overdue
    # dossiers the units hold (14); and the month's QĐ 766 score, computed once for the same
    # data version (reporting/score766: at most 13, tests/test_score766.py).
    with django_assert_max_num_queries(14 + 13):
        html = poll(client)
    assert figure(html, "received") == "3"
    # From the cache: only the login and the reader's scope.
    with django_assert_max_num_queries(7):
        poll(client)
    with django_assert_max_num_queries(7):
        assert client.get(STRIP, {"seen": digest(html)}).status_code == 204


def test_an_agency_leader_sees_the_overdue_dossiers_the_agency_holds(client, district):
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"], to_unit=district["justice"])
    type(dossier).objects.filter(pk=dossier.pk).update(due_at="2020-01-01T00:00:00Z")
    client.force_login(district["leader"])  # Phòng Tư pháp: receives nothing itself
    assert figure(poll(client), "overdue") == "1"


def test_the_map_data_lists_the_counters_in_force_with_their_levels(client, district, office):
    ended = UnitFactory(
        code="H50.22.09",
        name="Bộ phận Một cửa cũ",
        parent=district["counter"].parent,
        valid_to="2025-06-30",
        ended_basis="Nghị quyết 1681/NQ-UBTVQH15",
    )
    dossier = receive(district)
    type(dossier).objects.filter(pk=dossier.pk).update(due_at="2020-01-01T00:00:00Z")
    client.force_login(office)
    page = client.get("/bao-cao/ban-do/so-lieu/")
    assert page.status_code == 200
    markers = page.context["markers"]
    codes = [m["code"] for m in markers]
    assert district["counter"].code in codes and ended.code not in codes
    counter = next(m for m in markers if m["code"] == district["counter"].code)
    assert counter["overdue"] == 1 and counter["levels"]["overdue"] == "warn"
    assert counter["levels"]["waiting"] == "none"  # no ticket called today
    html = page.content.decode()
    assert 'id="map-markers"' in html and "lv-warn" in html


def test_levels_follow_the_data_file():
    rules = map_rules()["measures"]
    assert level("satisfaction", rules["satisfaction"]["good"]) == "good"
    assert level("satisfaction", rules["satisfaction"]["bad"] - 0.1) == "bad"
    assert level("waiting", rules["waiting"]["bad"] + 1) == "bad"
    assert level("negative", None) == "none"


def test_the_map_page_loads_only_the_portals_own_files(client, district, office):
    client.force_login(office)
    html = client.get("/bao-cao/ban-do/").content.decode()
    assert "vendor/leaflet/leaflet" in html and "counter-map" in html
    external = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert external == []
    assert "Sơ đồ, không theo vị trí địa lý" in html or "Sơ đồ" in html


def test_the_strip_carries_the_units_766_score_and_its_satisfaction_group(district):
    from reporting import periods, score766  # the score the strip reads, computed apart

    data = live.compute(district["counter"])
    assert set(live.COUNTS) <= set(data["totals"])
    today = periods.today()
    score = score766.score(district["counter"], periods.month(today.year, today.month))
    satisfaction = next(g for g in score.groups if g.code == "hai_long")
    assert data["score"] == {
        "total": score.total,
        "max": score.max,
        "satisfaction": satisfaction.points,
        "satisfaction_max": satisfaction.max_points,
    }
    assert data["score"]["max"] == 100 and data["score"]["satisfaction_max"] > 0


def test_the_stream_sends_the_strip_then_again_after_a_change(client, district, office, settings):
    settings.LIVE_STREAM = True
    client.force_login(office)
    answer = client.get("/bao-cao/truc-tiep/luong/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/event-stream")
    chunks = iter(answer.streaming_content)
    assert next(chunks).decode().startswith("retry:")
    first = next(chunks).decode()
    assert first.startswith("event: live\n") and 'data-live="received"' in first
    html = "\n".join(line[6:] for line in first.splitlines() if line.startswith("data: "))
    assert figure(html, "received") == "0"
    receive(district)
    second = next(chunks).decode()  # the next check of the cache key finds it changed
    html = "\n".join(line[6:] for line in second.splitlines() if line.startswith("data: "))
    assert figure(html, "received") == "1"
    answer.close()


def test_the_map_stream_sends_the_markers(district, office):
    from reporting.live_stream import events  # the generator itself, with a short lifetime

    stream = events(
        district["counter"], None, template="reporting/_map_data.html", markers=True, lifetime=2
    )
    chunks = list(stream)
    live_events = [c for c in chunks if c.startswith("event: live")]
    assert len(live_events) == 1 and 'id="map-markers"' in live_events[0]
    assert district["counter"].code in live_events[0]


def test_a_stream_is_refused_without_the_reader_role(client, district, settings):
    settings.LIVE_STREAM = True
    client.force_login(district["clerk"])
    assert client.get("/bao-cao/truc-tiep/luong/").status_code == 403


def test_no_stream_is_served_while_streams_are_off(client, district, office, settings):
    # A stream would hold a sync worker's slot for minutes: only the gevent unit serves them.
    settings.LIVE_STREAM = False
    client.force_login(office)
    assert client.get("/bao-cao/truc-tiep/luong/").status_code == 404
    assert client.get(STRIP).status_code == 200  # the page polls instead


def test_a_stream_ends_and_asks_the_browser_to_wait_while_the_cache_is_down(
    district, office, settings
):
    from reporting.live_stream import OUTAGE_RETRY_MS, events  # the generator itself

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    chunks = list(events(district["counter"], None, template="reporting/_live.html", lifetime=60))
    assert [c.split("\n")[0] for c in chunks] == [
        "retry: 2000",
        "event: live",
        f"retry: {OUTAGE_RETRY_MS}",
    ]


def test_the_map_follows_the_queue_waiting_time(client, district, office):
    from datetime import timedelta  # the ticket's wait, set back to 40 minutes

    from counter import services as queue
    from counter.models import ServiceArea, Ticket

    area = ServiceArea.objects.create(unit=district["counter"], letter="A", name="Hộ tịch")
    client.force_login(office)

    def counter_row():
        page = client.get("/bao-cao/ban-do/so-lieu/")
        return next(m for m in page.context["markers"] if m["code"] == district["counter"].code)

    assert counter_row()["levels"]["waiting"] == "none"
    ticket = queue.issue_ticket(area.pk)
    Ticket.objects.filter(pk=ticket.pk).update(issued_at=ticket.issued_at - timedelta(minutes=40))
    queue.call_next(area.pk, actor=district["clerk"], desk=1)  # a save: the version moves
    row = counter_row()
    assert row["tickets"] == 1 and row["wait_minutes"] >= 40
    assert row["levels"]["waiting"] == "bad"


def test_the_strip_answers_while_the_cache_is_down(client, district, office, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    receive(district)
    client.force_login(office)
    html = poll(client)
    assert figure(html, "received") == "1"
    assert client.get(STRIP, {"seen": ""}).status_code == 200  # no key: always drawn
