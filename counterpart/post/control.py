"""Control endpoints (``Authorization: Bearer <CONTROL_TOKEN>``): faults, the orders taken,
a step of a shipment's journey ("deliver this tracking code now"), pushed to the portal."""

from django.db import transaction
from django.views.decorators.http import require_GET, require_POST

from counterpart.dvcqg.http import RequestError, answer, control_view, read_json

from . import orders
from .models import Fault, Order, Push, Update


@control_view
def fault(request):
    if request.method == "GET":
        return answer(orders.describe_fault())
    data = read_json(request)
    try:
        orders.set_fault(
            data.get("mode", "none"),
            data.get("count"),
            data.get("delay_seconds"),
            str(data.get("message", ""))[:255],
        )
    except (TypeError, ValueError) as error:
        raise RequestError(str(error)) from error
    return answer(orders.describe_fault())


@require_GET
@control_view
def listed(request):
    return answer(
        [
            {
                "saleOrderCode": o.sale_order_code,
                "itemCode": o.item_code,
                "duplicates": o.duplicates,
                "payload": o.payload,
                "journey": orders.journey(o),
            }
            for o in Order.objects.prefetch_related("updates")
        ]
    )


@require_POST
@control_view
def deliver(request):
    """``{"itemCode", "status"?: "14", "note"?, "push"?: true, "url"?, "forge"?}``: record a
    step of the journey (delivered by default) and push it to the portal."""
    data = read_json(request)
    order = Order.objects.filter(item_code=str(data.get("itemCode", ""))[:13]).first()
    if order is None:
        return answer({"message": "Không có bưu gửi này"}, status=404)
    update = None
    if data.get("forge") != "replay":
        try:
            update = orders.advance(order, str(data.get("status", "14")), str(data.get("note", "")))
        except ValueError as error:
            raise RequestError(str(error)) from error
    result = {"itemCode": order.item_code, "step": orders.item(order, update) if update else None}
    if data.get("push", True):
        try:
            result["push"] = orders.push(order, update, data.get("url", ""), data.get("forge", ""))
        except orders.OrderRefused as error:
            return answer({"message": str(error)}, status=409)
    return answer(result)


@require_POST
@control_view
def reset(request):
    with transaction.atomic():
        for model in (Update, Order, Fault, Push):
            model.objects.all().delete()
    return answer({"message": "Đã đặt lại"})
