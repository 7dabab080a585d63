"""The rows behind a sub-indicator's lost points: its denominator's rows that fail its
numerator's condition (rows.py), within what the reader may open — the dossiers of
dossiers.queries.scoped_dossiers, the PAKN of feedback.queries.scoped_feedback."""

from django.db.models import Q

from dossiers import queries
from feedback.models import Feedback
from feedback.queries import scoped_feedback

from .. import access
from ..database import report_db
from ..errors import ReportError
from ..periods import check_not_future
from . import rules
from .compute import Context
from .rows import ROWS

DOSSIER_RELATED = ("procedure", "applicant", "receiving_unit", "current_unit")


def drillable(code) -> bool:
    """Whether ``code``'s lost points can be listed now: a measured kind of figure, and
    measurable on this instance (DVCQG configured for the sync figure, ...)."""
    if code not in ROWS or "unmeasurable" in rules.item_rule(code):
        return False
    why_not = ROWS[code][1]
    return not (why_not and why_not())


def lost_rows(user, unit, period, code):
    """(kind "dossier" or "feedback", queryset) of the rows that cost ``code`` its points."""
    if not drillable(code):
        raise ReportError(f"Không có chỉ số thành phần «{code}» để xem chi tiết.", field="chi-so")
    check_not_future(period)
    ctx = Context(unit, period, access.scope(user))
    rows, good = ROWS[code][0](ctx)
    lost = rows.filter(~Q(good))
    if rows.model is Feedback:
        visible = scoped_feedback(user).using(report_db()).values("pk")
        return "feedback", lost.filter(pk__in=visible).select_related("unit", "dossier").order_by(
            "due_at", "pk"
        )
    visible = queries.scoped_dossiers(user).using(report_db()).values("pk")
    return "dossier", lost.filter(pk__in=visible).select_related(*DOSSIER_RELATED).order_by(
        "received_at", "pk"
    )
