"""Public API: a dossier's status by code + second factor, with the page's rules (no login,
rate-limited per client, nothing private, one neutral answer when not found)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .. import queries
from ..views.public import NOT_FOUND, status_context


class PublicLookupThrottle(AnonRateThrottle):
    scope = "public_status"

    def get_rate(self):
        from django.conf import settings

        return f"{settings.PUBLIC_LOOKUPS_PER_MINUTE}/min"


STATUS_BODY = inline_serializer(
    "PublicStatus",
    {
        "code": serializers.CharField(), "procedure": serializers.CharField(),
        "state": serializers.CharField(), "state_label": serializers.CharField(),
        "received_at": serializers.DateTimeField(allow_null=True),
        "appointment_at": serializers.DateTimeField(allow_null=True),
        "returned_at": serializers.DateTimeField(allow_null=True),
        "late": serializers.BooleanField(), "extended": serializers.BooleanField(),
        "collect_at": serializers.CharField(),
        "steps": serializers.ListField(child=serializers.DictField()),
    },
)  # fmt: skip


class PublicStatusView(APIView):
    """Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu (hoặc 4 số cuối điện thoại)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True, description="Mã hồ sơ"),
            OpenApiParameter(
                "factor", str, required=True, description="Mã tra cứu hoặc 4 số cuối điện thoại"
            ),
        ],
        responses={200: STATUS_BODY},
    )
    def get(self, request):
        dossier = queries.public_lookup(
            request.query_params.get("code", ""), request.query_params.get("factor", "")
        )
        if dossier is None:
            return Response({"detail": NOT_FOUND}, status=404)
        context = status_context(dossier)
        unit = dossier.receiving_unit
        return Response({
            "code": dossier.code, "procedure": dossier.procedure.name, "state": dossier.state,
            "state_label": context["state_label"], "received_at": dossier.received_at,
            "appointment_at": dossier.appointment_at, "returned_at": dossier.returned_at,
            "late": context["late"], "extended": dossier.was_extended,
            "collect_at": ", ".join(filter(None, [unit.name, unit.address])),
            "steps": [{"at": at, "step": label, "unit": unit_name, "note": note}
                      for at, label, unit_name, note in context["steps"]],
        })  # fmt: skip
