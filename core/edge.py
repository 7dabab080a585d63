"""The edge: what no page or API view should ever see, refused with a Vietnamese 400 before
it reaches them — and the one wording of every refusal of a malformed request.

:class:`EdgeMiddleware` runs first. It refuses an unknown ``Host`` on every path (the public
pages that skip the staff middleware included), control characters (NUL and the other C0
characters but tab and line breaks, and DEL) in the path, the query string and a form or JSON
body, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, and JSON nested deeper than
:data:`JSON_MAX_DEPTH`, which is measured before anything parses it. A NUL reaching PostgreSQL
was a 500; a deep JSON body was a RecursionError in the parser.

Limits met later, while a view parses a multipart body (too many fields or files, fields too
large), raise Django's SuspiciousOperation subclasses: :func:`message_for` names the limit,
for the pages' 400 handler (dossiers.views.base.bad_request) and the API's exception handler.
"""

import re
from urllib.parse import unquote_plus

import numpy as np
from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponse, JsonResponse
from django.template.loader import get_template
from django.utils.formats import number_format

JSON_MAX_DEPTH = 64
# C0 controls but tab, line feed and carriage return; DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters written as JSON escapes (\u0000 …), after an even run of backslashes.
JSON_CONTROL = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")
JSON_ESCAPE = re.compile(rb"\\.", re.DOTALL)
JSON_STRING = re.compile(rb'"[^"]*"')
IDENTITY = bytes.maketrans(b"", b"")
NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))

HOST = "Tên miền trong yêu cầu không phải của cổng này."
CONTROL_CHARACTERS = (
    "Yêu cầu chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL). Xin kiểm tra lại địa chỉ "
    "hoặc nội dung đã nhập."
)
DEEP_JSON = f"Nội dung JSON lồng nhau quá {JSON_MAX_DEPTH} cấp, vượt giới hạn cho phép."
MALFORMED = "Dữ liệu gửi lên không đúng định dạng."


def _megabytes(size):
    return number_format(size / (1024 * 1024), 1, force_grouping=True)


def message_for(exc) -> str:
    """The Vietnamese reason for a request Django refused while reading it."""
    if isinstance(exc, DisallowedHost):
        return HOST
    if isinstance(exc, RequestDataTooBig):
        return (
            f"Dữ liệu gửi lên (không kể tệp đính kèm) vượt quá "
            f"{_megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} MB cho phép."
        )
    if isinstance(exc, TooManyFieldsSent):
        limit = number_format(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, force_grouping=True)
        return f"Yêu cầu có quá {limit} trường dữ liệu, vượt giới hạn cho phép."
    if isinstance(exc, TooManyFilesSent):
        limit = number_format(settings.DATA_UPLOAD_MAX_NUMBER_FILES, force_grouping=True)
        return f"Mỗi lần gửi được tối đa {limit} tệp; xin chia thành nhiều lần gửi."
    return MALFORMED


def refuse(request, message, status=400):
    """A refusal in the shape the caller reads: JSON under /api/, the error page elsewhere
    (rendered without the request: nothing of the staff middleware has run)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    page = get_template("error.html").render({"title": "Yêu cầu không hợp lệ", "message": message})
    return HttpResponse(page, status=status)


def json_depth(body: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, without parsing it, in linear time:
    escapes, then strings are removed, and the running sum of the brackets left (+1 opening,
    -1 closing) peaks at the depth."""
    text = JSON_STRING.sub(b"", JSON_ESCAPE.sub(b"", body))
    brackets = np.frombuffer(text.translate(IDENTITY, NOT_BRACKETS), dtype=np.uint8)
    if not brackets.size:
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def _body_problem(request):
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    if not (is_json or content_type == "application/x-www-form-urlencoded"):
        return None  # multipart: Django's own limits while the view parses (message_for)
    body = request.body  # RequestDataTooBig past DATA_UPLOAD_MAX_MEMORY_SIZE
    if is_json:
        if JSON_CONTROL.search(body) or CONTROL.search(body.decode("utf-8", "replace")):
            return CONTROL_CHARACTERS
        if json_depth(body) > JSON_MAX_DEPTH:
            return DEEP_JSON
    elif CONTROL.search(unquote_plus(body.decode("latin-1"), encoding="utf-8")):
        return CONTROL_CHARACTERS
    return None


class EdgeMiddleware:
    """First in ``settings.MIDDLEWARE``: refuses what :mod:`core.edge` says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
            problem = None
            if CONTROL.search(request.path_info) or CONTROL.search(
                unquote_plus(request.META.get("QUERY_STRING", ""))
            ):
                problem = CONTROL_CHARACTERS
            elif request.method not in ("GET", "HEAD", "OPTIONS"):
                problem = _body_problem(request)
        except SuspiciousOperation as exc:
            problem = message_for(exc)
        if problem is not None:
            return refuse(request, problem)
        return self.get_response(request)
