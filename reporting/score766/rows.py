"""What each QĐ 766 sub-indicator counts, as a pair: the rows of its denominator (dossiers or
PAKN of a unit's sub-tree in a period) and the condition of its numerator. The score counts
both in one aggregate per sub-indicator (figures.py); the drill-down lists the rows that fail
the condition (lost.py) — one definition for the number and the list behind it.

Where a figure already exists elsewhere in reporting, the pair is that module's own:
the monthly table's cells (on time, online), payment_measures, population_measures,
digitization_measures."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q

from dossiers.models import Dossier, Rating
from feedback.models import Feedback
from integrations.models import DossierSync, NationalMessage

from .. import digitization_measures
from ..database import report_db
from ..payment_measures import with_fee
from ..population_measures import VERIFIED, received
from ..tables import FINISHED, base, cell_condition
from .rules import item_rule

# Cells of the monthly table (tables.conditions): (rows, numerator) of the two figures the
# table already counts.
TABLE_CELLS = {"on_time": ("finished", ("early", "on_time")), "online": ("new", ("new_online",))}


def _between(field, period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.until})


def _received(ctx):
    return received(ctx.units.values("pk"), ctx.period)


def table_cells(ctx, code):
    whole, parts = TABLE_CELLS[code]
    good = Q()
    for part in parts:
        good |= cell_condition(ctx.period, part)
    rows = base(ctx.units, ctx.period, held=ctx.held).filter(cell_condition(ctx.period, whole))
    return rows, good


def sync_realtime(ctx):
    """Received in the period; synced with DVCQG, every message taken within the threshold."""
    minutes = item_rule("sync_realtime")["realtime_minutes"]
    late = NationalMessage.objects.filter(sync=OuterRef("pk")).filter(
        Q(sent_at__isnull=True) | Q(sent_at__gt=F("queued_at") + timedelta(minutes=minutes))
    )
    in_time = DossierSync.objects.filter(
        dossier=OuterRef("pk"), state=DossierSync.State.SYNCED
    ).exclude(Exists(late))
    return _received(ctx), Q(Exists(in_time))


def sync_unmeasurable() -> str:
    if not settings.DVCQG_BASE_URL:
        return "Cổng chưa kết nối Cổng DVCQG (DVCQG_BASE_URL trống): không có trạng thái đồng bộ."
    return ""


def online_payment(ctx):
    return with_fee(ctx.units.values("pk"), ctx.period.start, ctx.period.until), Q(paid_online=True)


def satisfaction_handling(ctx):
    """Finished in the period; not rated unsatisfied (1–2) and without a PAKN about it."""
    unhappy = Rating.objects.filter(dossier=OuterRef("pk"), score__lt=Rating.Score.SATISFIED)
    complained = Feedback.objects.filter(dossier=OuterRef("pk"), received_at__lt=ctx.period.until)
    rows = Dossier.objects.using(report_db()).filter(
        _between("finished_at", ctx.period),
        receiving_unit__in=ctx.units.values("pk"),
        state__in=FINISHED,
    )
    return rows, ~Q(Exists(unhappy)) & ~Q(Exists(complained))


def _feedback(ctx):
    return Feedback.objects.using(report_db()).filter(unit__in=ctx.units.values("pk"))


def pakn_on_time(ctx):
    """PAKN whose answer was due in the period; answered by the deadline."""
    return _feedback(ctx).filter(_between("due_at", ctx.period)), Q(answered_at__lte=F("due_at"))


def pakn_satisfaction(ctx):
    """PAKN answered in the period; neither rated unsatisfied (1–2) nor answered late."""
    unhappy = Q(answer_score__lt=Feedback.Score.SATISFIED) | Q(answered_at__gt=F("due_at"))
    return _feedback(ctx).filter(_between("answered_at", ctx.period)), ~unhappy


def digitization(code):
    def rows(ctx):
        return digitization_measures.ROWS[code](ctx)

    return rows


def digitization_unmeasurable() -> str:
    return "" if digitization_measures.available() else digitization_measures.WAITING


def papers_cut(ctx):
    """Verified with CSDLQG in the period; at least one paper waived thanks to the data."""
    return _received(ctx).filter(VERIFIED), ~Q(population_check__waived=[])


def population_dossiers(ctx):
    return _received(ctx), VERIFIED


def population_procedures(ctx):
    """Received in the period; of a procedure with a verified dossier in the period. The
    figure counts procedures (distinct), the drill-down the dossiers of those not connected."""
    connected = _received(ctx).filter(VERIFIED).values("procedure")
    return _received(ctx), Q(procedure__in=connected)


# code -> (rows(ctx) -> (queryset, numerator condition), why not measurable now -> "" or text,
#          what the figure counts: "pk" or a field counted distinct)
ROWS = {
    "sync_realtime": (sync_realtime, sync_unmeasurable, "pk"),
    "on_time": (lambda ctx: table_cells(ctx, "on_time"), None, "pk"),
    "online": (lambda ctx: table_cells(ctx, "online"), None, "pk"),
    "online_payment": (online_payment, None, "pk"),
    "satisfaction_handling": (satisfaction_handling, None, "pk"),
    "pakn_on_time": (pakn_on_time, None, "pk"),
    "pakn_satisfaction": (pakn_satisfaction, None, "pk"),
    "result_electronic": (
        digitization("result_digitization"),
        digitization_unmeasurable,
        "pk",
    ),
    "components_digitized": (
        digitization("dossier_digitization"),
        digitization_unmeasurable,
        "pk",
    ),
    "reuse": (digitization("reuse"), digitization_unmeasurable, "pk"),
    "papers_cut": (papers_cut, None, "pk"),
    "population_dossiers": (population_dossiers, None, "pk"),
    "population_procedures": (population_procedures, None, "procedure"),
}
