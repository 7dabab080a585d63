"""API v1 of reporting: the monthly table, the indicators against their targets, and sent
reports (list, read, send, compare) — over the same modules as the pages, same scope."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import access, periods, score766, services
from .dashboard import table_data
from .errors import ReportError
from .measures import measure_all
from .models import Snapshot
from .queries import sent_snapshots, snapshot_changes
from .tables import GROUPS, monthly_table

PERIOD_PARAMETERS = [
    OpenApiParameter("unit", str, description="mã đơn vị (mặc định: đơn vị của người dùng)"),
    OpenApiParameter("month", str, description="tháng, dạng 2026-03"),
    OpenApiParameter("quarter", str, description="quý, dạng 2026-Q1"),
    OpenApiParameter("half", str, description="6 tháng, dạng 2026-H1"),
    OpenApiParameter("year", str, description="năm, dạng 2026"),
    OpenApiParameter("from", str, description="từ ngày (YYYY-MM-DD), cùng với to"),
    OpenApiParameter("to", str, description="đến ngày (YYYY-MM-DD)"),
]


def _unit_period(request, params):
    unit = access.resolve_unit(request.user, params.get("unit", ""))
    return unit, periods.parse(params)


def _period_body(period):
    return {
        "kind": period.kind,
        "label": period.label,
        "first": period.first,
        "last": period.last,
        "complete": period.complete,
    }


CELL_CODES = [
    "carried",
    "new_online",
    "new_direct",
    "early",
    "on_time",
    "late",
    "within",
    "overdue",
    "withdrawn",
    "stopped",
    "received",
    "new",
    "finished",
    "in_progress",
]


CellsSerializer = type(
    "CellsSerializer",
    (serializers.Serializer,),
    {code: serializers.IntegerField() for code in CELL_CODES},
)


class RowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    cells = CellsSerializer()


class PeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    first = serializers.DateField()
    last = serializers.DateField()
    complete = serializers.BooleanField()


class ReportSerializer(serializers.Serializer):
    unit = serializers.CharField()
    period = PeriodSerializer()
    group_by = serializers.CharField()
    rows = RowSerializer(many=True)
    total = RowSerializer()


class MeasureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    measurable = serializers.BooleanField()
    note = serializers.CharField()
    display = serializers.CharField()
    target_display = serializers.CharField()


class ReportViewSet(viewsets.ViewSet):
    """Báo cáo tình hình, kết quả giải quyết TTHC (Thông tư 01/2020) của một đơn vị."""

    @extend_schema(
        parameters=[*PERIOD_PARAMETERS, OpenApiParameter("group_by", str, enum=sorted(GROUPS))],
        responses={200: ReportSerializer},
    )
    def list(self, request):
        unit, period = _unit_period(request, request.query_params)
        group_by = request.query_params.get("group_by", "field")
        if group_by not in GROUPS:
            raise ReportError(f"Không có cách nhóm «{group_by}».", field="group_by")
        table = monthly_table(unit, period, group_by=group_by, scope=access.scope(request.user))
        return Response({"unit": unit.code, "period": _period_body(period), **table_data(table)})


class IndicatorViewSet(viewsets.ViewSet):
    """Các chỉ số của Kế hoạch 141: giá trị, chỉ tiêu, đạt hay chưa."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: MeasureSerializer(many=True)})
    def list(self, request):
        unit, period = _unit_period(request, request.query_params)
        measures = measure_all(unit, period, scope=access.scope(request.user))
        return Response([m.as_dict() for m in measures])


class SnapshotSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Snapshot
        fields = [
            "id",
            "unit",
            "period_kind",
            "start",
            "end",
            "group_by",
            "rows",
            "indicators",
            "sent_at",
            "sent_by",
        ]


class SendInput(serializers.Serializer):
    unit = serializers.CharField(required=False, allow_blank=True)
    month = serializers.CharField(required=False)
    quarter = serializers.CharField(required=False)
    half = serializers.CharField(required=False)
    year = serializers.CharField(required=False)


class ChangeSerializer(serializers.Serializer):
    row = serializers.CharField()
    column = serializers.CharField()
    sent = serializers.IntegerField()
    now = serializers.IntegerField()
    added = serializers.ListField(child=serializers.IntegerField())
    removed = serializers.ListField(child=serializers.IntegerField())


class SnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    """Báo cáo đã gửi: số liệu cố định cùng danh sách hồ sơ của từng ô."""

    serializer_class = SnapshotSerializer

    def get_queryset(self):
        try:
            access.check_reader(self.request.user)
        except ReportError:
            return Snapshot.objects.none()
        return sent_snapshots(self.request.user)

    @extend_schema(request=SendInput, responses={201: SnapshotSerializer})
    def create(self, request):
        """Gửi báo cáo của một kỳ đã qua: số liệu được lưu cố định."""
        data = SendInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit, period = _unit_period(request, data.validated_data)
        scope = access.scope(request.user)
        snapshot = services.send_report(
            unit, period, actor=request.user, scope=scope, request=request
        )
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ChangeSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def changes(self, request, pk=None):
        """Những ô khác nhau giữa báo cáo đã gửi và số liệu tính lại bây giờ."""
        snapshot = self.get_object()
        changes = snapshot_changes(snapshot, scope=access.scope(request.user))
        return Response([c.__dict__ for c in changes])


class ScoreViewSet(viewsets.ViewSet):
    """Điểm Bộ chỉ số 766/QĐ-TTg của một đơn vị trong một kỳ: nhóm, chỉ số thành phần (điểm
    đạt, tối đa, đã đo hay chưa đo được và lý do)."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: dict})
    def list(self, request):
        unit, period = _unit_period(request, request.query_params)
        result = score766.score(unit, period, scope=access.scope(request.user))
        return Response({"period": _period_body(period), **result.as_dict()})


def register(router):
    router.register("reports", ReportViewSet, basename="report")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("snapshots", SnapshotViewSet, basename="snapshot")
    router.register("score766", ScoreViewSet, basename="score766")
