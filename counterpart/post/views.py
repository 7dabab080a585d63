"""The counterpart postal service's API (``token`` header) and its public tracking page."""

import hmac
import time

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from counterpart.dvcqg.http import answer, json_view, read_json

from . import orders
from .models import Fault, Order


def _authorised(request) -> bool:
    given = request.headers.get("token", "")
    return hmac.compare_digest(given.encode(), settings.POST_TOKEN.encode())


@require_POST
@json_view
def create_order(request):
    if not _authorised(request):
        return answer({"message": "Sai mã truy cập (token)"}, status=401)
    fault = orders.take_fault()
    if fault is not None and fault.mode == Fault.DOWN:
        return answer({"message": "Hệ thống bưu chính đang bảo trì (mô phỏng)"}, status=503)
    if fault is not None and fault.mode == Fault.REFUSE:
        message = fault.message or "Địa chỉ người nhận không hợp lệ (mô phỏng)"
        return answer({"message": message}, status=400)
    body = read_json(request)
    try:
        order, created = orders.take(body)
    except orders.OrderRefused as refusal:
        return answer({"message": str(refusal)}, status=400)
    if fault is not None and fault.mode == Fault.TIMEOUT:
        time.sleep(fault.delay_seconds)  # the order is taken; the client gives up waiting
    return answer(
        {
            "originalID": f"MYVNP{order.pk:08d}",
            "itemCode": order.item_code,
            "totalFee": 25000,
            "status": 1,
            "duplicate": not created,
        }
    )


@require_POST
@json_view
def tracking(request):
    if not _authorised(request):
        return answer({"message": "Sai mã truy cập (token)"}, status=401)
    code = str(read_json(request).get("itemCode", ""))[:13]
    order = Order.objects.filter(item_code=code).first()
    if order is None:
        return answer({"message": "Không có bưu gửi này"}, status=404)
    return answer({"itemCode": code, "items": orders.journey(order)})


@require_GET
def tracking_page(request):
    code = request.GET.get("ma", "")[:13]
    order = Order.objects.filter(item_code=code).first() if code else None
    steps = orders.journey(order) if order else []
    return render(request, "post/tracking.html", {"code": code, "order": order, "steps": steps})
