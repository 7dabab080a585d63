"""Reports across the merge of 1/7/2025 (issue #16 item 4): generated dossiers on the Bắc Yên
district map, the merge replayed by the service, then the Q2 and Q3 2025 reports reconcile for
every successor (its Q3 "carried over" is its predecessors' Q2 "in progress"), the province's
Q3 table is on today's map, and the June 2025 snapshot sent before the merge regenerates
identical after it."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dossiers.demo import load_units
from dossiers.models import Succession, Unit
from dossiers.services.todays_map import apply_todays_map, load_todays_map
from dossiers.workflow import State
from reporting.periods import month, parse_token
from reporting.queries import snapshot_changes
from reporting.services import send_report
from reporting.tables import cell_ids, monthly_table
from tests.factories import DossierFactory, staff

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
Q2, Q3 = parse_token("quarter", "2025-Q2"), parse_token("quarter", "2025-Q3")


def _moment(day, hour=9):
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def _generate(units, rng):
    """Dossiers at the 16 old communes and the district's counter over April–June 2025:
    finished before the merge, still open on 30/6, and finished after it."""
    counters = [u for u in units.values() if u.code.startswith("H50.22") and u.has_counter]
    for _ in range(160):
        unit = rng.choice(counters)
        received = date(2025, 4, 1) + timedelta(days=rng.randrange(88))
        due = _moment(received + timedelta(days=rng.randint(3, 20)), 17)
        fate = rng.choice(["closed", "open", "later"])
        common = {"receiving_unit": unit, "received_at": _moment(received), "due_at": due}
        if fate == "closed":
            DossierFactory(returned=True, **common, finished_at=_moment(received, 15))
        elif fate == "later":
            finished = _moment(date(2025, 7, 1) + timedelta(days=rng.randrange(60)), 10)
            DossierFactory(returned=True, **common, finished_at=finished, returned_at=finished)
        else:
            DossierFactory(state=State.IN_PROGRESS, **common)


def test_q2_and_q3_reconcile_for_every_successor_and_june_regenerates_identical():
    units = load_units()
    load_todays_map()
    _generate(units, random.Random(766))
    district = Unit.objects.get(code="H50.22")
    office = staff(units["H50.22.01"], "district_office")
    june = month(2025, 6)
    sent = send_report(district, june, actor=office, group_by="unit")
    before_q2 = {u: monthly_table(Unit.objects.get(code=u), Q2).total.cells for u in units}
    # What each unit itself received and still had in progress at the end of Q2.
    own = {r.key: r["in_progress"] for r in monthly_table(district, Q2, group_by="unit").rows}

    apply_todays_map()

    # Periods before the merge are reported on the district map exactly as before.
    assert snapshot_changes(sent) == []
    assert cell_ids(district, june, group_by="unit") == sent.dossier_ids
    for code, cells in before_q2.items():
        assert monthly_table(Unit.objects.get(code=code), Q2).total.cells == cells, code
    # Each successor's Q3 starts with what its predecessors had in progress at the end of Q2.
    successors = Unit.objects.filter(takeovers__isnull=False).distinct()
    assert successors.count() == 7  # six communes and the province's office
    for successor in successors:
        predecessors = Succession.objects.filter(successor=successor).values_list(
            "predecessor_id", flat=True
        )
        in_progress = sum(own.get(pk, 0) for pk in predecessors)
        q3 = monthly_table(successor, Q3).total
        assert q3["carried"] == in_progress, successor.name
        assert q3["received"] == q3["finished"] + q3["in_progress"] + q3["withdrawn"]
    # The province's Q3 by unit: today's counters only, the old ones' dossiers in their rows.
    province = monthly_table(Unit.objects.get(code="H50"), Q3, group_by="unit")
    labels = {row.label for row in province.rows}
    assert "UBND xã Tà Xùa" in labels and "UBND xã Háng Đồng" not in labels
    assert "Bộ phận Một cửa huyện Bắc Yên" not in labels
    assert province.total["carried"] == before_q2["H50.22"]["in_progress"] == sum(own.values())
    assert sum(own.values()) > 0
    assert province.unbalanced() == []
