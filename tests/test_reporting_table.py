"""The monthly report table: known cells on a known month, zeros for an empty month, one SQL
aggregate, and reconciliation over the generated demo district for every unit and field."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier, Field, Succession, Unit
from reporting import periods
from reporting.tables import CODES, base, cell_condition, cell_ids, monthly_table

pytestmark = pytest.mark.django_db


def _row(table, field_name):
    return next(r for r in table.rows if r.label == field_name)


def test_march_cells_are_the_known_ones(march):
    table = monthly_table(march["counter"], periods.month(2025, 3))
    row = _row(table, march["procedure"].field.name)
    assert row.cells == {
        "carried": 1,
        "new_online": 1,
        "new_direct": 4,
        "early": 1,
        "on_time": 1,
        "late": 1,
        "within": 1,
        "overdue": 1,
        "withdrawn": 1,
        "stopped": 0,
        "received": 6,
        "new": 5,
        "finished": 3,
        "in_progress": 2,
    }
    assert table.unbalanced() == []
    april = _row(monthly_table(march["counter"], periods.month(2025, 4)), row.label)
    assert april["carried"] == row["in_progress"] == 2
    assert (april["late"], april["overdue"], april["new"]) == (1, 1, 0)


def test_each_cell_lists_the_dossiers_behind_it(march):
    period = periods.month(2025, 3)
    ids = cell_ids(march["counter"], period)
    cells = ids[str(march["procedure"].field_id)]
    by_code = {
        k: set(Dossier.objects.filter(pk__in=v).values_list("code", flat=True))
        for k, v in cells.items()
    }
    assert by_code["carried"] == {march["a"].code}
    assert by_code["late"] == {march["c"].code}
    assert by_code["overdue"] == {march["d"].code}
    assert by_code["withdrawn"] == {march["e"].code}
    units = Unit.objects.filter(path__startswith=march["counter"].path)
    behind = base(units, period).filter(cell_condition(period, "in_progress"))
    assert set(behind.values_list("pk", flat=True)) == {march["d"].pk, march["f"].pk}


def test_the_table_is_one_aggregate_query(march):
    with CaptureQueriesContext(connection) as queries:
        monthly_table(march["counter"].parent, periods.month(2025, 3), group_by="unit")
    dossier_queries = [q["sql"] for q in queries if "dossiers_dossier" in q["sql"]]
    assert len(dossier_queries) == 1, dossier_queries
    assert "FILTER (WHERE" in dossier_queries[0] and "COUNT(" in dossier_queries[0]


def test_an_empty_month_is_a_complete_table_of_zeros(march):
    Field.objects.create(code="DD", name="Đất đai")
    table = monthly_table(march["counter"], periods.month(2024, 1))
    assert {r.label for r in table.rows} == {"Hộ tịch", "Đất đai"}
    assert all(r[c] == 0 for r in table.rows for c in CODES)
    assert table.total["received"] == 0


@pytest.mark.django_db
def test_demo_district_reconciles_for_every_unit_field_and_month(db):
    from dossiers.demo import load_demo

    load_demo()
    # The counters that received something (the other communes of the province are empty).
    counters = list(
        Unit.objects.filter(has_counter=True, received_dossiers__isnull=False).distinct()
    )
    # A successor carries over what it and the units it took over had in progress.
    taken_over = {}
    for s in Succession.objects.all():
        taken_over.setdefault(s.successor_id, []).append((s.predecessor, s.date))
    first = Dossier.objects.exclude(received_at=None).order_by("received_at").first().received_at
    month = periods.month(first.year, first.month)
    checked = 0
    while month.complete:
        following = month.shifted(1)
        for unit in counters:
            table, after = monthly_table(unit, month), monthly_table(unit, following)
            assert table.unbalanced() == [], (unit.code, month.label)
            merged = [  # what each predecessor itself received (not its sub-tree)
                monthly_table(old, month, where=Q(receiving_unit=old))
                for old, day in taken_over.get(unit.pk, [])
                if following.first <= day <= following.last
            ]
            for i, (row, next_row) in enumerate(zip(table.rows, after.rows, strict=True)):
                expected = row["in_progress"] + sum(t.rows[i]["in_progress"] for t in merged)
                assert expected == next_row["carried"], (unit.code, month, row.label)
                checked += row["received"]
        month = following
    total = Dossier.objects.exclude(received_at=None).count()
    assert checked >= total  # every received dossier was counted at least once


def test_compiled_query_and_orm_query_agree(march):
    from reporting.tables import _aggregate, _run_compiled, report_units

    for month in (periods.month(2025, 2), periods.month(2025, 3), periods.month(2025, 4)):
        for group_by in ("field", "unit", "procedure"):
            unit = march["counter"].parent
            orm = {r.pop("key"): r for r in _aggregate(report_units(unit), month, group_by)}
            assert _run_compiled(group_by, unit, month) == orm, (month.label, group_by)
