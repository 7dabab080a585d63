"""Control and inspection (``Authorization: Bearer <CONTROL_TOKEN>``): faults, the requests
received, settle a payment without a browser, send a confirmation again, reset."""

import datetime

from django.db import transaction
from django.views.decorators.http import require_GET, require_POST

from counterpart.dvcqg.http import RequestError, answer, control_view, read_json

from . import platform
from .models import Fault, Transaction


@control_view
def faults(request):
    if request.method == "POST":
        data = read_json(request)
        mode, count = data.get("mode", Fault.NONE), data.get("count")
        if mode not in Fault.MODES:
            raise RequestError(f"Chế độ lỗi «{mode}» không có: {', '.join(Fault.MODES)}")
        if count is not None and (not isinstance(count, int) or count < 1):
            raise RequestError("count phải là số nguyên dương hoặc null")
        Fault.objects.update_or_create(pk=1, defaults={"mode": mode, "remaining": count})
    fault = Fault.objects.filter(pk=1).first()
    return answer(
        {"mode": fault.mode if fault else Fault.NONE, "count": fault.remaining if fault else None}
    )


@require_GET
@control_view
def received(request):
    found = Transaction.objects.all()
    if request.GET.get("MaThamChieu"):
        found = found.filter(reference=request.GET["MaThamChieu"])
    return answer(
        [
            {
                "MaThamChieu": t.reference,
                "state": t.state,
                "message": t.message,
                "confirmation": t.confirmation,
                "callback_status": t.callback_status,
                "callback_answer": t.callback_answer,
                "callbacks_sent": t.callbacks_sent,
                "page": f"/payment/trang/{t.token}/",
            }
            for t in found
        ]
    )


def _transaction(data):
    tx = Transaction.objects.filter(reference=str(data.get("MaThamChieu", ""))).first()
    if tx is None:
        raise RequestError("Không có giao dịch với MaThamChieu này")
    return tx


@require_POST
@control_view
def pay(request):
    """``{"MaThamChieu", "paid": true}``: as if the citizen clicked on the payment page."""
    data = read_json(request)
    tx = platform.settle(_transaction(data), paid=data.get("paid", True) is not False)
    return answer(
        {
            "error_code": 0,
            "callback": platform.send_callback(tx),
            "receipt_number": tx.receipt_number,
        }
    )


@require_POST
@control_view
def resend(request):
    """Send the transaction's confirmation again, as it was (a replay)."""
    tx = _transaction(read_json(request))
    if not tx.confirmation:
        raise RequestError("Giao dịch chưa có kết quả")
    return answer({"error_code": 0, "callback": platform.send_callback(tx)})


@require_POST
@control_view
def statement(request):
    """The statement of a day without the partner's signature (for the tests)."""
    day = datetime.date.fromisoformat(str(read_json(request).get("day")))
    return answer(platform.statement(day))


@require_POST
@control_view
def reset(request):
    with transaction.atomic():
        Transaction.objects.all().delete()
        Fault.objects.all().delete()
    return answer({"error_code": 0})
