"""What the public status page says of a result that goes by post (QĐ 45/2016/QĐ-TTg):
instead of "mời ông/bà đến nhận", where the result is — no address, phone or name, which the
page never shows."""

from django.utils import timezone

from dossiers.workflow import State

from .models import PostalChoice, Shipment

# Only these states concern the post: every other status page runs no query of this module.
CONCERNED = frozenset({State.RESULT_READY, State.RETURNED})
SHIPMENT_FIELDS = ("state", "tracking_code", "status_label", "delivered_at")


def status_line(status):
    """dossiers.hooks.PUBLIC_STATUS_LINES: one query, for a dossier whose result is ready or
    returned; None when its applicant collects at the counter."""
    if status.state not in CONCERNED:
        return None
    found = (
        PostalChoice.objects.filter(dossier__code=status.code, return_by_post=True)
        .values(*(f"dossier__shipment__{name}" for name in SHIPMENT_FIELDS))
        .first()
    )
    if found is None:
        return None
    shipment = {name: found[f"dossier__shipment__{name}"] for name in SHIPMENT_FIELDS}
    return {"text": _text(shipment), "url": "", "label": ""}


def _text(shipment) -> str:
    state = shipment["state"]
    if shipment["delivered_at"]:
        day = timezone.localtime(shipment["delivered_at"]).strftime("%d/%m/%Y")
        return f"Bưu chính đã phát kết quả cho người nhận ngày {day}."
    if state == Shipment.State.SENT:
        where = shipment["status_label"] or "đang vận chuyển"
        return (
            f"Kết quả đã giao cho bưu chính, mã vận đơn {shipment['tracking_code']}: {where}. "
            "Ông/bà không cần đến Bộ phận Một cửa để nhận."
        )
    if state == Shipment.State.REJECTED:
        return (
            "Kết quả chờ gửi qua bưu chính: Bộ phận Một cửa đang kiểm tra lại địa chỉ nhận và sẽ "
            "liên hệ ông/bà."
        )
    if state in (Shipment.State.PENDING, Shipment.State.SENDING):
        return "Kết quả đang được chuyển cho bưu chính để gửi đến địa chỉ ông/bà đã đăng ký."
    return (
        "Ông/bà đã chọn nhận kết quả qua bưu chính: kết quả sẽ được gửi đến địa chỉ đã đăng ký, "
        "không cần đến Bộ phận Một cửa để nhận."
    )
