"""Reads of the reporting app shared by its pages and its API: the dossiers behind a number,
the sent reports a reader may see, and what changed in a sent report since.

The dossiers behind a number are the cell's own condition (tables.conditions) within the
reader's scope (dossiers.queries.scoped_dossiers), so the list has exactly as many rows as the
number clicked."""

from dataclasses import dataclass

from dossiers import queries
from dossiers.models import Field, Procedure, Unit

from . import access
from .database import report_db
from .models import Snapshot
from .periods import Period
from .tables import (
    CELL_LABELS,
    CODES,
    GROUP_LABELS,
    base,
    cell_condition,
    cell_ids,
    group_key,
    report_units,
)

LIST_RELATED = ("procedure", "applicant", "receiving_unit", "current_unit")


def drill_dossiers(user, unit, period, cell, *, group="", key=None):
    db = report_db()
    scope = access.scope(user)
    units = report_units(unit, scope, period)
    qs = base(units, period, held=scope is not None).filter(cell_condition(period, cell))
    if group and key is not None:
        qs = qs.annotate(row_key=group_key(group, period)).filter(row_key=key)
    visible = queries.scoped_dossiers(user).using(db).values("pk")
    return qs.filter(pk__in=visible).select_related(*LIST_RELATED).order_by("-received_at", "-id")


def drill_title(unit, period, cell, group, key):
    title = f"{CELL_LABELS[cell]} · {period.label} · {unit.name}"
    if group and key is not None:
        model = {"field": Field, "unit": Unit, "procedure": Procedure}[group]
        row = model.objects.filter(pk=key).first()
        if row is not None:
            title += f" · {GROUP_LABELS[group]}: {getattr(row, 'name', row)}"
    return title


def sent_snapshots(user):
    """The reports sent by the units the reader may see, newest first."""
    units = queries.scoped_units(user)
    return Snapshot.objects.filter(unit__in=units).select_related("unit", "sent_by")


def sent_snapshot(unit, period, group_by="field"):
    """The report ``unit`` sent for ``period``, or None."""
    return Snapshot.objects.filter(
        unit=unit, period_kind=period.kind, start=period.first, end=period.last, group_by=group_by
    ).first()


@dataclass
class CellChange:
    row: str
    column: str
    sent: int
    now: int
    added: list
    removed: list


def snapshot_changes(snapshot: Snapshot, *, scope=None) -> list[CellChange]:
    """Cells whose number or dossiers differ between the snapshot and the table regenerated
    now; empty when nothing changed."""
    period = Period(snapshot.period_kind, snapshot.start, snapshot.end)
    current = cell_ids(snapshot.unit, period, group_by=snapshot.group_by, scope=scope)
    labels = {str(r["key"]): r["label"] for r in snapshot.rows}
    changes = []
    for key in sorted(set(snapshot.dossier_ids) | set(current)):
        before, after = snapshot.dossier_ids.get(key, {}), current.get(key, {})
        for code in CODES:
            old, new = set(before.get(code, [])), set(after.get(code, []))
            if old != new:
                changes.append(
                    CellChange(
                        labels.get(key, key),
                        code,
                        len(old),
                        len(new),
                        sorted(new - old),
                        sorted(old - new),
                    )
                )
    return changes
