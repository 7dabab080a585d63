"""Online payment share (Quyết định 766/QĐ-TTg, criterion «thanh toán trực tuyến», 10 of the
100 points; integrations/data/payment.json "indicator"): of the dossiers received in a period
whose fee is above zero (the fee of the rules they were received under), the share whose fee
was paid online through the national payment platform, per receiving unit. Counted in SQL;
:func:`dossiers_behind` lists the dossiers each number is made of."""

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from dossiers.models import Dossier
from integrations.models import Payment

from .database import report_db


def with_fee(units, start, until):
    """Dossiers received with a fee above zero, annotated ``paid_online`` (also read by the
    QĐ 766 score, reporting/score766)."""
    paid_online = Payment.objects.filter(
        dossier=OuterRef("pk"), channel=Payment.Channel.ONLINE, state__in=Payment.SETTLED
    )
    return (
        Dossier.objects.using(report_db())
        .filter(receiving_unit__in=units, received_at__gte=start, received_at__lt=until)
        .annotate(fee=Coalesce("rules__fee_vnd", "procedure__fee_vnd"))
        .filter(fee__gt=0)
        .annotate(paid_online=Exists(paid_online))
    )


def online_payment_share(units, start, until) -> list[dict]:
    """Per receiving unit: dossiers with a fee, those paid online, the share in % (None when
    the unit had no dossier with a fee: nothing to measure, not a zero)."""
    rows = (
        with_fee(units, start, until)
        .order_by()
        .values("receiving_unit", "receiving_unit__name")
        .annotate(with_fee=Count("pk"), paid_online=Count("pk", filter=Q(paid_online=True)))
        .order_by("receiving_unit__name")
    )
    return [
        {
            "unit_id": r["receiving_unit"],
            "unit": r["receiving_unit__name"],
            "with_fee": r["with_fee"],
            "paid_online": r["paid_online"],
            "share": round(100 * r["paid_online"] / r["with_fee"], 1) if r["with_fee"] else None,
        }
        for r in rows
    ]


def dossiers_behind(units, start, until):
    """The dossiers counted (code, fee, paid online or not), in a fixed number of queries."""
    return (
        with_fee(units, start, until)
        .select_related("procedure", "receiving_unit")
        .order_by("receiving_unit__name", "code")
    )
