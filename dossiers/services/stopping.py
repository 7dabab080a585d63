"""Stopping a dossier's handling at the applicant's request (dừng giải quyết hồ sơ).

Nghị định 118/2025/NĐ-CP lets the applicant ask, while no decision has been issued, that the
handling of their dossier stop; the counter then issues the stop notice (Thông tư 03/2025/
TT-VPCP, Mẫu 05) and hands the papers back. The rule and its dates are data
(``legal_bases.json``, ``nd-118-2025`` → ``stop_at_request``).

Two steps, as at a real counter: :func:`request_stop` records the applicant's request (online
with the code and the second factor, through the public API, or in writing at the counter) —
a history row, ``Dossier.stop_requested_at`` for the counter's list, an audit row; then the
counter's clerk takes the workflow action ``stop`` (:func:`stop`), which issues the notice.
A clerk may also take ``stop`` directly on a written request brought to the counter.
"""

from django.db import transaction
from django.utils import timezone

from .. import legal
from ..models import AuditEvent, Dossier, DossierEvent
from ..workflow import FINISHED_STATES, STOPPABLE_STATES, State
from .audit import record
from .engine import taking
from .errors import WorkflowError

STOP_REQUEST = "stop_request"
CHANNELS = {"online": "trực tuyến", "api": "qua API", "counter": "tại Bộ phận Một cửa"}
MAX_REASON = 1000

AFTER_DECISION = (
    "Hồ sơ đã có kết quả giải quyết nên không thể dừng giải quyết. Nếu ông/bà không đồng ý "
    "với kết quả, xin liên hệ Bộ phận Một cửa hoặc gửi phản ánh, kiến nghị."
)
NOT_HANDLED = "Hồ sơ này không còn đang được giải quyết nên không thể đề nghị dừng giải quyết."
NOT_RECEIVED = (
    "Hồ sơ chưa được tiếp nhận: ông/bà có thể rút hồ sơ nộp trực tuyến bằng cách liên hệ "
    "Bộ phận Một cửa."
)


def check_stoppable(dossier, day) -> None:
    """Raise the applicant's reason why ``dossier`` cannot be stopped on ``day``, if any."""
    if legal.rule("nd-118-2025", "stop_at_request", day) is None:
        raise WorkflowError(
            "Việc dừng giải quyết hồ sơ theo đề nghị áp dụng từ ngày 01/7/2025 "
            "(Nghị định 118/2025/NĐ-CP); trước ngày đó người nộp rút hồ sơ.",
            status=409,
        )
    if dossier.state in STOPPABLE_STATES:
        return
    if dossier.state in FINISHED_STATES:
        raise WorkflowError(AFTER_DECISION, status=409)
    if dossier.state == State.SUBMITTED:
        raise WorkflowError(NOT_RECEIVED, status=409)
    raise WorkflowError(NOT_HANDLED, status=409)


def request_stop(dossier_id, *, reason, channel, actor=None, request=None) -> DossierEvent:
    """The applicant asks to stop the handling: one history row (no change of state), the
    request's moment on the dossier for the counter's list, one audit row. Refused with the
    applicant's reason after a decision, before reception, or twice while one is pending."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Xin ghi lý do đề nghị dừng giải quyết hồ sơ.", field="reason")
    if len(reason) > MAX_REASON:
        raise WorkflowError(
            f"Lý do đề nghị dừng giải quyết dài tối đa {MAX_REASON} ký tự.", field="reason"
        )
    if channel not in CHANNELS:
        raise ValueError(channel)
    now = timezone.now()
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_unit", "current_unit")
            .get(pk=dossier_id)
        )
        check_stoppable(dossier, timezone.localdate(now))
        if dossier.stop_requested_at is not None:
            raise WorkflowError(
                "Đã có đề nghị dừng giải quyết hồ sơ này, đang chờ Bộ phận Một cửa xử lý.",
                status=409,
            )
        event = DossierEvent.objects.create(
            dossier=dossier,
            action=STOP_REQUEST,
            from_state=dossier.state,
            to_state=dossier.state,
            at=now,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            from_unit=dossier.current_unit,
            to_unit=dossier.current_unit,
            note=f"Đề nghị {CHANNELS[channel]}: {reason}",
        )
        dossier.stop_requested_at = now
        dossier.save(update_fields=["stop_requested_at", "updated_at"])
        record(
            AuditEvent.Kind.CHANGE,
            "dossier.stop_request",
            actor=actor,
            target=dossier,
            request=request,
            reason=reason,
            unit=dossier.receiving_unit,
            data={
                "channel": channel,
                "stop_requested_at": {"old": None, "new": now.isoformat()},
            },
        )
    return event


def stop(dossier_id, *, actor, reason, at=None, request=None):
    """The counter stops the handling at the applicant's request (their request is the
    reason, printed on the stop notice): the state becomes stopped, the dossier goes back to
    the counter, the pending request is answered."""
    with taking(dossier_id, "stop", actor=actor, reason=reason, at=at, request=request) as step:
        dossier = step.dossier
        check_stoppable(dossier, timezone.localdate(step.now))
        dossier.stop_requested_at = None
        dossier.current_unit = dossier.counter_unit
        dossier.current_step = None
        step.event.to_unit = dossier.counter_unit
    return step.dossier, step.event


def pending_request(dossier) -> DossierEvent | None:
    """The applicant's request the counter has not acted on yet, if any."""
    if dossier.stop_requested_at is None:
        return None
    return dossier.events.filter(action=STOP_REQUEST).order_by("-at", "-id").first()
