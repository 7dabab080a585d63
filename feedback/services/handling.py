"""The leader answers or closes a PAKN of the unit; the citizen rates the answer once.

Each action locks the row, checks the state and (for staff) the role and the unit's scope,
writes the named fields and one audit row with the old and new values."""

from django.db import transaction
from django.utils import timezone

from dossiers.models import AuditEvent
from dossiers.services.audit import record

from ..errors import FeedbackError
from ..models import Feedback
from ..queries import may_handle, scoped_feedback
from .intake import clean_text
from .notices import notify_answered

State = Feedback.State
CLOSED = "PAKN này đã kết thúc, không thể trả lời hay thay đổi thêm."
ANSWERED = "PAKN này đã được trả lời."
RATED = "Ông/bà đã đánh giá câu trả lời của PAKN này. Mỗi câu trả lời chỉ được đánh giá một lần."
MAX_ANSWER = 10_000


def _locked_for(actor, feedback_id):
    """The PAKN, row-locked, when ``actor`` is a leader whose scope holds it."""
    if not may_handle(actor):
        raise FeedbackError("Chỉ lãnh đạo đơn vị được trả lời phản ánh, kiến nghị.", status=403)
    row = scoped_feedback(actor).select_for_update().filter(pk=feedback_id).first()
    if row is None:
        raise FeedbackError("Không tìm thấy PAKN trong phạm vi đơn vị.", status=404)
    if row.state == State.CLOSED:
        raise FeedbackError(CLOSED, status=409)
    return row


@transaction.atomic
def answer_feedback(feedback_id, *, actor, answer, publish=False, request=None) -> Feedback:
    """The leader's answer, once: refused when the PAKN is closed or already answered, or the
    answer is empty or too long. ``publish``: the unit agrees to list it publicly (it is
    listed only if the citizen agreed too). The sender is told by e-mail and SMS after commit
    (services.notices)."""
    row = _locked_for(actor, feedback_id)
    if row.state == State.ANSWERED:
        raise FeedbackError(ANSWERED, status=409)
    text = clean_text(answer)
    if not text:
        raise FeedbackError("Vui lòng nhập nội dung trả lời.", field="answer")
    if len(text) > MAX_ANSWER:
        raise FeedbackError(
            f"Nội dung trả lời dài quá {MAX_ANSWER:,} ký tự.".replace(",", "."), field="answer"
        )
    now = timezone.now()
    row.answer, row.answered_at, row.answered_by = text, now, actor
    row.published, row.state = bool(publish), State.ANSWERED
    row.save(update_fields=["answer", "answered_at", "answered_by", "published", "state"])
    record(
        AuditEvent.Kind.CHANGE,
        "feedback.answered",
        actor=actor,
        target=row,
        request=request,
        unit=row.unit,
        data={
            "state": {"old": State.RECEIVED, "new": State.ANSWERED},
            "on_time": row.answered_on_time,
            "published": row.published,
        },
    )
    notify_answered(row)
    return row


@transaction.atomic
def close_feedback(feedback_id, *, actor, reason, request=None) -> Feedback:
    """The leader closes a PAKN without waiting for the citizen's rating (withdrawn, a
    duplicate, answered in person): a reason is required; a closed PAKN takes no answer."""
    row = _locked_for(actor, feedback_id)
    reason = clean_text(reason)[:500]
    if not reason:
        raise FeedbackError("Vui lòng ghi lý do kết thúc PAKN.", field="reason")
    old = row.state
    row.state, row.closed_at = State.CLOSED, timezone.now()
    row.save(update_fields=["state", "closed_at"])
    record(
        AuditEvent.Kind.CHANGE,
        "feedback.closed",
        actor=actor,
        target=row,
        request=request,
        unit=row.unit,
        reason=reason,
        data={"state": {"old": old, "new": State.CLOSED}},
    )
    return row


@transaction.atomic
def rate_answer(feedback_id, *, score, comment="", request=None) -> Feedback:
    """The citizen (who found the PAKN by its code and check code) rates the answer once; the
    rating closes the PAKN. Refuses an unanswered PAKN and a second rating, in Vietnamese."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = None
    if score not in Feedback.Score.values:
        raise FeedbackError("Chọn một mức độ hài lòng.", field="score")
    row = Feedback.objects.select_for_update().get(pk=feedback_id)
    if row.rated_at is not None:
        raise FeedbackError(RATED, status=409)
    if row.answered_at is None:
        raise FeedbackError("PAKN chưa được trả lời nên chưa thể đánh giá.", status=409)
    now = timezone.now()
    row.answer_score, row.answer_comment = score, clean_text(comment)[:2000]
    row.rated_at, row.closed_at, row.state = now, now, State.CLOSED
    row.save(update_fields=["answer_score", "answer_comment", "rated_at", "closed_at", "state"])
    record(
        AuditEvent.Kind.CHANGE,
        "feedback.rated",
        target=row,
        request=request,
        unit=row.unit,
        data={"score": score, "state": {"old": State.ANSWERED, "new": State.CLOSED}},
    )
    return row
