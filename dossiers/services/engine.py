"""The lock and the bookkeeping every dossier action shares (:func:`taking`): lock, check the
workflow table, then — after the action's own service has set its fields — save those fields,
write the history row and the audit row of old and new values, issue the printed form and the
applicant's notifications, in one transaction."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .. import hooks
from ..calendar import Outcome, classify_finish
from ..models import AuditEvent, Dossier, DossierEvent
from ..notifications import notify_action
from ..printing import issue_form
from ..queries import staff_unit, user_roles
from ..workflow import ACTIONS, CLOSED_STATES, Place, may_take
from .audit import record
from .errors import WorkflowError

_forms_deferred = ContextVar("forms_deferred", default=False)


@contextmanager
def forms_deferred():
    """Within this block actions do not render their printed forms; each is rendered and
    stored the first time it is opened (services.forms.open_form). For bulk replays (the demo
    district, imports), where rendering hundreds of PDFs nobody asked for would be waste."""
    token = _forms_deferred.set(True)
    try:
        yield
    finally:
        _forms_deferred.reset(token)


def in_bulk_replay() -> bool:
    """True inside :func:`forms_deferred` (the demo, imports): followers of an action may
    leave their heavy work to their own schedule."""
    return _forms_deferred.get()


def issue_form_now(dossier, kind, *, actor, event):
    """Render and store the form the action issues, unless forms are deferred."""
    if not _forms_deferred.get():
        issue_form(dossier, kind, actor=actor, event=event)


def action_moment(at: datetime | None) -> datetime:
    """``at`` (for replays and imports) or now; never in the future."""
    now = timezone.now()
    if at is None:
        return now
    if at > now + timedelta(minutes=1):
        raise WorkflowError("Thời điểm thực hiện không được ở tương lai.", field="at")
    return at


def refusal_reason(action, dossier, roles, unit_id) -> WorkflowError:
    if dossier.state not in action.sources:
        return WorkflowError(
            f"Không thể «{action.label}» khi hồ sơ đang ở trạng thái "
            f"«{dossier.get_state_display()}».",
            status=409,
        )
    if not roles & {r.value for r in action.roles}:
        names = ", ".join(r.label.lower() for r in action.roles)
        return WorkflowError(f"Chỉ {names} được «{action.label}».", status=403)
    where = {
        Place.COUNTER: "Bộ phận Một cửa đã tiếp nhận hồ sơ",
        Place.RETURN: "nơi trả kết quả người nộp đã chọn",
    }.get(action.place, "đơn vị đang xử lý hồ sơ")
    return WorkflowError(f"«{action.label}» chỉ do {where} thực hiện.", status=403)


@dataclass
class Step:
    """One action being taken: the locked dossier, its history row, the moment."""

    dossier: Dossier
    event: DossierEvent
    now: datetime


@contextmanager
def taking(dossier_id, code, *, actor, reason="", at=None, request=None, system=False):
    """Take action ``code`` on the dossier as ``actor``, as one transaction: on entry, lock
    the row, check the workflow table and the reason, open the history row; the ``with`` body
    (the action's service) sets the dossier's own fields and may raise WorkflowError, which
    rolls everything back; on leaving, the target state, the changed columns
    (``save(update_fields=…)``), the history row, one audit row with ``{"old", "new"}`` of each
    changed column, the printed form and the applicant's notifications are written.
    ``system=True``: the portal itself takes the action on a national platform's word (the
    post reports the hand-over), with no actor: only the state is checked, not a role."""
    action = ACTIONS[code]
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related(
                "procedure",
                "rules",
                "receiving_unit",
                "current_unit",
                "return_unit",
                "competent_unit",
                "successor_counter",
            )
            .get(pk=dossier_id)
        )
        roles, unit = user_roles(actor), staff_unit(actor)
        unit_id = unit.pk if unit else None
        if system and actor is None:
            if dossier.state not in action.sources:
                raise refusal_reason(action, dossier, roles, unit_id)
        elif not may_take(
            action, state=dossier.state, roles=roles, unit_id=unit_id, dossier=dossier
        ):
            raise refusal_reason(action, dossier, roles, unit_id)
        for guard in hooks.ACTION_GUARDS:  # higher apps' conditions (dossiers/hooks.py)
            guard(dossier, code)
        reason = (reason or "").strip()
        if action.needs_reason and not reason:
            raise WorkflowError(f"Cần ghi rõ lý do để «{action.label}».", field="reason")
        now = action_moment(at)
        event = DossierEvent(
            dossier=dossier,
            action=code,
            from_state=dossier.state,
            at=now,
            actor=actor,
            actor_unit=unit,
            from_unit=dossier.current_unit,
            step=dossier.current_step,
            step_due_at=dossier.step_due_at,
            on_time=step_on_time(now, dossier.step_due_at),
            note=reason,
        )
        before = _fields(dossier)
        yield Step(dossier, event, now)
        if action.target:
            dossier.state = action.target
        if dossier.state in CLOSED_STATES and dossier.closed_at is None:
            dossier.closed_at = now  # the closing action's moment; never moved afterwards
        event.to_state = dossier.state
        if event.to_unit is None:
            event.to_unit = dossier.current_unit
        changes = _changes(before, _fields(dossier))
        dossier.save(update_fields=[*changes, "updated_at"])
        event.save()
        record(
            AuditEvent.Kind.CHANGE,
            f"dossier.{code}",
            actor=actor,
            target=dossier,
            request=request,
            reason=reason,
            data=_as_json(changes),
        )
        if action.form:
            issue_form_now(dossier, action.form, actor=actor, event=event)
        notify_action(dossier, code, event)  # outbox rows; sent by a task after commit


def run_action(dossier_id, code, *, actor, reason="", at=None, request=None):
    """An action that changes nothing but the state (withdraw, send back): :func:`taking`
    with an empty body. Returns (dossier, event)."""
    with taking(dossier_id, code, actor=actor, reason=reason, at=at, request=request) as step:
        pass
    return step.dossier, step.event


# Columns an action never sets itself (updated_at is saved with every change anyway).
NOT_AUDITED = frozenset({"id", "updated_at"})


def _fields(dossier) -> dict:
    return {
        f.attname: getattr(dossier, f.attname)
        for f in Dossier._meta.concrete_fields
        if f.attname not in NOT_AUDITED
    }


def _changes(before: dict, after: dict) -> dict:
    """{column: (old, new)} of the columns an action changed."""
    return {name: (before[name], after[name]) for name in after if before[name] != after[name]}


def _as_json(changes: dict) -> dict:
    """The audit row's record of what changed: ``{"column": {"old": …, "new": …}}``."""

    def plain(value):
        return value.isoformat() if hasattr(value, "isoformat") else value

    return {
        name.removesuffix("_id") if name.endswith("_id") else name: {
            "old": plain(old),
            "new": plain(new),
        }
        for name, (old, new) in changes.items()
    }


def step_on_time(now, due):
    """Whether a step due at ``due`` and closed ``now`` was on time (None: no due moment)."""
    if due is None:
        return None
    return classify_finish(now, due) != Outcome.LATE
