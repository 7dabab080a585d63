from rest_framework import serializers

from ..models import Field, Procedure
from ..workflow import State

ORDERINGS = {
    "received": "received_at",
    "-received": "-received_at",
    "due": "due_at",
    "-due": "-due_at",
    "code": "code",
    "-code": "-code",
}


class DossierFilterSerializer(serializers.Serializer):
    """Filters of the dossier list (the same as the clerk's list page)."""

    state = serializers.ChoiceField(choices=State.choices, required=False)
    procedure = serializers.SlugRelatedField(
        slug_field="national_code", queryset=Procedure.objects.all(), required=False
    )
    field = serializers.SlugRelatedField(
        slug_field="code", queryset=Field.objects.all(), required=False
    )
    overdue = serializers.BooleanField(required=False, default=False)
    due_soon = serializers.BooleanField(
        required=False, default=False, help_text="hạn trong ≤ 2 ngày làm việc"
    )
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), required=False, default="-received")

    def validate(self, data):
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"received_to": "Ngày kết thúc phải sau ngày bắt đầu."}
            )
        return data

    def query(self) -> dict:
        v = self.validated_data
        return {
            "state": v.get("state", ""),
            "procedure": v.get("procedure"),
            "field": v.get("field"),
            "overdue": v.get("overdue", False),
            "due_soon": v.get("due_soon", False),
            "received_from": v.get("received_from"),
            "received_to": v.get("received_to"),
            "text": v.get("q", ""),
            "ordering": ORDERINGS[v.get("ordering", "-received")],
        }
