"""API v1: read endpoints for units, fields and procedures.

The catalogue is public information (it is published on the national portal), so it is
readable without logging in; units are for staff.
"""

import django_filters
from rest_framework import permissions, serializers, viewsets

from .. import queries
from ..models import Field, Procedure, ProcedureComponent, ProcedureStep, Unit, UnitLevel


class UnitLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitLevel
        fields = ["code", "name", "rank", "is_area"]


class UnitSerializer(serializers.ModelSerializer):
    level = UnitLevelSerializer(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successors = serializers.SerializerMethodField(help_text="Mã các đơn vị kế thừa.")
    predecessors = serializers.SerializerMethodField(help_text="Mã các đơn vị được kế thừa.")

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "parent",
            "kind",
            "is_remote",
            "has_counter",
            "address",
            "phone",
            "statistical_code",
            "counter_name",
            "valid_from",
            "valid_to",
            "created_basis",
            "ended_basis",
            "successors",
            "predecessors",
        ]

    # Read from the prefetched successions (UnitViewSet.queryset): no query per unit.
    def get_successors(self, unit) -> list[str]:
        return [s.successor.code for s in unit.successions.all()]

    def get_predecessors(self, unit) -> list[str]:
        return [s.predecessor.code for s in unit.takeovers.all()]


class UnitFilter(django_filters.FilterSet):
    ngay = django_filters.DateFilter(
        label="Đơn vị có hiệu lực vào ngày (dd/mm/yyyy hoặc yyyy-mm-dd)",
        method="in_force",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Ngày không hợp lệ: viết dd/mm/yyyy, ví dụ 01/07/2025."},
    )

    class Meta:
        model = Unit
        fields = {"level__code": ["exact"], "is_remote": ["exact"], "kind": ["exact"]}

    def in_force(self, queryset, name, value):
        return queryset & queries.units_in_force(value)


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class ComponentSerializer(serializers.ModelSerializer):
    reusable_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ProcedureComponent
        fields = ["order", "name", "form", "copies", "required", "reusable_type"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["order", "name", "unit_kind", "working_days"]


class ProcedureSerializer(serializers.ModelSerializer):
    field = FieldSerializer(read_only=True)
    level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "national_code",
            "name",
            "field",
            "level",
            "levels",
            "time_kind",
            "working_days",
            "calendar_days",
            "same_day_cutoff",
            "fee_vnd",
            "fee_note",
            "fee_basis",
            "online_level",
            "boundary_free",
            "retention_years",
            "retention_permanent",
            "legal_basis",
            "verified",
            "components",
            "steps",
        ]


class ProcedureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm theo tên hoặc mã (không cần dấu)", method="search")
    field = django_filters.ModelChoiceFilter(
        label="Mã lĩnh vực", queryset=Field.objects.all(), to_field_name="code"
    )
    level = django_filters.ModelChoiceFilter(
        label="Mã cấp thực hiện",
        queryset=UnitLevel.objects.all(),
        to_field_name="code",
        method="at_level",
    )
    online_level = django_filters.ChoiceFilter(
        label="Mức trực tuyến", choices=Procedure.OnlineLevel.choices
    )
    unit = django_filters.ModelChoiceFilter(
        label="Mã đơn vị tiếp nhận",
        queryset=Unit.objects.all(),
        to_field_name="code",
        field_name="handling_units",
    )

    class Meta:
        model = Procedure
        fields = ["q", "field", "level", "online_level", "unit"]

    def at_level(self, queryset, name, value):
        return queryset.filter(queries.received_at_level(value))

    def search(self, queryset, name, value):
        return queryset & queries.procedure_catalogue(text=value)


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """Danh mục thủ tục hành chính (lọc theo lĩnh vực, cấp, mức trực tuyến, đơn vị, từ khóa)."""

    serializer_class = ProcedureSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ProcedureFilter
    lookup_field = "national_code"
    lookup_value_regex = r"\d{1,2}\.\d{6}"

    def get_queryset(self):
        return queries.procedure_catalogue()


class FieldViewSet(viewsets.ReadOnlyModelViewSet):
    """Lĩnh vực thủ tục hành chính."""

    serializer_class = FieldSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Field.objects.all()
    lookup_field = "code"


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Đơn vị (cây tỉnh › xã và cơ quan; trước 01/7/2025: tỉnh › huyện › cơ quan, xã), với ngày
    hiệu lực, căn cứ và đơn vị kế thừa; ``?ngay=`` cho cây đơn vị tại một ngày."""

    serializer_class = UnitSerializer
    queryset = Unit.objects.select_related("level", "parent").prefetch_related(
        "successions__successor", "takeovers__predecessor"
    )
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    filterset_class = UnitFilter
