"""Public API: submitting a dossier online with its files (multipart), over the same service
as the page (services/online.py). No login; throttled per client per hour."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers import queries
from dossiers.ratelimit import SubmissionThrottle

from .services.online import submit_with_files


def _text(label, max_length, *, required=True, help_text=""):
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        help_text=help_text or label,
        error_messages={
            "required": f"Thiếu {label.lower()}.",
            "blank": f"Thiếu {label.lower()}.",
            "max_length": f"{label} dài quá {max_length} ký tự.",
            "invalid": f"{label} phải là chuỗi ký tự.",
            "null_characters_not_allowed": f"{label} chứa ký tự không hợp lệ.",
            "surrogate_characters_not_allowed": f"{label} chứa ký tự không hợp lệ.",
        },
    )


class SubmissionInput(serializers.Serializer):
    procedure = _text("Mã thủ tục", 20, help_text="Mã TTHC quốc gia, VD: 2.001008.")
    unit = _text("Mã đơn vị", 32, help_text="Mã Bộ phận Một cửa nhận hồ sơ, VD: H50.22.02.")
    kind = serializers.ChoiceField(
        choices=[("person", "Cá nhân"), ("organisation", "Tổ chức")],
        default="person",
        error_messages={"invalid_choice": "Người nộp là person (cá nhân) hoặc organisation."},
    )
    id_number = _text("Số CCCD / mã số thuế", 20)
    name = _text("Họ tên / tên tổ chức", 200)
    phone = _text("Điện thoại", 20, required=False)
    email = _text("Thư điện tử", 254, required=False)
    address = _text("Địa chỉ", 300, required=False)
    files = serializers.ListField(
        child=serializers.FileField(
            allow_empty_file=False,
            error_messages={
                "empty": "Có tệp rỗng.",
                "invalid": "Tệp gửi lên không hợp lệ.",
                "no_name": "Tệp gửi lên không có tên.",
                "max_length": "Tên tệp quá dài.",
            },
        ),
        allow_empty=False,
        help_text="Các tệp giấy tờ (PDF, JPEG, PNG, TIFF), lặp lại trường files cho mỗi tệp.",
        error_messages={"empty": "Chưa gửi tệp nào.", "not_a_list": "files phải là danh sách tệp."},
    )
    components = serializers.ListField(
        child=serializers.IntegerField(
            min_value=1,
            error_messages={
                "invalid": "components phải là số thứ tự.",
                "min_value": "components bắt đầu từ 1.",
            },
        ),
        help_text="Với mỗi tệp (cùng thứ tự với files): vị trí của thành phần hồ sơ trong danh "
        "sách components của thủ tục (GET /api/v1/procedures/), tính từ 1.",
        error_messages={
            "empty": "Thiếu components.",
            "not_a_list": "components phải là danh sách.",
        },
    )
    token = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Khóa chống nộp trùng: gửi lại cùng khóa thì nhận lại hồ sơ đã nộp.",
    )


SUBMISSION_BODY = inline_serializer(
    "PublicSubmissionResult",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="Mã hồ sơ."),
        "check_code": serializers.CharField(help_text="Mã tra cứu (yếu tố thứ hai)."),
        "state": serializers.CharField(help_text="submitted: chờ cán bộ tiếp nhận."),
        "files": serializers.ListField(child=serializers.CharField()),
    },
)
ERROR_BODY = inline_serializer(
    "PublicSubmissionError",
    {
        "detail": serializers.CharField(help_text="Thông báo lỗi bằng tiếng Việt."),
        "field": serializers.CharField(required=False),
        "refused": serializers.ListField(child=serializers.DictField(), required=False),
    },
)
SUBMITTED = (
    "Đã nộp hồ sơ. Cán bộ Bộ phận Một cửa sẽ kiểm tra; thời hạn giải quyết được tính từ khi hồ "
    "sơ được tiếp nhận."
)


class PublicSubmissionView(APIView):
    """Nộp hồ sơ trực tuyến kèm tệp giấy tờ (multipart/form-data)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [SubmissionThrottle]  # the page's counter too

    @extend_schema(
        operation_id="public_submission_create",
        summary="Nộp hồ sơ trực tuyến",
        request={"multipart/form-data": SubmissionInput},
        responses={
            201: OpenApiResponse(SUBMISSION_BODY, description="Đã nộp: mã hồ sơ, mã tra cứu."),
            400: OpenApiResponse(ERROR_BODY, description="Dữ liệu hoặc tệp không hợp lệ."),
            404: OpenApiResponse(ERROR_BODY, description="Không có thủ tục trực tuyến / đơn vị."),
            429: OpenApiResponse(ERROR_BODY, description="Quá nhiều hồ sơ trong một giờ."),
        },
        examples=[
            OpenApiExample(
                "Hai tệp cho thành phần 1 và 2",
                request_only=True,
                value={
                    "procedure": "2.001008",
                    "unit": "H50.22.02",
                    "id_number": "014090001234",
                    "name": "Lò Văn Sinh",
                    "phone": "0912345678",
                    "files": ["(tệp)", "(tệp)"],
                    "components": [1, 2],
                },
            )
        ],
    )
    def post(self, request):
        try:
            data = SubmissionInput(data=request.data)
            valid = data.is_valid()
        except ParseError:
            return Response({"detail": "Nội dung gửi lên không đọc được."}, status=400)
        if not valid:
            field, errors = next(iter(data.errors.items()))
            message = errors[0] if isinstance(errors, list) else next(iter(errors.values()))[0]
            return Response({"detail": str(message), "field": field}, status=400)
        v = data.validated_data
        procedure = queries.online_procedures().filter(national_code=v["procedure"]).first()
        if procedure is None:
            return Response({"detail": "Không có thủ tục trực tuyến với mã này."}, status=404)
        unit = next((u for u in queries.receiving_units(procedure) if u.code == v["unit"]), None)
        if unit is None:
            return Response(
                {"detail": "Đơn vị này không nhận thủ tục trực tuyến này.", "field": "unit"},
                status=404,
            )
        files, error = _files_by_component(procedure, v["files"], v["components"])
        if error:
            return Response({"detail": error, "field": "components"}, status=400)
        applicant = {
            k: v.get(k, "") for k in ("kind", "id_number", "name", "phone", "email", "address")
        }
        dossier, result = submit_with_files(
            procedure=procedure,
            unit=unit,
            applicant=applicant,
            files=files,
            idempotency_key=v.get("token") or None,
            request=request,
        )
        return Response(
            {
                "detail": SUBMITTED,
                "code": dossier.code,
                "check_code": dossier.check_code,
                "state": dossier.state,
                "files": [f.original_name for f in result.files],
            },
            status=status.HTTP_201_CREATED,
        )


def _files_by_component(procedure, files, positions):
    """{ProcedureComponent id: [files]} from the parallel lists; (None, message) if wrong."""
    if len(files) != len(positions):
        return None, "Số phần tử của components phải bằng số tệp trong files."
    catalogue = list(procedure.components.all())
    grouped = {}
    for upload, position in zip(files, positions, strict=True):
        if position > len(catalogue):
            return None, f"Thủ tục này chỉ có {len(catalogue)} thành phần hồ sơ."
        grouped.setdefault(catalogue[position - 1].pk, []).append(upload)
    return grouped, None
