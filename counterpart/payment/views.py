"""The platform's API (JSON, signed by the partner) and its payment page (the citizen's)."""

import datetime
import json
from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from counterpart.dvcqg.http import answer, json_view, read_json

from . import platform
from .messages import INIT_ORDER, STATEMENT_ORDER, signed_by_partner
from .models import Transaction

DOWN = {"error_code": "503", "message": "Nền tảng thanh toán tạm ngừng (mô phỏng)"}


@require_POST
@json_view
def init(request):
    if platform.is_down():
        return answer(DOWN, status=503)
    data = read_json(request)
    if not signed_by_partner(data, INIT_ORDER):
        return answer({"error_code": "07", "message": "Sai mã xác thực MaXacThuc"}, status=400)
    try:
        tx = platform.open_request(data, None)
    except platform.RefusedError as error:
        return answer({"error_code": "02", "message": str(error)}, status=400)
    url = request.build_absolute_uri(f"/payment/trang/{tx.token}/")
    return answer({"error_code": "0", "message": json.dumps({"UrlThanhToan": url})})


@require_POST
@json_view
def statement(request):
    if platform.is_down():
        return answer(DOWN, status=503)
    data = read_json(request)
    if not signed_by_partner(data, STATEMENT_ORDER):
        return answer({"error_code": "07", "message": "Sai mã xác thực MaXacThuc"}, status=400)
    try:
        day = datetime.datetime.strptime(str(data.get("NgayDoiSoat")), "%Y%m%d").date()
    except ValueError:
        return answer({"error_code": "02", "message": "NgayDoiSoat phải là yyyyMMdd"}, status=400)
    return answer({"error_code": "0", "data": platform.statement(day)})


@require_http_methods(["GET", "POST"])
def page(request, token):
    """The payment page: the amount and the receipt's details, «Thanh toán» or «Hủy»."""
    tx = Transaction.objects.filter(token=token).first()
    if tx is None:
        raise Http404("Không có giao dịch")
    if request.method == "POST" and tx.state == Transaction.CREATED:
        tx = platform.settle(tx, paid=request.POST.get("action") != "cancel")
        platform.send_callback(tx)
        back = {"MaThamChieu": tx.reference, "MaLoi": tx.confirmation.get("MaLoi", "")}
        if tx.return_url:
            return HttpResponseRedirect(f"{tx.return_url}?{urlencode(back)}")
    receipt = tx.message.get("ThongTinBienLai", {})
    return render(request, "payment/page.html", {"tx": tx, "receipt": receipt})
