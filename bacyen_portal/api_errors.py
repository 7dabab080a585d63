"""Vietnamese error bodies for the API.

DRF translates most of its own messages (LANGUAGE_CODE = "vi", with the strings its catalogue
lacks in locale/vi); this handler makes sure the ones Django raises (404, 403, a request over a
limit), a body that does not parse, a throttle's wait and anything unexpected also answer in
Vietnamese, in the same ``{"detail": ...}`` shape, and never as an HTML 500 page.
"""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import ParseError, Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.edge import message_for
from core.errors import PortalError

logger = logging.getLogger(__name__)

NOT_FOUND = "Không tìm thấy đối tượng yêu cầu."
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
SERVER_ERROR = "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại hoặc báo quản trị viên."
NOT_PARSED = "Nội dung gửi lên không đọc được: phải là JSON hợp lệ hoặc biểu mẫu đúng định dạng."
THROTTLED = "Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau {wait} giây."


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        return Response({"detail": NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": FORBIDDEN}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, PortalError):  # every app's refusal, in its own words and status
        return Response(exc.body(), status=exc.status)
    if isinstance(exc, SuspiciousOperation):  # a multipart body over one of Django's limits
        return Response({"detail": message_for(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ParseError):
        return Response({"detail": NOT_PARSED}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Throttled):
        wait = int(exc.wait or 60)
        response = Response({"detail": THROTTLED.format(wait=wait)}, status=429)
        response["Retry-After"] = str(wait)
        return response
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response({"detail": SERVER_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return response
