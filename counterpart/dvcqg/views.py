"""The platform's API as the portal sees it: LayToken, the integration endpoint (one URL, the
service named in the envelope), and the files of offered dossiers."""

import hmac
import time

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_POST

from . import faults, offers, sync
from .http import (
    SESSION_EXPIRED,
    RequestError,
    answer,
    issue_session,
    json_view,
    read_json,
    session_is_valid,
)
from .models import OfferedFile, Tally


@require_POST
@json_view
def lay_token(request):
    Tally.bump("token_requests")
    data = read_json(request)
    playing = faults.take("LayToken")
    if playing.mode == "error_500":
        return answer({"error_code": -1, "message": "Lỗi hệ thống (mô phỏng)"}, status=500)
    if playing.mode in ("slow", "timeout"):
        time.sleep(playing.delay)
    username, password = str(data.get("username", "")), str(data.get("password", ""))
    if not (
        hmac.compare_digest(username.encode(), settings.DVCQG_USERNAME.encode())
        and hmac.compare_digest(password.encode(), settings.DVCQG_PASSWORD.encode())
    ):
        return answer({"error_code": 1, "message": "Sai tài khoản hoặc mật khẩu"}, status=401)
    session = issue_session()
    return answer({"error_code": 0, "session": session.token, "expires_in": 3600})


@require_POST
@json_view
def integration(request):
    Tally.bump("requests")
    envelope = read_json(request)
    if not session_is_valid(envelope.get("session")):
        return answer(SESSION_EXPIRED, status=401)
    service = str(envelope.get("service") or "")
    if service not in SERVICES:
        raise RequestError(f"Dịch vụ «{service}» không được hỗ trợ")
    playing = faults.take(service)
    if playing.mode == "error_500":
        return answer({"error_code": -1, "message": "Lỗi hệ thống (mô phỏng)"}, status=500)
    if playing.mode == "slow":
        time.sleep(playing.delay)
    response = SERVICES[service](request, service, envelope, playing)
    if playing.mode == "timeout":
        time.sleep(playing.delay)  # after recording: the client gives up, the platform has it
    return response


def _items(envelope):
    data = envelope.get("data")
    if not isinstance(data, list) or not data:
        raise RequestError("Trường data phải là một danh sách có ít nhất một mục")
    return data


def _one_or_many(results):
    if len(results) == 1:
        return answer(results[0])
    return answer({"error_code": 0, "message": "Đã xử lý", "results": results})


def _sync(request, service, envelope, playing):
    items = _items(envelope)
    if service == sync.SYNC and envelope.get("isUpdating", "False") not in ("True", "False"):
        raise RequestError('Trường isUpdating phải là "True" hoặc "False"')
    if not str(envelope.get("madonvi") or "").strip():
        raise RequestError("Trường madonvi: Trường này là bắt buộc.")
    if playing.mode == "reject":
        return _one_or_many([sync.refuse_simulated(service, item) for item in items])
    duplicate_ack = playing.mode == "duplicate_ack"
    return _one_or_many([sync.handle(service, envelope, item, duplicate_ack) for item in items])


def _look_up(request, service, envelope, playing):
    if playing.mode == "reject":
        return answer({"error_code": 2, "message": "Dữ liệu không hợp lệ (mô phỏng)"})
    found = sync.last_dossier(str(envelope.get("mahoso") or ""))
    return answer({"error_code": 0, "result": [found] if found else []})


def _new_dossiers(request, service, envelope, playing):
    if playing.mode == "reject":
        return answer({"error_code": 2, "message": "Dữ liệu không hợp lệ (mô phỏng)"})
    unit = str(envelope.get("madonvi") or "").strip()
    if not unit:
        raise RequestError("Trường madonvi: Trường này là bắt buộc.")
    rendered = [offers.render(dossier, request) for dossier in offers.waiting()]
    return answer({"error_code": 0, "result": rendered})


def _acknowledge(request, service, envelope, playing):
    items = _items(envelope)
    if playing.mode == "reject":
        return answer({"error_code": 2, "message": "Dữ liệu không hợp lệ (mô phỏng)"})
    return _one_or_many([offers.acknowledge(item) for item in items])


SERVICES = {
    sync.SYNC: _sync,
    sync.PROGRESS: _sync,
    "TraCuuHoSo": _look_up,
    "LayDanhSachHoSoMoi": _new_dossiers,
    "XacNhanDaNhanHoSo": _acknowledge,
}


@require_GET
@json_view
def file(request, pk):
    """An offered dossier's file; the session in ?session= or ``Authorization: Bearer``."""
    token = request.GET.get("session") or request.headers.get("Authorization", "").removeprefix(
        "Bearer "
    )
    if not session_is_valid(token.strip()):
        return answer(SESSION_EXPIRED, status=401)
    found = OfferedFile.objects.filter(pk=pk).first()
    if found is None:
        return answer({"error_code": 3, "message": "Không có tệp này"}, status=404)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.pk}"'
    return response
