"""Vietnamese error bodies for the API.

DRF already translates its own messages (LANGUAGE_CODE = "vi"); this handler makes sure the
ones Django raises (404, 403) and anything unexpected also answer in Vietnamese, in the same
``{"detail": ...}`` shape, and never as an HTML 500 page.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

NOT_FOUND = "Không tìm thấy đối tượng yêu cầu."
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
SERVER_ERROR = "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại hoặc báo quản trị viên."


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        return Response({"detail": NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": FORBIDDEN}, status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response({"detail": SERVER_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return response
