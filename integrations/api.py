"""API v1 of the sync with DVCQG: each dossier's sync state (by its code) and the list of
dossiers not in sync, within the caller's scope, over the same queries as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from dossiers.models import Dossier

from . import queries, sync
from .models import DossierSync, NationalMessage


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalMessage
        fields = [
            "seq",
            "service",
            "is_updating",
            "message_id",
            "state",
            "attempts",
            "next_attempt_at",
            "last_error",
            "queued_at",
            "sent_at",
            "duplicate",
        ]


class SyncSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="dossier.code")
    state_label = serializers.CharField(source="get_state_display")
    open_messages = serializers.SerializerMethodField()

    class Meta:
        model = DossierSync
        fields = [
            "code",
            "state",
            "state_label",
            "sent_seq",
            "last_error",
            "last_sent_at",
            "updated_at",
            "open_messages",
        ]

    def get_open_messages(self, obj) -> list[dict]:
        return MessageSerializer(queries.open_messages(obj), many=True).data


@extend_schema(
    tags=["integrations"],
    parameters=[
        OpenApiParameter("state", str, description="pending (chưa đồng bộ) hoặc error (lỗi)"),
        OpenApiParameter("code", str, description="một phần mã hồ sơ"),
    ],
)
class NationalSyncViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    """Dossiers not in sync with DVCQG (list), one dossier's sync state (by code), and
    resend (clerks, leaders, the office, administrators)."""

    serializer_class = SyncSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        state = self.request.query_params.get("state", "")
        if state not in (DossierSync.State.PENDING, DossierSync.State.ERROR):
            state = None
        code = self.request.query_params.get("code", "")
        return queries.unsynced(self.request.user, state=state, code=code)

    def _sync(self, code):
        try:
            dossier = queries.scoped_dossier(self.request.user, code)
        except Dossier.DoesNotExist:
            raise NotFound("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from None
        return dossier, queries.sync_of(dossier)

    def retrieve(self, request, code=None):
        dossier, state = self._sync(code)
        if state is None:
            return Response(
                {
                    "code": dossier.code,
                    "state": DossierSync.State.PENDING,
                    "state_label": DossierSync.State.PENDING.label,
                    "sent_seq": 0,
                    "last_error": "",
                    "last_sent_at": None,
                    "updated_at": None,
                    "open_messages": [],
                }
            )
        return Response(SyncSerializer(state).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def resend(self, request, code=None):
        if not queries.may(request.user, queries.RESEND_ROLES):
            raise PermissionDenied(queries.RESEND_REFUSED)
        dossier, state = self._sync(code)
        if state is None or state.state == DossierSync.State.SYNCED:
            return Response({"code": dossier.code, "resent": 0}, status=status.HTTP_200_OK)
        count = sync.resend(state, actor=request.user, request=request)
        return Response({"code": dossier.code, "resent": count}, status=status.HTTP_202_ACCEPTED)


def register(router):
    router.register("national-sync", NationalSyncViewSet, basename="national-sync")
