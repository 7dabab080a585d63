"""The end-point the national portal pushes dossiers to (``POST
/api/v1/integrations/dvcqg/ho-so/``). No login: the body is signed with the shared secret
(integrations/inbound.py checks it). Refusals answer in the API's one error shape
(bacyen_portal/api_errors.py): ``{"detail": "<Vietnamese>"}`` with 400, 401, 403, 409 or 503."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .inbound import take_in_push

TAKEN_IN = inline_serializer(
    "DvcqgTakenIn",
    {
        "MaHoSoQG": serializers.CharField(),
        "MaHoSo": serializers.CharField(),
        "duplicate": serializers.BooleanField(),
    },
)
ERROR = inline_serializer("DvcqgRefused", {"detail": serializers.CharField()})


class DvcqgPushView(APIView):
    """Nhận hồ sơ công dân nộp trên Cổng Dịch vụ công quốc gia (được ký HMAC-SHA256)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(
        request=None,
        responses={
            201: TAKEN_IN,
            200: OpenApiResponse(TAKEN_IN, description="Đã nhận hồ sơ này trước đó."),
            400: ERROR,
            401: OpenApiResponse(ERROR, description="Thiếu chữ ký, chữ ký sai hoặc quá hạn."),
            403: OpenApiResponse(ERROR, description="Đơn vị nhận không thuộc tỉnh."),
            409: OpenApiResponse(ERROR, description="Yêu cầu bị gửi lại (trùng nonce)."),
        },
    )
    def post(self, request):
        taken = take_in_push(request.body, request.headers, request=request)
        return Response(
            {
                "MaHoSoQG": taken.inbound.national_code,
                "MaHoSo": taken.inbound.dossier.code,
                "duplicate": not taken.created,
            },
            status=status.HTTP_201_CREATED if taken.created else status.HTTP_200_OK,
        )
