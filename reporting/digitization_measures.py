"""The three indicators that read the digitization app (Nghị định 45/2020): result
digitization, dossier digitization, reuse of the applicant's stored documents.

They need ``digitization.models`` ScannedFile, SignedCopy and ReuseChoice. Until those tables
exist each indicator is reported as not measurable ("chưa đo được") with the reason, never
as a zero that would read as a missed target.
"""

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q

from dossiers.models import Dossier, DossierComponent

from .database import report_db
from .indicators import INDICATORS

WAITING = "Phân hệ số hóa chưa có dữ liệu về bản quét, bản ký số, tái sử dụng."


def _model(name):
    try:
        return apps.get_model("digitization", name)
    except LookupError:
        return None


def available() -> bool:
    return all(_model(n) is not None for n in ("ScannedFile", "SignedCopy", "ReuseChoice"))


def _not_measurable(code):
    from .measures import Measure  # here: measures.py imports this module

    info = INDICATORS[code]
    return Measure(code, info.name, info.unit, measurable=False, note=WAITING)


def _ratio(code, qs, numerator_condition):
    from .measures import _ratio as ratio  # here: measures.py imports this module

    counts = qs.aggregate(
        all=_count(),
        good=_count(numerator_condition),
    )
    return ratio(code, counts["good"], counts["all"])


def _count(condition=None):
    return Count("pk", filter=condition) if condition is not None else Count("pk")


def _dossiers(ctx):
    return Dossier.objects.using(report_db()).filter(receiving_unit__in=ctx.units.values("pk"))


def result_rows(ctx):
    """(finished in the period, condition: its result is digitized and signed)."""
    scanned = _model("ScannedFile")
    signed_result = scanned.objects.filter(
        dossier=OuterRef("pk"), role="result", state="done", signed_copy__isnull=False
    )
    finished = _dossiers(ctx).filter(
        state__in=("result_ready", "returned", "archived"),
        finished_at__gte=ctx.period.start,
        finished_at__lt=ctx.period.until,
    )
    return finished, Q(Exists(signed_result))


def component_rows(ctx):
    """(received in the period, condition: every paper component digitized). A component
    reused from the applicant's store came in electronically: nothing to scan."""
    scanned = _model("ScannedFile")
    done = scanned.objects.filter(component=OuterRef("pk"), state="done")
    reused = _model("ReuseChoice").objects.filter(component=OuterRef("pk"), reused=True)
    missing = (
        DossierComponent.objects.filter(dossier=OuterRef("pk"), received=True)
        .exclude(Exists(done))
        .exclude(Exists(reused))
    )
    received = _dossiers(ctx).filter(
        received_at__gte=ctx.period.start, received_at__lt=ctx.period.until
    )
    return received, ~Q(Exists(missing))


def reuse_rows(ctx):
    """(received with ≥ 1 reusable document offered, condition: the paper was not asked)."""
    choice = _model("ReuseChoice")
    offered = choice.objects.filter(dossier=OuterRef("pk"), document__isnull=False)
    reused = offered.filter(reused=True)
    received = _dossiers(ctx).filter(
        Exists(offered), received_at__gte=ctx.period.start, received_at__lt=ctx.period.until
    )
    return received, Q(Exists(reused))


# Indicator code -> the rows it counts and the condition of its numerator; the QĐ 766 score
# (reporting/score766) reads the same pairs, so a rate and its lost dossiers never disagree.
ROWS = {
    "result_digitization": result_rows,
    "dossier_digitization": component_rows,
    "reuse": reuse_rows,
}


def _measure(code, ctx):
    if not available():
        return _not_measurable(code)
    rows, condition = ROWS[code](ctx)
    return _ratio(code, rows, condition)


def result_digitization(ctx):
    """Finished in the period whose result is digitized and signed / finished in the period."""
    return _measure("result_digitization", ctx)


def dossier_digitization(ctx):
    """Received in the period whose paper components are all digitized / received."""
    return _measure("dossier_digitization", ctx)


def reuse(ctx):
    """Received with ≥ 1 reusable document offered where the paper was not asked again /
    received with ≥ 1 such document offered."""
    return _measure("reuse", ctx)
