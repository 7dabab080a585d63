"""The PAKN API under /api/v1/pakn/: the citizen sends one (by a dossier's code + factor, or
about a unit), reads it by its code + check code, rates the answer; anyone reads the public
answers (personal data removed); a leader reads the queue and answers. The pages' rules and
services; refusals (FeedbackError) reach the client through bacyen_portal/api_errors.py."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.models import Unit

from . import lookup, queries
from .errors import FeedbackError
from .models import Feedback
from .redaction import redacted_texts
from .services import answer_feedback, rate_answer, submit_feedback


class FeedbackInput(serializers.Serializer):
    kind = serializers.ChoiceField(Feedback.Kind.choices, default=Feedback.Kind.COMPLAINT)
    content = serializers.CharField(allow_blank=True, trim_whitespace=False)
    sender_name = serializers.CharField(allow_blank=True)
    sender_phone = serializers.CharField(allow_blank=True, required=False, default="")
    sender_email = serializers.CharField(allow_blank=True, required=False, default="")
    dossier_code = serializers.CharField(allow_blank=True, required=False, default="")
    dossier_factor = serializers.CharField(allow_blank=True, required=False, default="")
    unit_code = serializers.CharField(allow_blank=True, required=False, default="")
    publish_agreed = serializers.BooleanField(required=False, default=False)


FEEDBACK_BODY = inline_serializer(
    "Feedback",
    {
        "code": serializers.CharField(),
        "kind": serializers.CharField(),
        "state": serializers.CharField(),
        "state_label": serializers.CharField(),
        "unit": serializers.CharField(),
        "dossier": serializers.CharField(),
        "received_at": serializers.DateTimeField(),
        "due_at": serializers.DateTimeField(),
        "answer": serializers.CharField(),
        "answered_at": serializers.DateTimeField(allow_null=True),
        "answer_score": serializers.IntegerField(allow_null=True),
        "closed_at": serializers.DateTimeField(allow_null=True),
    },
)


def _public(feedback) -> dict:
    """What the sender reads of their PAKN (no sender field: they typed it)."""
    return {
        "code": feedback.code,
        "kind": feedback.kind,
        "state": feedback.state,
        "state_label": feedback.get_state_display(),
        "unit": feedback.unit.name,
        "dossier": feedback.dossier.code if feedback.dossier_id else "",
        "received_at": feedback.received_at,
        "due_at": feedback.due_at,
        "answer": feedback.answer,
        "answered_at": feedback.answered_at,
        "answer_score": feedback.answer_score,
        "closed_at": feedback.closed_at,
    }


def _body(request) -> dict:
    """The request's JSON object or form; anything else (a list, a string) is refused."""
    if not isinstance(request.data, dict):
        raise FeedbackError("Nội dung gửi lên phải là một đối tượng JSON.")
    return request.data


def _input(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        field, errors = next(iter(serializer.errors.items()))
        raise FeedbackError(f"{field}: {errors[0]}", field=field)
    return serializer.validated_data


class SendView(APIView):
    """Gửi phản ánh, kiến nghị về một hồ sơ (mã hồ sơ + mã tra cứu) hoặc một đơn vị."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []  # counted with the pages (feedback/lookup.py)

    @extend_schema(request=FeedbackInput, responses={201: FEEDBACK_BODY}, summary="Gửi PAKN")
    def post(self, request):
        data = _input(FeedbackInput, _body(request))
        lookup.count_submission(request)
        dossier = lookup.dossier_of(request, data["dossier_code"], data["dossier_factor"])
        unit = Unit.objects.filter(code=data["unit_code"]).first() if data["unit_code"] else None
        feedback = submit_feedback(
            kind=data["kind"],
            content=data["content"],
            sender_name=data["sender_name"],
            sender_phone=data["sender_phone"],
            sender_email=data["sender_email"],
            publish_agreed=data["publish_agreed"],
            dossier=dossier,
            unit=unit,
            channel=Feedback.Channel.API,
            request=request,
        )
        body = {**_public(feedback), "check_code": feedback.check_code}
        return Response(body, status=status.HTTP_201_CREATED)


class StatusView(APIView):
    """Tra cứu PAKN bằng mã PAKN và mã tra cứu."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(responses={200: FEEDBACK_BODY}, summary="Tra cứu PAKN")
    def get(self, request):
        params = request.query_params
        feedback = lookup.feedback_by_code(request, params.get("code"), params.get("check"))
        return Response(_public(feedback))


RateInput = inline_serializer(
    "FeedbackRating",
    {
        "code": serializers.CharField(),
        "check": serializers.CharField(),
        "score": serializers.IntegerField(),
        "comment": serializers.CharField(required=False, allow_blank=True, default=""),
    },
)


class RatingView(APIView):
    """Đánh giá câu trả lời PAKN (một lần)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(
        request=RateInput, responses={201: FEEDBACK_BODY}, summary="Đánh giá trả lời PAKN"
    )
    def post(self, request):
        data = _body(request)
        feedback = lookup.feedback_by_code(request, data.get("code"), data.get("check"))
        rated = rate_answer(
            feedback.pk, score=data.get("score"), comment=data.get("comment", ""), request=request
        )
        return Response(_public(rated), status=status.HTTP_201_CREATED)


class PublicListView(APIView):
    """Các câu trả lời PAKN được công khai (đã xóa thông tin cá nhân)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: dict}, summary="PAKN đã trả lời công khai")
    def get(self, request):
        rows = []
        for feedback in queries.public_answers()[:50]:
            content, answer = redacted_texts(feedback)
            rows.append(
                {
                    "code": feedback.code,
                    "kind": feedback.kind,
                    "unit": feedback.unit.name,
                    "received_at": feedback.received_at,
                    "answered_at": feedback.answered_at,
                    "content": content,
                    "answer": answer,
                }
            )
        return Response({"results": rows})


def _leader(request):
    if not queries.may_handle(request.user):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị xem được phản ánh, kiến nghị.")


class QueueView(APIView):
    """PAKN chưa trả lời của đơn vị (lãnh đạo)."""

    @extend_schema(responses={200: dict}, summary="PAKN chờ trả lời")
    def get(self, request):
        _leader(request)
        rows = queries.overdue(request.user) if request.query_params.get("overdue") else None
        rows = rows if rows is not None else queries.queue(request.user)
        return Response({"results": [_public(f) for f in rows[:100]]})


class AnswerView(APIView):
    """Trả lời một PAKN của đơn vị (lãnh đạo)."""

    @extend_schema(
        request=inline_serializer(
            "FeedbackAnswer",
            {"answer": serializers.CharField(), "publish": serializers.BooleanField()},
        ),
        responses={200: FEEDBACK_BODY},
        summary="Trả lời PAKN",
    )
    def post(self, request, code):
        _leader(request)
        feedback = queries.scoped_feedback(request.user).filter(code=code).first()
        if feedback is None:
            raise FeedbackError("Không tìm thấy PAKN trong phạm vi đơn vị.", status=404)
        data = _body(request)
        answered = answer_feedback(
            feedback.pk,
            actor=request.user,
            answer=str(data.get("answer", "")),
            publish=data.get("publish") in (True, "true", "1", 1),
            request=request,
        )
        return Response(_public(answered))
