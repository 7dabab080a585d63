"""The daily reconciliation of fee payments: the platform's statement of the day against the
portal's online payments settled that day; every difference listed (missing on either side,
a different amount, a different state) and stored as that day's row (run again: replaced)."""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from . import payment_messages as messages
from .adapters.payment import platform
from .models import Payment, PaymentReconciliation
from .platforms import PlatformError

KINDS = {
    "missing_on_portal": "Nền tảng có giao dịch thành công, cổng không có",
    "missing_on_platform": "Cổng ghi đã thanh toán, nền tảng không có",
    "amount": "Số tiền khác nhau",
    "state": "Trạng thái khác nhau",
}


def _day_bounds(day):
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    return start, start + timezone.timedelta(days=1)


PLATFORM_STATES = {
    messages.PAID: "Thành công",
    messages.PENDING: "Đang chờ",
    messages.FAILED: "Thất bại",
}


def _portal(payment) -> dict:
    return {
        "amount": payment.amount,
        "state": payment.state,
        "state_label": payment.get_state_display(),
        "receipt": payment.receipt_number,
    }


def _platform(row) -> dict:
    state = str(row.get("TrangThaiGD", ""))
    return {
        "amount": str(row.get("SoTien", "")),
        "state": state,
        "state_label": PLATFORM_STATES.get(state, state),
    }


def differences(statement: list[dict], day) -> tuple[list[dict], int]:
    """The differences of ``day`` and the number of portal payments compared."""
    start, end = _day_bounds(day)
    settled = {
        p.reference: p
        for p in Payment.objects.filter(
            channel=Payment.Channel.ONLINE,
            state__in=Payment.SETTLED,
            paid_at__gte=start,
            paid_at__lt=end,
        )
    }
    listed = {str(r.get("MaThamChieu", "")): r for r in statement}
    others = {
        p.reference: p for p in Payment.objects.filter(reference__in=set(listed) - set(settled))
    }
    found = []

    def add(reference, kind, portal, row):
        found.append(
            {
                "reference": reference,
                "kind": kind,
                "portal": _portal(portal) if portal else None,
                "platform": _platform(row) if row else None,
                "text": KINDS[kind],
            }
        )

    for reference, row in sorted(listed.items()):
        paid_there = str(row.get("TrangThaiGD")) == messages.PAID
        mine = settled.get(reference) or others.get(reference)
        if mine is None:
            if paid_there:
                add(reference, "missing_on_portal", None, row)
            continue
        if paid_there != mine.settled:
            add(reference, "state", mine, row)
        elif mine.settled and str(mine.amount) != str(row.get("SoTien")):
            add(reference, "amount", mine, row)
    for reference, mine in sorted(settled.items()):
        if reference not in listed:
            add(reference, "missing_on_platform", mine, None)
    return found, len(settled)


def reconcile(day) -> PaymentReconciliation:
    """Fetch the platform's statement of ``day``, compare, and store the day's row (one per
    day; a second run replaces the first). A platform that does not answer is recorded as the
    row's error, never raised."""
    try:
        statement, error = platform().statement(day), ""
    except PlatformError as exc:
        statement, error = [], exc.reason
    found, portal_count = differences(statement, day) if not error else ([], 0)
    with transaction.atomic():
        row, _ = PaymentReconciliation.objects.update_or_create(
            day=day,
            defaults={
                "platform_count": len(statement),
                "portal_count": portal_count,
                "differences": found,
                "error": error,
            },
        )
    return row
