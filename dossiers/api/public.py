"""Public API: a dossier's status by code + second factor, and the applicant's satisfaction
rating, with the pages' rules (no login, rate-limited per client, nothing private, one neutral
answer when not found)."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import public_guard, queries
from ..models import Rating
from ..services.rating import rate_dossier
from ..services.stopping import MAX_REASON, request_stop


def refused(guarded):
    """The API's answer to a look-up the guard refused: 404 for a wrong code or factor (one
    neutral message), 429 with Retry-After for a limit or a locked dossier."""
    response = Response({"detail": guarded.error}, status=guarded.status)
    if guarded.retry_after:
        response["Retry-After"] = str(guarded.retry_after)
    return response


ERROR_BODY = inline_serializer(
    "PublicError", {"detail": serializers.CharField(help_text="Thông báo lỗi bằng tiếng Việt.")}
)
STATUS_BODY = inline_serializer(
    "PublicStatus",
    {
        "code": serializers.CharField(),
        "procedure": serializers.CharField(),
        "state": serializers.CharField(),
        "state_label": serializers.CharField(),
        "received_at": serializers.DateTimeField(allow_null=True),
        "appointment_at": serializers.DateTimeField(allow_null=True),
        "returned_at": serializers.DateTimeField(allow_null=True),
        "late": serializers.BooleanField(),
        "extended": serializers.BooleanField(),
        "collect_at": serializers.CharField(),
        "steps": serializers.ListField(child=serializers.DictField()),
    },
)


class PublicStatusView(APIView):
    """Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu (hoặc 4 số cuối điện thoại)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []  # the guard counts, with the pages (dossiers/public_guard.py)

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True, description="Mã hồ sơ"),
            OpenApiParameter(
                "factor", str, required=True, description="Mã tra cứu hoặc 4 số cuối điện thoại"
            ),
        ],
        responses={
            200: STATUS_BODY,
            404: OpenApiResponse(
                ERROR_BODY, description="Không tìm thấy (mã hoặc mã tra cứu sai)."
            ),
            429: OpenApiResponse(
                ERROR_BODY, description="Quá nhiều lần tra cứu, hoặc hồ sơ tạm khóa."
            ),
        },
    )
    def get(self, request):
        guarded = public_guard.look_up(
            request,
            request.query_params.get("code", ""),
            request.query_params.get("factor", ""),
            queries.public_status,
        )
        if guarded.found is None:
            return refused(guarded)
        dossier = guarded.found
        return Response(
            {
                "code": dossier.code,
                "procedure": dossier.procedure,
                "state": dossier.state,
                "state_label": dossier.state_label,
                "received_at": dossier.received_at,
                "appointment_at": dossier.appointment_at,
                "returned_at": dossier.returned_at,
                "late": dossier.late,
                "extended": dossier.was_extended,
                "collect_at": dossier.collect_at,
                "steps": [
                    {"at": at, "step": label, "unit": unit_name, "note": note}
                    for at, label, unit_name, note in dossier.steps
                ],
            }
        )


# The four levels of Quyết định 766/QĐ-TTg, named for API clients; the page posts 4..1.
LEVELS = {
    "very_satisfied": Rating.Score.VERY_SATISFIED,
    "satisfied": Rating.Score.SATISFIED,
    "not_satisfied": Rating.Score.NOT_SATISFIED,
    "very_dissatisfied": Rating.Score.VERY_DISSATISFIED,
}


class RatingInput(serializers.Serializer):
    code = serializers.CharField(
        max_length=40, help_text="Mã hồ sơ in trên Giấy tiếp nhận, VD: H50.22.02-261124-0001."
    )
    factor = serializers.CharField(
        max_length=16,
        help_text="Mã tra cứu in trên Giấy tiếp nhận, hoặc 4 số cuối điện thoại đã đăng ký.",
    )
    level = serializers.ChoiceField(
        choices=[(key, LEVELS[key].label) for key in LEVELS],
        help_text="Mức độ hài lòng: very_satisfied (rất hài lòng), satisfied (hài lòng), "
        "not_satisfied (không hài lòng), very_dissatisfied (rất không hài lòng).",
        error_messages={"invalid_choice": "Chọn một mức độ hài lòng trong danh sách."},
    )
    comment = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        help_text="Góp ý (không bắt buộc, tối đa 2.000 ký tự). Góp ý kèm đánh giá không hài "
        "lòng được chuyển lãnh đạo đơn vị xem xét.",
    )


RATING_BODY = inline_serializer(
    "PublicRatingResult",
    {
        "detail": serializers.CharField(help_text="Lời cảm ơn."),
        "code": serializers.CharField(help_text="Mã hồ sơ đã đánh giá."),
        "level": serializers.CharField(help_text="Mức độ hài lòng đã ghi nhận."),
        "level_label": serializers.CharField(help_text="Tên mức độ bằng tiếng Việt."),
    },
)
NOT_JSON = "Nội dung gửi lên phải là một đối tượng JSON hợp lệ."
# DRF's own messages for these are not translated.
FIELD_ERRORS = {
    "null_characters_not_allowed": "Trường này chứa ký tự không hợp lệ.",
    "surrogate_characters_not_allowed": "Trường này chứa ký tự không hợp lệ.",
    "invalid": "Trường này phải là một chuỗi ký tự.",
}


def validated(serializer_class, request):
    """(the validated data, None) or (None, the 400 answer: the first error in Vietnamese)."""
    try:
        data = serializer_class(data=request.data)
    except ParseError:
        return None, Response({"detail": NOT_JSON}, status=400)
    if data.is_valid():
        return data.validated_data, None
    field, errors = next(iter(data.errors.items()))
    if field == "non_field_errors":  # a JSON array, number or string, not an object
        return None, Response({"detail": NOT_JSON}, status=400)
    message = FIELD_ERRORS.get(getattr(errors[0], "code", ""), str(errors[0]))
    return None, Response({"detail": message, "field": field}, status=400)


THANKS = "Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn."


class PublicRatingView(APIView):
    """Đánh giá mức độ hài lòng với hồ sơ đã trả kết quả, bằng mã hồ sơ và mã tra cứu (hoặc
    4 số cuối điện thoại). Mỗi hồ sơ được đánh giá một lần."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    # The same guard as status look-ups: a factor guessed here is a factor guessed there.
    throttle_classes = []

    @extend_schema(
        operation_id="public_rating_create",
        summary="Đánh giá mức độ hài lòng",
        request=RatingInput,
        responses={
            201: OpenApiResponse(RATING_BODY, description="Đã ghi nhận đánh giá."),
            400: OpenApiResponse(ERROR_BODY, description="Dữ liệu không hợp lệ."),
            404: OpenApiResponse(
                ERROR_BODY, description="Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."
            ),
            409: OpenApiResponse(
                ERROR_BODY, description="Hồ sơ chưa trả kết quả, hoặc đã được đánh giá."
            ),
            429: OpenApiResponse(ERROR_BODY, description="Quá nhiều yêu cầu trong một phút."),
        },
        examples=[
            OpenApiExample(
                "Hài lòng, có góp ý",
                request_only=True,
                value={
                    "code": "H50.22.02-261124-0001",
                    "factor": "7K3QPM",
                    "level": "satisfied",
                    "comment": "Cán bộ hướng dẫn tận tình.",
                },
            )
        ],
    )
    def post(self, request):
        v, error = validated(RatingInput, request)
        if error is not None:
            return error
        guarded = public_guard.look_up(request, v["code"], v["factor"], queries.public_lookup)
        if guarded.found is None:
            return refused(guarded)
        rating = rate_dossier(
            guarded.found,
            score=LEVELS[v["level"]],
            comment=v.get("comment", ""),
            request=request,
        )
        return Response(
            {
                "detail": THANKS,
                "code": rating.dossier.code,
                "level": v["level"],
                "level_label": rating.get_score_display(),
            },
            status=status.HTTP_201_CREATED,
        )


class StopRequestInput(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="Mã hồ sơ in trên Giấy tiếp nhận.")
    factor = serializers.CharField(
        max_length=16,
        help_text="Mã tra cứu in trên Giấy tiếp nhận, hoặc 4 số cuối điện thoại đã đăng ký.",
    )
    reason = serializers.CharField(
        max_length=MAX_REASON,
        trim_whitespace=True,
        help_text=f"Lý do đề nghị dừng giải quyết (tối đa {MAX_REASON} ký tự).",
        error_messages={
            "blank": "Xin ghi lý do đề nghị dừng giải quyết hồ sơ.",
            "required": "Xin ghi lý do đề nghị dừng giải quyết hồ sơ.",
            "max_length": f"Lý do đề nghị dừng giải quyết dài tối đa {MAX_REASON} ký tự.",
        },
    )


STOP_BODY = inline_serializer(
    "PublicStopRequestResult",
    {
        "detail": serializers.CharField(help_text="Xác nhận đã nhận đề nghị."),
        "code": serializers.CharField(help_text="Mã hồ sơ."),
        "requested_at": serializers.DateTimeField(help_text="Thời điểm ghi nhận đề nghị."),
    },
)
STOP_RECEIVED = (
    "Đã nhận đề nghị dừng giải quyết hồ sơ. Bộ phận Một cửa sẽ gửi Thông báo dừng giải "
    "quyết hồ sơ cho ông/bà."
)


class PublicStopRequestView(APIView):
    """Đề nghị dừng giải quyết hồ sơ (Nghị định 118/2025/NĐ-CP) bằng mã hồ sơ và mã tra cứu
    (hoặc 4 số cuối điện thoại), khi hồ sơ chưa có kết quả giải quyết."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []  # the guard counts, with the pages

    @extend_schema(
        operation_id="public_stop_request_create",
        summary="Đề nghị dừng giải quyết hồ sơ",
        request=StopRequestInput,
        responses={
            201: OpenApiResponse(STOP_BODY, description="Đã ghi nhận đề nghị."),
            400: OpenApiResponse(ERROR_BODY, description="Dữ liệu không hợp lệ."),
            404: OpenApiResponse(
                ERROR_BODY, description="Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."
            ),
            409: OpenApiResponse(
                ERROR_BODY,
                description="Hồ sơ đã có kết quả, chưa được tiếp nhận, không còn đang giải "
                "quyết, hoặc đã có đề nghị đang chờ xử lý.",
            ),
            429: OpenApiResponse(ERROR_BODY, description="Quá nhiều yêu cầu trong một phút."),
        },
    )
    def post(self, request):
        v, error = validated(StopRequestInput, request)
        if error is not None:
            return error
        guarded = public_guard.look_up(request, v["code"], v["factor"], queries.public_lookup)
        if guarded.found is None:
            return refused(guarded)
        # A refusal (after a decision, twice, …) reaches the API's one converter of
        # PortalError (bacyen_portal/api_errors.py) with its own status and field.
        event = request_stop(guarded.found.pk, reason=v["reason"], channel="api", request=request)
        return Response(
            {"detail": STOP_RECEIVED, "code": guarded.found.code, "requested_at": event.at},
            status=status.HTTP_201_CREATED,
        )
