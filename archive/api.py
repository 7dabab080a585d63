"""API v1 of the archive: records (search, read, package download — scoped and logged),
disposal batches (propose, approve, reject, minute) and fixity results, over the same
queries and services as the pages."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.files import file_response
from dossiers.models import AuditEvent, Procedure

from . import queries, services
from .errors import ArchiveError
from .export import export_zip
from .forms import AccessLogForm
from .models import ArchiveRecord, DisposalBatch, DisposalItem, FixityCheck, PackageFile
from .services.access import reason_needed

REASON = OpenApiParameter(
    "reason",
    str,
    description="lý do truy cập (bắt buộc khi người đọc không thuộc đơn vị đã "
    "tiếp nhận hay xử lý hồ sơ)",
)


class PackageFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = PackageFile
        fields = ["path", "kind", "role", "label", "sha256", "size"]


class RecordSerializer(serializers.ModelSerializer):
    procedure = serializers.SlugRelatedField(slug_field="national_code", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ArchiveRecord
        fields = [
            "id",
            "code",
            "procedure",
            "procedure_name",
            "unit",
            "applicant_name",
            "returned_at",
            "retention_years",
            "retention_permanent",
            "retention_until",
            "state",
            "state_label",
            "sealed_at",
            "package_sha256",
            "package_bytes",
            "package_files",
            "last_fixity_at",
            "fixity_ok",
            "last_error",
            "disposed_at",
        ]


class RecordDetailSerializer(RecordSerializer):
    files = PackageFileSerializer(many=True, read_only=True)

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "files"]


class RecordFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="")
    code = serializers.CharField(required=False, allow_blank=True, default="")
    applicant = serializers.CharField(required=False, allow_blank=True, default="")
    procedure = serializers.SlugRelatedField(
        slug_field="national_code", required=False, queryset=Procedure.objects.all()
    )
    returned_from = serializers.DateField(required=False)
    returned_to = serializers.DateField(required=False)
    state = serializers.ChoiceField(choices=ArchiveRecord.State.choices, required=False)


@extend_schema(tags=["archive"])
class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Archive records in the caller's scope; reading one, or its package, is logged."""

    serializer_class = RecordSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            queries.archive_records(self.request.user)
            .select_related("procedure", "unit", "dossier")
            .order_by("-returned_at", "-id")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(n, str)
            for n in (
                "q",
                "code",
                "applicant",
                "procedure",
                "returned_from",
                "returned_to",
                "state",
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        params = RecordFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        rows = queries.record_search(
            request.user,
            text=f.get("q", ""),
            code=f.get("code", ""),
            applicant=f.get("applicant", ""),
            procedure=f.get("procedure"),
            returned_from=f.get("returned_from"),
            returned_to=f.get("returned_to"),
            state=f.get("state", ""),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RecordSerializer(page, many=True).data)

    @extend_schema(parameters=[REASON], responses=RecordDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        services.log_access(
            record,
            "archive.view",
            actor=request.user,
            request=request,
            reason=request.query_params.get("reason", ""),
        )
        return Response(RecordDetailSerializer(record).data)

    @extend_schema(parameters=[REASON], responses={(200, "application/zip"): bytes})
    @action(detail=True, methods=["get"])
    def package(self, request, pk=None):
        """The package as a zip (validated with bagit before it leaves)."""
        record = self.get_object()
        reason = request.query_params.get("reason", "")
        if reason_needed(request.user, record) and len(reason.strip()) < 5:
            raise ArchiveError("Cần ghi rõ lý do truy cập (tham số reason).", field="reason")
        stream, name = export_zip(record)
        services.log_access(
            record, "archive.package_download", actor=request.user, request=request, reason=reason
        )
        return file_response(stream, attachment=True, filename=name, content_type="application/zip")

    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Build a failed package again now."""
        record = self.get_object()
        services.retry_package(record.pk, actor=request.user, request=request)
        return Response(
            {"detail": "Đã yêu cầu lập lại gói lưu trữ."}, status=status.HTTP_202_ACCEPTED
        )


class DisposalItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisposalItem
        fields = [
            "code",
            "procedure_name",
            "applicant_name",
            "returned_on",
            "retention_label",
            "retention_until",
            "package_sha256",
            "manifest",
            "files_destroyed",
            "bytes_destroyed",
            "kept",
            "destroyed_at",
        ]


class BatchSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    number = serializers.CharField(read_only=True)
    items = DisposalItemSerializer(many=True, read_only=True)

    class Meta:
        model = DisposalBatch
        fields = [
            "id",
            "number",
            "area",
            "state",
            "state_label",
            "note",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "executed_at",
            "minute_sha256",
            "items",
        ]


class ProposeInput(serializers.Serializer):
    records = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    note = serializers.CharField()


class DecisionInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInput(serializers.Serializer):
    reason = serializers.CharField()


@extend_schema(tags=["archive"])
class DisposalBatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Disposal batches of the caller's area: an archivist proposes, the area's leader
    approves or rejects, the executed batch has its minute."""

    serializer_class = BatchSerializer

    def get_queryset(self):
        return queries.disposal_batches(self.request.user).prefetch_related("items")

    @extend_schema(request=ProposeInput, responses={201: BatchSerializer})
    def create(self, request, *args, **kwargs):
        data = ProposeInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.propose_disposal(
            actor=request.user,
            request=request,
            record_ids=data.validated_data["records"],
            note=data.validated_data["note"],
        )
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInput, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        batch = self.get_object()
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.approve_disposal(
            batch.pk, actor=request.user, request=request, note=data.validated_data["note"]
        )
        return Response(BatchSerializer(batch).data)

    @extend_schema(request=RejectInput, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        batch = self.get_object()
        data = RejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.reject_disposal(
            batch.pk, actor=request.user, request=request, reason=data.validated_data["reason"]
        )
        return Response(BatchSerializer(batch).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def minute(self, request, pk=None):
        """The disposal minute (biên bản hủy), once the batch is executed."""
        batch = self.get_object()
        if batch.state != DisposalBatch.State.EXECUTED or not batch.minute:
            raise Http404
        return file_response(
            batch.minute.open("rb"),
            content_type="application/pdf",
            filename=f"bien-ban-huy-{batch.pk:03d}.pdf",
        )


class FixitySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="record.code", read_only=True)

    class Meta:
        model = FixityCheck
        fields = ["id", "code", "checked_at", "files_checked", "bytes_checked", "ok", "problems"]


@extend_schema(
    tags=["archive"],
    parameters=[
        OpenApiParameter("ok", bool, description="false: chỉ các lần phát hiện sai khác"),
        OpenApiParameter("code", str, description="mã hồ sơ"),
    ],
)
class FixityViewSet(viewsets.ReadOnlyModelViewSet):
    """Fixity checks of the packages in the caller's scope, newest first."""

    serializer_class = FixitySerializer

    def get_queryset(self):
        qs = FixityCheck.objects.filter(
            record__in=queries.archive_records(self.request.user)
        ).select_related("record")
        ok = self.request.query_params.get("ok", "").lower()
        if ok in ("true", "false"):
            qs = qs.filter(ok=ok == "true")
        if code := self.request.query_params.get("code", "").strip():
            qs = qs.filter(record__code=code)
        return qs.order_by("-checked_at", "-id")


class AccessSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "at",
            "action",
            "actor_name",
            "unit",
            "object_type",
            "object_id",
            "ip_address",
            "reason",
            "data",
        ]


@extend_schema(
    tags=["archive"],
    parameters=[
        OpenApiParameter(n, str) for n in ("actor", "code", "action", "date_from", "date_to")
    ],
)
class AccessLogViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    """Reads of archived records and downloads of citizens' documents in the caller's area
    (archive roles only)."""

    serializer_class = AccessSerializer

    def get_queryset(self):

        form = AccessLogForm(self.request.query_params)
        filters = form.cleaned_data if form.is_valid() else {}
        return queries.access_log(self.request.user, **{k: v for k, v in filters.items() if v})


def register(router):
    router.register("archive/records", RecordViewSet, basename="archive-record")
    router.register("archive/disposals", DisposalBatchViewSet, basename="archive-disposal")
    router.register("archive/fixity", FixityViewSet, basename="archive-fixity")
    router.register("archive/access-log", AccessLogViewSet, basename="archive-access")
