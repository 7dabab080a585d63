"""Indicators: targets as data (Plan 141, the latest year in force, remote units, levels,
edited by the district office in the admin), and each measure on rows the portal holds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from counter.models import ServiceArea, Ticket
from dossiers import services
from dossiers.models import Rating
from reporting import periods
from reporting.measures import Targets, measure_all
from reporting.models import Target
from reporting.plan141 import load as load_targets
from reporting.roles import grant_report_permissions

from .reporting_fixtures import at

pytestmark = pytest.mark.django_db


def test_targets_in_force_by_year_level_and_remoteness(db):
    load_targets(Target)
    t = Targets()
    assert t.value("result_digitization", "commune", 2021, False) == 15
    assert t.value("result_digitization", "agency", 2022, False) == 40
    assert t.value("productivity", "commune", 2026, True) == 800  # remote commune
    assert t.value("productivity", "commune", 2026, False) == 1200
    assert t.value("online", "district", 2030, False) == 50  # 2023–2025 stays in force
    assert t.value("satisfaction", "district", 2024, False) is None  # the plan sets it for 2025
    assert t.value("waiting_time", "commune", 2022, False) == 30
    assert load_targets(Target) == 0  # loading again changes nothing


def _by_code(measures):
    return {m.code: m for m in measures}


def test_measures_on_known_rows(march):
    load_targets(Target)
    # Electronic transfer: the counter's four hand-overs in March went through the portal;
    # Tư pháp then hands one to TN&MT on paper: the district's rate is 4 of 5.
    services.transfer(
        march["f"].pk,
        actor=march["specialist"],
        to_unit=march["land"],
        electronic=False,
        at=at("03-31", 8),
    )
    district = _by_code(measure_all(march["counter"].parent, periods.month(2025, 3)))
    transfer = district["electronic_transfer"]
    assert (transfer.numerator, transfer.denominator, transfer.met) == (4, 5, True)  # 80% ≥ 80%
    m = _by_code(measure_all(march["counter"], periods.month(2025, 3)))
    assert (m["electronic_transfer"].numerator, m["electronic_transfer"].denominator) == (4, 4)
    assert m["on_time"].value == pytest.approx(66.67)
    assert m["online"].value == 20.0 and m["online"].met is False
    assert m["productivity"].denominator == 1  # one counter clerk
    assert m["productivity"].value == pytest.approx(5 * 365 / 31, abs=0.1)
    assert m["productivity"].target == 1200 and m["productivity"].met is False
    # The digitization app is installed: measured, and nothing of March was scanned or reused
    # (tests/test_digitization_reuse.py measures them on scanned and reused components).
    for code in ("result_digitization", "dossier_digitization"):
        assert m[code].measurable is True and m[code].numerator == 0 and m[code].denominator > 0
    assert (m["reuse"].numerator, m["reuse"].denominator) == (0, 0)


def test_satisfaction_and_waiting_time_this_month(march):
    load_targets(Target)
    Rating.objects.create(dossier=march["a"], score=4, channel="kiosk")
    Rating.objects.create(dossier=march["c"], score=2, channel="web")
    area = ServiceArea.objects.create(unit=march["counter"], letter="A", name="Hộ tịch")
    now = timezone.now()
    for number, wait in ((1, 10), (2, 30)):
        issued = now - timedelta(minutes=40)
        called = issued + timedelta(minutes=wait)
        Ticket.objects.create(
            area=area, day=timezone.localdate(), number=number, issued_at=issued, called_at=called
        )
    m = _by_code(measure_all(march["counter"], periods.current_month()))
    assert m["satisfaction"].value == 50.0 and m["satisfaction"].met is False
    assert m["waiting_time"].value == 20.0 and m["waiting_time"].target == 15
    assert m["waiting_time"].met is False  # lower is better: 20 > 15


def test_district_office_edits_targets_in_the_admin(client, march):
    load_targets(Target)
    office = march["office"]
    office.is_staff = True
    office.save()
    grant_report_permissions()
    client.force_login(office)
    assert client.get("/quan-tri/reporting/target/").status_code == 200
    target = Target.objects.get(indicator="online", year=2023)
    page = client.get(f"/quan-tri/reporting/target/{target.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/quan-tri/reporting/target/{target.pk}/change/",
        {
            "indicator": "online",
            "level_code": "",
            "for_remote_units": "unknown",
            "year": 2023,
            "value": "60",
            "source": target.source,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.value == 60


def test_report_indexes_are_in_place(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'reporting_%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"reporting_dossier_unit_closed", "reporting_dossier_unit_received"} <= names
    assert "reporting_event_closing_v2" not in names  # only the report's old join read it
