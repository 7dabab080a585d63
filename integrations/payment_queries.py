"""Reads of fee payments shared by the citizen's pages, the dossier panel, the public status
page's line and the reconciliation page."""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from dossiers.queries import staff_unit, user_roles
from dossiers.roles import Role
from dossiers.workflow import DROPPED_STATES

from .models import Payment
from .models.payments import money
from .payments import dossier_fee

RECONCILE_ROLES = frozenset({Role.LEADER, Role.DISTRICT_OFFICE, Role.ADMIN})


def fee_view(dossier) -> dict:
    """The dossier's fee, its settled payment (or the latest attempt) and whether it may be
    paid now, for the templates."""
    fee = dossier_fee(dossier)
    rows = list(Payment.objects.filter(dossier=dossier).order_by("-created_at")[:10])
    settled = next((p for p in rows if p.settled), None)
    return {
        "dossier": dossier,
        "fee": fee,
        "fee_text": money(fee) if fee else "",
        "settled": settled,
        "latest": rows[0] if rows else None,
        "payments": rows,
        "payable": fee > 0 and settled is None and dossier.state not in DROPPED_STATES,
        # Online payment is offered only while the platform's address is configured.
        "online": bool(settings.PAYMENT_BASE_URL),
    }


def may_record(user, dossier) -> bool:
    unit = staff_unit(user)
    return bool(
        unit is not None
        and Role.CLERK.value in user_roles(user)
        and unit.pk in (dossier.counter_unit_id, dossier.return_counter_id)
    )


def may_reconcile(user) -> bool:
    return bool({r.value for r in RECONCILE_ROLES} & user_roles(user))


def status_line(status):
    """dossiers.hooks.PUBLIC_STATUS_LINES: the fee's line on the public status page (no query
    for a dossier without a fee; one for the payments of a dossier with one)."""
    if not status.fee_vnd:
        return None
    fee = int(status.fee_vnd)
    paid = (
        Payment.objects.filter(dossier__code=status.code, state__in=Payment.SETTLED)
        .only("amount", "state", "receipt_number")
        .first()
    )
    if paid is not None:
        text = f"Lệ phí {money(paid.amount)}: {paid.get_state_display()}"
        if paid.receipt_number:
            text += f", biên lai số {paid.receipt_number}"
        return {"text": text + ".", "url": "", "label": ""}
    if status.state in DROPPED_STATES:
        return None
    if not settings.PAYMENT_BASE_URL:  # paid at the counter only
        return {"text": f"Lệ phí {money(fee)}: chưa thanh toán.", "url": "", "label": ""}
    url = f"{reverse('payment-pay')}?ma={quote(status.code, safe='/')}"
    return {
        "text": f"Lệ phí {money(fee)}: chưa thanh toán.",
        "url": url,
        "label": "Thanh toán lệ phí",
    }
