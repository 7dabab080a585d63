"""Dossiers over the API: list and filter (scoped), retrieve, receive, each action as a POST,
the history, and the printed forms as PDF — all over the same services and queries as the
pages."""

from functools import partial

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.files import file_response

from .. import queries, services
from ..models import Dossier, DossierEvent, Procedure, Unit
from ..pagination import CountedPaginator
from ..services.access import log_access
from ..services.forms import open_form, open_register
from ..validators import DOSSIER_CODE
from ..workflow import ACTIONS, allowed_actions
from .filters import DossierFilterSerializer


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    from_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DossierEvent
        fields = [
            "action",
            "from_state",
            "to_state",
            "at",
            "actor",
            "from_unit",
            "to_unit",
            "step_due_at",
            "on_time",
            "electronic",
            "note",
        ]

    def get_actor(self, event) -> str:
        user = event.actor
        return f"{user.last_name} {user.first_name}".strip() or user.username if user else ""


class DossierSerializer(serializers.ModelSerializer):
    procedure = serializers.SlugRelatedField(slug_field="national_code", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    applicant = serializers.CharField(source="applicant.name", read_only=True)
    receiving_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "procedure_name",
            "applicant",
            "receiving_unit",
            "current_unit",
            "state",
            "state_label",
            "channel",
            "received_at",
            "due_at",
            "appointment_at",
            "step_due_at",
            "finished_at",
            "returned_at",
            "was_extended",
        ]


class DossierDetailSerializer(DossierSerializer):
    competent_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    return_unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, source="return_counter"
    )
    components = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    forms = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "competent_unit",
            "return_unit",
            "components",
            "events",
            "allowed_actions",
            "forms",
        ]

    def get_components(self, dossier) -> list[dict]:
        return [
            {"name": c.name, "form": c.form, "copies": c.copies, "received": c.received}
            for c in dossier.components.all()
        ]

    def get_allowed_actions(self, dossier) -> list[dict]:
        user = self.context["request"].user
        unit = queries.staff_unit(user)
        actions = allowed_actions(dossier, roles=queries.user_roles(user), unit_id=unit and unit.pk)
        return [{"code": a.code, "label": a.label, "needs_reason": a.needs_reason} for a in actions]

    def get_forms(self, dossier) -> list[dict]:
        return [
            {
                "kind": f.kind,
                "code": f.code,
                "basis": f.basis,
                "title": f.label,
                "issued_at": f.issued_at,
            }
            for f in dossier.printed_forms.all()
        ]


class ComponentInput(serializers.Serializer):
    component = serializers.IntegerField(label="mã thành phần (id)")
    copies = serializers.IntegerField(min_value=1, max_value=99, default=1)
    received = serializers.BooleanField(default=True)


class ApplicantInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "organisation"], default="person")
    id_number = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class ReceiveInput(serializers.Serializer):
    procedure = serializers.SlugRelatedField(
        slug_field="national_code", queryset=Procedure.objects.filter(is_active=True)
    )
    applicant = ApplicantInput()
    components = ComponentInput(many=True)
    channel = serializers.ChoiceField(choices=["direct", "post"], default="direct")
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    competent_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        required=False,
        help_text="Đơn vị có thẩm quyền giải quyết (tiếp nhận không phụ thuộc địa giới).",
    )
    return_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        required=False,
        help_text="Nơi người nộp nhận kết quả; mặc định nơi tiếp nhận.",
    )


class ActionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    to_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), required=False
    )
    electronic = serializers.BooleanField(default=True)
    new_appointment = serializers.DateTimeField(required=False)


class RegisterInput(serializers.Serializer):
    start = serializers.DateField(label="từ ngày")
    end = serializers.DateField(label="đến ngày")


class DossierViewSet(viewsets.ReadOnlyModelViewSet):
    """Hồ sơ của đơn vị: những hồ sơ đơn vị đã tiếp nhận, đang xử lý hoặc từng được chuyển đến."""

    lookup_field = "code"
    lookup_value_regex = DOSSIER_CODE
    filter_backends = []

    def get_serializer_class(self):
        return DossierDetailSerializer if self.action == "retrieve" else DossierSerializer

    def get_queryset(self):
        return queries.scoped_dossiers(self.request.user)

    def get_object(self):
        try:
            return queries.dossier_detail(self.request.user, self.kwargs["code"])
        except Dossier.DoesNotExist as exc:
            raise Http404 from exc

    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        log_access(
            "dossier.view", actor=request.user, target=dossier, request=request, data={"via": "api"}
        )
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)

    @extend_schema(parameters=[DossierFilterSerializer])
    def list(self, request, *args, **kwargs):
        filters = DossierFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        listing = queries.dossier_list(request.user, **filters.query())
        self.paginator.django_paginator_class = partial(CountedPaginator, total=listing.total)
        page = self.paginate_queryset(listing.rows)
        return self.get_paginated_response(DossierSerializer(page, many=True).data)

    @extend_schema(request=ReceiveInput, responses={201: DossierDetailSerializer})
    def create(self, request):
        """Tiếp nhận hồ sơ tại quầy (cán bộ Một cửa)."""
        data = ReceiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        dossier = services.receive_dossier(
            actor=request.user,
            procedure=v["procedure"],
            applicant=v["applicant"],
            components=[
                services.ReceivedComponent(c["component"], c["copies"], c["received"])
                for c in v["components"]
            ],
            channel=v["channel"],
            idempotency_key=v.get("idempotency_key") or None,
            note=v.get("note", ""),
            competent_unit=v.get("competent_unit"),
            return_unit=v.get("return_unit"),
            request=request,
        )
        detail = queries.dossier_detail(request.user, dossier.code)
        body = DossierDetailSerializer(detail, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionInput,
        responses={200: DossierDetailSerializer},
        parameters=[OpenApiParameter("action_code", str, "path", enum=sorted(ACTIONS))],
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_code>[a-z_]+)")
    def take_action(self, request, code=None, action_code=None):
        """Thực hiện một thao tác trên hồ sơ (tiếp nhận, chuyển, trình, duyệt, trả...)."""
        if action_code not in ACTIONS:
            return Response({"detail": f"Không có thao tác «{action_code}»."}, status=404)
        dossier = self.get_object()
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.take_action(
            action_code,
            dossier.pk,
            actor=request.user,
            request=request,
            reason=v.get("reason", ""),
            to_unit=v.get("to_unit"),
            electronic=v.get("electronic", True),
            new_appointment=v.get("new_appointment"),
        )
        detail = queries.dossier_detail(request.user, dossier.code)
        return Response(DossierDetailSerializer(detail, context={"request": request}).data)

    @extend_schema(parameters=[RegisterInput], responses={(200, "application/pdf"): bytes})
    @action(detail=False, methods=["get"])
    def register(self, request):
        """Sổ theo dõi hồ sơ (Mẫu 06) của đơn vị người dùng trong một khoảng ngày."""
        period = RegisterInput(data=request.query_params)
        period.is_valid(raise_exception=True)
        pdf, name = open_register(
            queries.staff_unit(request.user),
            period.validated_data["start"],
            period.validated_data["end"],
            actor=request.user,
            request=request,
        )
        return file_response(pdf, content_type="application/pdf", filename=name)

    @extend_schema(responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def history(self, request, code=None):
        """Quá trình xử lý hồ sơ (nội dung của Mẫu 05)."""
        dossier = self.get_object()
        log_access(
            "dossier.history",
            actor=request.user,
            target=dossier,
            request=request,
            data={"via": "api"},
        )
        return Response(EventSerializer(dossier.events.all(), many=True).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path=r"forms/(?P<form_code>[^/]{1,40})")
    def form(self, request, code=None, form_code=None):
        """Tải phiếu của hồ sơ dạng PDF, theo loại (receipt, supplement, refusal, apology, stop,
        control) hoặc số mẫu theo văn bản có hiệu lực ngày tiếp nhận; mỗi lần tải được ghi
        nhật ký. Mã không phải mẫu nào: 404."""
        dossier = self.get_object()
        pdf, name = open_form(dossier, form_code, actor=request.user, request=request)
        return file_response(pdf, content_type="application/pdf", filename=name)
