"""Deadlines in sight (issue 21): "còn N ngày làm việc" / "quá hạn N ngày làm việc" counted on
the working calendar, on the dossier page, in the lists and the inbox (sortable), the home tiles
opening the filtered lists — each list page in a fixed number of queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.calendar import WorkingCalendar
from dossiers.deadlines import deadline_of
from dossiers.models import CalendarOverride, Dossier
from dossiers.workflow import State

from .workflow_fixtures import CITIZEN, receive

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _due(dossier, day):
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=datetime.combine(day, datetime.min.time(), tzinfo=VN).replace(hour=9)
    )
    dossier.refresh_from_db()
    return dossier


def test_working_days_left_and_late_skip_weekends_and_holidays(district):
    dossier = receive(district)
    calendar = WorkingCalendar.load()
    thursday = date(2026, 3, 5)
    # Due Tuesday 10/3: Friday 6 and Monday 9 and Tuesday 10 are left.
    assert deadline_of(
        _due(dossier, date(2026, 3, 10)), calendar=calendar, today=thursday
    ).text == ("Còn 3 ngày làm việc")
    assert (
        deadline_of(dossier, calendar=calendar, today=date(2026, 3, 10)).text == "Đến hạn hôm nay"
    )
    late = deadline_of(dossier, calendar=calendar, today=date(2026, 3, 16))  # Mon after
    assert (late.text, late.tone, late.days) == ("Quá hạn 4 ngày làm việc", "late", -4)
    CalendarOverride.objects.create(
        date=date(2026, 3, 12), kind=CalendarOverride.Kind.DAY_OFF, reason="Nghỉ bù"
    )
    again = deadline_of(dossier, calendar=WorkingCalendar.load(), today=date(2026, 3, 16))
    assert again.text == "Quá hạn 3 ngày làm việc"
    services.request_supplement(dossier.pk, actor=district["clerk"], reason="Thiếu bản sao")
    dossier.refresh_from_db()
    assert deadline_of(dossier, calendar=calendar).tone == "paused"


def test_the_page_and_the_lists_show_the_days_and_sort_by_them(
    client, district, django_assert_max_num_queries
):
    today = timezone.localdate()
    late = _due(
        receive(district, applicant={**CITIZEN, "id_number": "014090000101"}),
        today - timedelta(days=10),
    )
    soon = _due(
        receive(district, applicant={**CITIZEN, "id_number": "014090000102"}),
        today + timedelta(days=30),
    )
    client.force_login(district["clerk"])
    page = client.get(f"/ho-so/{late.code}/").content.decode()
    assert 'id="deadline">Quá hạn' in page and "ngày làm việc" in page
    with django_assert_max_num_queries(17):
        listing = client.get("/ho-so/", {"sort": "due"})
    html = listing.content.decode()
    assert html.index(late.code) < html.index(soon.code)
    assert 'aria-sort="ascending"' in html and "Quá hạn" in html and "Còn " in html
    farthest = client.get("/ho-so/", {"sort": "due_last"}).content.decode()
    assert farthest.index(soon.code) < farthest.index(late.code)
    for i in range(10):
        _due(receive(district, applicant={**CITIZEN, "id_number": f"01409000020{i}"}), today)
    with django_assert_max_num_queries(17):
        assert client.get("/ho-so/", {"sort": "due"}).status_code == 200


def test_the_inbox_has_the_column_and_honours_its_sort(
    client, district, django_assert_max_num_queries
):
    today = timezone.localdate()
    first = receive(district, applicant={**CITIZEN, "id_number": "014090000301"})
    second = receive(district, applicant={**CITIZEN, "id_number": "014090000302"})
    for d in (first, second):
        services.assign(d.pk, actor=district["clerk"])
    _due(first, today + timedelta(days=20))
    _due(second, today - timedelta(days=2))
    client.force_login(district["specialist"])
    with django_assert_max_num_queries(12):
        html = client.get("/ho-so/lien-thong/").content.decode()
    assert html.index(second.code) < html.index(first.code)  # nearest due first by default
    assert "Quá hạn" in html and "Còn " in html
    reverse_order = client.get("/ho-so/lien-thong/", {"sort": "due_last"}).content.decode()
    assert reverse_order.index(first.code) < reverse_order.index(second.code)


def test_home_tiles_open_the_filtered_lists(client, district, django_assert_max_num_queries):
    late = _due(receive(district), timezone.localdate() - timedelta(days=5))
    client.force_login(district["clerk"])
    with django_assert_max_num_queries(10):
        html = client.get("/").content.decode()
    assert f'href="/ho-so/?state={State.RECEIVED}"' in html
    assert 'href="/ho-so/?overdue=on&amp;sort=due"' in html
    assert '<span class="state-n">1</span><span class="state-label">Đang quá hạn</span>' in html
    listed = client.get("/ho-so/", {"overdue": "on", "sort": "due"}).content.decode()
    assert late.code in listed
