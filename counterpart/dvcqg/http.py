"""The counterpart's HTTP plumbing: JSON in and out, the control token, the sessions."""

import datetime
import hmac
import json
import secrets
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .models import Session

SESSION_SECONDS = 3600
SESSION_EXPIRED = {"error_code": 99, "message": "Phiên làm việc hết hạn"}


class RequestError(Exception):
    """A request the counterpart cannot read: answered 400 with error_code 2."""


def answer(data, status=200):
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def read_json(request) -> dict:
    try:
        data = json.loads(request.body or b"")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RequestError(f"Dữ liệu gửi lên không phải JSON hợp lệ: {error}") from error
    if not isinstance(data, dict):
        raise RequestError("Dữ liệu gửi lên phải là một đối tượng JSON.")
    return data


def json_view(view):
    """csrf-exempt, and a RequestError becomes a 400 with a Vietnamese message."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RequestError as error:
            return answer({"error_code": 2, "message": str(error)}, status=400)

    return wrapped


def control_view(view):
    """A control endpoint: only with ``Authorization: Bearer <CONTROL_TOKEN>``, else 403."""

    @json_view
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), settings.CONTROL_TOKEN.encode()):
            return answer(
                {"error_code": 403, "message": "Không có quyền dùng chức năng điều khiển"},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def issue_session() -> Session:
    return Session.objects.create(
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + datetime.timedelta(seconds=SESSION_SECONDS),
    )


def session_is_valid(token) -> bool:
    return (
        bool(token)
        and Session.objects.filter(token=str(token), expires_at__gt=timezone.now()).exists()
    )
