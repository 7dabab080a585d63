"""The citizen's status page: code + second factor, plain Vietnamese, nothing private,
one neutral message, rate-limited, light."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from dossiers import services
from dossiers.models import Dossier

from .workflow_fixtures import CITIZEN, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/tra-cuu/"


@pytest.fixture
def dossier(district):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    d = receive(district, at=at, applicant={**CITIZEN, "address": "Bản Phiêng Ban, Bắc Yên"})
    services.assign(d.pk, actor=district["clerk"], at=at + timedelta(hours=1))
    reason = "Bổ sung bản sao hợp đồng <b>cũ</b>"
    services.request_supplement(
        d.pk, actor=district["specialist"], reason=reason, at=at + timedelta(hours=2)
    )
    return Dossier.objects.get(pk=d.pk)


def test_code_and_check_code_show_the_status_in_plain_words(client, dossier):
    body = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code}).content.decode()
    assert "Cần bổ sung giấy tờ" in body
    assert dossier.procedure.name in body
    assert "Chuyển đến cơ quan giải quyết: Phòng Tư pháp" in body
    assert "Bổ sung bản sao hợp đồng &lt;b&gt;cũ&lt;/b&gt;" in body  # the reason, escaped
    for private in (
        CITIZEN["id_number"],
        CITIZEN["phone"].replace(" ", ""),
        "Phiêng Ban",
        "Cầm Thị",
    ):
        assert private not in body, private


def test_last_four_phone_digits_work_too_and_lower_case_codes(client, dossier):
    body = client.get(URL, {"ma": dossier.code.lower(), "kt": "5678"}).content.decode()
    assert dossier.code in body and "Các bước đã thực hiện" in body


@pytest.mark.parametrize(
    "params",
    [
        {"ma": "H50.22.02-260302-9999", "kt": "ABCDEF"},  # no such dossier
        {"ma": "WRONG", "kt": "ABCDEF"},  # malformed
        {"ma": "' OR 1=1 --", "kt": "<script>"},  # SQL and HTML
        {"ma": "", "kt": "1234"},
    ],
)
def test_unknown_or_malformed_codes_get_one_neutral_message(client, dossier, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập." in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_a_wrong_factor_says_the_same_as_a_wrong_code(client, dossier):
    wrong_factor = client.get(URL, {"ma": dossier.code, "kt": "0000"}).content.decode()
    wrong_code = client.get(
        URL, {"ma": dossier.code[:-1] + "9", "kt": dossier.check_code}
    ).content.decode()
    strip = lambda html: html.replace(dossier.code, "").replace(dossier.code[:-1] + "9", "")  # noqa: E731
    assert strip(wrong_factor) == strip(wrong_code)


def test_lookups_are_rate_limited_per_client_with_a_clear_message(client, dossier):
    limit = settings.PUBLIC_LOOKUPS_PER_MINUTE
    for i in range(limit):  # codes of no dossier: the client's limit, not a dossier's lock
        assert client.get(URL, {"ma": f"H50.22.02-260101-{i:04d}", "kt": "0000"}).status_code == 200
    blocked = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code})
    assert blocked.status_code == 429
    assert "quá nhiều lần trong một phút" in blocked.content.decode()
    other = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another client is not blocked


def test_the_page_is_light_and_needs_no_script(client, dossier):
    from django.contrib.staticfiles import finders

    html = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code}).content
    css = open(finders.find("css/public.css"), "rb").read()
    assert len(html) + len(css) < 30 * 1024
    assert b"<script" not in html


def test_a_late_extended_dossier_shows_the_apology(client, dossier, district):
    services.supplied(dossier.pk, actor=district["clerk"], at=datetime(2026, 3, 3, 9, 0, tzinfo=VN))
    dossier.refresh_from_db()
    services.extend(
        dossier.pk,
        actor=district["leader"],
        reason="Chờ xác minh của cơ quan thuế",
        new_appointment=dossier.due_at + timedelta(days=5),
    )
    body = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code}).content.decode()
    assert "đã hẹn lại" in body and "Chờ xác minh của cơ quan thuế" in body
    assert "xin lỗi" in body  # due date long past in 2026-03: late


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_status_page_at_phone_width(live_server, browser, district, artifacts_dir):
    d = receive(district)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}{URL}?ma={d.code}&kt={d.check_code}")
    assert page.locator("h1").inner_text() == d.code
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=artifacts_dir / "status-360.png", full_page=True)
    context.close()


def test_the_public_api_answers_the_same_and_is_throttled(client, dossier):
    url = "/api/v1/public/status/"
    body = client.get(url, {"code": dossier.code, "factor": dossier.check_code}).json()
    assert body["state"] == "supplement_requested" and body["steps"][0]["step"] == "Tiếp nhận hồ sơ"
    assert CITIZEN["id_number"] not in str(body) and "applicant" not in body
    missing = client.get(url, {"code": dossier.code, "factor": "0000"})
    assert missing.status_code == 404 and "Không tìm thấy hồ sơ" in missing.json()["detail"]
    for i in range(settings.PUBLIC_LOOKUPS_PER_MINUTE - 1):
        client.get(url, {"code": f"H50.22.02-260101-{i:04d}", "factor": "0000"})
    throttled = client.get(url, {"code": dossier.code, "factor": dossier.check_code})
    assert throttled.status_code == 429 and "quá nhiều lần" in throttled.json()["detail"]


def test_a_lookup_reads_the_dossier_and_its_steps_in_one_prepared_query(
    client, dossier, django_assert_num_queries
):
    # bench/bench_status_page.py: each query is paid per lookup; the statement is prepared
    # once per connection (PostgreSQL plans it in more time than it runs). The one query:
    #  1. SELECT dossiers_dossier by code, with scalar subqueries for the phone's last digits,
    #     the procedure's name, the unit's name/address/phone and the steps (json_agg of
    #     dossiers_dossierevent); no session, user or audit query on the public page.
    with django_assert_num_queries(1):
        body = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code}).content.decode()
    assert "Cần bổ sung giấy tờ" in body and "Chuyển đến cơ quan giải quyết: Phòng Tư pháp" in body
    with django_assert_num_queries(1):
        api = client.get("/api/v1/public/status/", {"code": dossier.code, "factor": "5678"})
    assert api.json()["collect_at"].startswith(dossier.receiving_unit.name)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%dossiers_dossierevent%"],
        )
        assert cursor.fetchone()[0] == 1


def test_every_kind_of_lookup_costs_at_most_one_query_and_only_a_wrong_factor_writes(
    client, dossier, django_assert_num_queries
):
    from django.contrib.sessions.models import Session

    sessions = Session.objects.count()
    for params, queries in (
        ({"ma": dossier.code, "kt": dossier.check_code}, 1),  # found: the status statement
        ({"ma": dossier.code.lower(), "kt": "5678"}, 1),  # found by the phone's digits
        # Wrong factor: the status statement, the dossier's unit, the audit row's INSERT.
        ({"ma": dossier.code, "kt": "0000"}, 3),
        # No such code: the status statement, the (empty) look-up for an audit target.
        ({"ma": dossier.code[:-1] + "9", "kt": dossier.check_code}, 2),
        ({"ma": "' OR 1=1 --", "kt": "<script>"}, 0),  # malformed: no query at all
        ({}, 0),  # the empty form
    ):
        with django_assert_num_queries(queries):
            response = client.get(URL, params)
        assert response.status_code == 200 and not response.cookies
    assert Session.objects.count() == sessions  # no session row for anyone


def test_the_page_says_its_length_so_it_is_not_sent_in_chunks(client, dossier):
    response = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code})
    assert int(response["Content-Length"]) == len(response.content)
    empty = client.get(URL)
    assert int(empty["Content-Length"]) == len(empty.content)


def test_the_orm_path_of_other_databases_reads_the_same(dossier):
    from dossiers.public_lookup import _public_status_orm, public_status

    assert _public_status_orm(dossier.code, "5678") == public_status(dossier.code, "5678")
    assert _public_status_orm(dossier.code, "0000") is None


def test_the_status_page_skips_the_staff_middleware_but_keeps_the_security_headers(client, dossier):
    response = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code})
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert not response.cookies  # no session, no CSRF cookie
    assert response.wsgi_request.resolver_match.url_name == "public-status"
    assert not hasattr(response.wsgi_request, "session")  # the staff middleware never ran


def test_a_post_to_the_status_page_goes_through_the_csrf_check():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, {"ma": "X", "kt": "Y"})
    assert response.status_code == 403


def test_an_unreachable_cache_still_serves_the_page_and_the_limit_counts_per_process(
    client, dossier, caplog
):
    import socket

    from django.test import override_settings

    with socket.socket() as probe:  # a port nothing listens on: connections are refused
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    location = f"redis://127.0.0.1:{dead}/0"
    down = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location},
        "limits": {"BACKEND": "core.cache.LimitsCache", "LOCATION": location},
    }
    limit = settings.PUBLIC_LOOKUPS_PER_MINUTE
    with override_settings(CACHES=down):
        page = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code})
        assert page.status_code == 200 and "Cần bổ sung giấy tờ" in page.content.decode()
        assert "Redis unreachable" in caplog.text
        api = client.get("/api/v1/public/status/", {"code": dossier.code, "factor": "0000"})
        assert api.status_code == 404 and "Không tìm thấy hồ sơ" in api.json()["detail"]
        # Codes of no dossier, each once: the client's limit trips, not a dossier's lock.
        for i in range(limit - 2):
            client.get(URL, {"ma": f"H50.22.02-260101-{i:04d}", "kt": "AAAAAA"})
        blocked = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code})
        assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()


@pytest.fixture
def redis_round_trips(monkeypatch):
    """The round trips to Redis made meanwhile, each as the command names it sent: a command of
    its own, or a pipeline's commands together (bench/bench_status_page.py: under load each
    round trip costs 60–250 µs)."""
    import redis

    trips = []
    command, execute = redis.Redis.execute_command, redis.client.Pipeline.execute

    def one(self, *args, **options):
        trips.append((args[0],))
        return command(self, *args, **options)

    def pipelined(self, *args, **kwargs):
        trips.append(tuple(args[0] for args, _ in self.command_stack))
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", one)
    monkeypatch.setattr(redis.client.Pipeline, "execute", pipelined)
    return trips


def test_a_found_lookup_costs_two_round_trips_to_redis(client, dossier, redis_round_trips):
    params = {"ma": dossier.code, "kt": dossier.check_code}
    client.get(URL, params)  # the first: the Lua script is loaded (SCRIPT LOAD)
    redis_round_trips.clear()
    assert "Cần bổ sung giấy tờ" in client.get(URL, params).content.decode()
    assert redis_round_trips == [
        # One Lua script (core.cache.read_and_count): the dossier's lock read, the client's
        # count (django-ratelimit's counter) and the try's, each made if missing and counted ...
        ("EVALSHA",),
        # ... and the try given back, the factor being right (a Lua script).
        ("EVALSHA",),
    ]


def test_the_view_writes_moments_and_the_link_as_the_template_filters_did(client, dossier):
    from django.template import engines
    from django.utils import timezone

    from dossiers.views.public import _moment

    template = engines["django"].from_string('{{ at|date:"H:i d/m/Y" }}')
    for at in (
        dossier.received_at,
        datetime(2026, 12, 31, 23, 59, tzinfo=ZoneInfo("UTC")),  # the next day in Vietnam
        datetime(2026, 1, 1, 0, 5, tzinfo=VN),
    ):
        assert _moment(at, timezone.get_current_timezone()) == template.render({"at": at})
    assert _moment(None, VN) == ""
    body = client.get(URL, {"ma": dossier.code, "kt": dossier.check_code}).content.decode()
    assert "<dt>Ngày tiếp nhận</dt><dd>09:00 02/03/2026</dd>" in body
    assert "<li><time>09:00 02/03/2026</time> Tiếp nhận hồ sơ</li>" in body
    assert f'<a href="/bo-sung/?ma={dossier.code}">Gửi giấy tờ bổ sung trực tuyến</a>' in body
