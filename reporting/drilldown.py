"""The dossiers behind a number of the report: the cell's own condition (tables.conditions),
within the reader's scope (dossiers.queries.scoped_dossiers), so the list has exactly as
many rows as the number clicked."""

from dossiers import queries
from dossiers.models import Field, Procedure, Unit

from . import access
from .database import report_db
from .tables import CELL_LABELS, GROUP_LABELS, GROUPS, base, cell_condition, report_units

LIST_RELATED = ("procedure", "applicant", "receiving_unit", "current_unit")


def drill_dossiers(user, unit, period, cell, *, group="", key=None):
    db = report_db()
    qs = base(report_units(unit, access.scope(user)), period).filter(cell_condition(period, cell))
    if group and key is not None:
        qs = qs.filter(**{GROUPS[group]: key})
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
