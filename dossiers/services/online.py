"""The citizen's side of a dossier's life online: submitting it, and answering a request for
supplements. The files that go with them are digitization's (digitization/services/online.py
checks and attaches them around these calls, in the same transaction); these functions write
the dossier, its history and the audit trail."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import AuditEvent, Channel, Dossier, DossierEvent, Notification
from ..notifications import notify_applicant
from ..signals import dossier_receiving, dossier_submitted
from ..workflow import State
from .audit import record
from .engine import action_moment
from .errors import WorkflowError
from .numbering import allot_code
from .reception import (
    add_components,
    check_components,
    check_unit_receives,
    competent_unit_for,
    earlier_dossier,
    find_or_update_applicant,
)

# The history action of an online answer to a supplement request. It changes no state: the
# counter confirms the papers are complete with «Đã nhận bổ sung» (supplied), which restarts
# the clock (domain.md: due anew from the day the complete dossier comes back).
SUPPLEMENT_ONLINE = "supplement_online"
SUBMITTED_NOTES = {
    Channel.ONLINE: "Nộp trực tuyến",
    Channel.DVCQG: "Nộp trực tuyến trên Cổng Dịch vụ công quốc gia",
}


def submit_online(
    *,
    procedure,
    unit,
    applicant: dict,
    components: list,
    at=None,
    idempotency_key=None,
    request=None,
    channel=Channel.ONLINE,
    form_data=None,
) -> Dossier:
    """A dossier submitted online to ``unit``'s counter: code and check code at once, state
    submitted, no clock until a clerk accepts it (services.accept). One transaction. The
    procedure must be offered online (fully or partly) and received by that counter (any
    counter for a boundary-free procedure). The same ``idempotency_key`` (a form's token)
    twice returns the first dossier. ``channel`` says where it was submitted: the portal's
    own form (online) or the national portal (dvcqg, taken in by integrations). ``form_data``
    (the posted form) goes to the receivers of signals.dossier_receiving, in the transaction."""
    key = f"online:{idempotency_key[:64]}" if idempotency_key else None
    if existing := earlier_dossier(key):
        return existing
    if procedure.online_level == procedure.OnlineLevel.NONE:
        raise WorkflowError("Thủ tục này chưa cung cấp dịch vụ công trực tuyến.", field="procedure")
    if not unit.has_counter:
        raise WorkflowError("Đơn vị này không tiếp nhận hồ sơ.", field="unit")
    submitted_at = action_moment(at)
    day = timezone.localdate(submitted_at)
    check_unit_receives(procedure, unit, day)
    try:
        competent = competent_unit_for(procedure, unit, day, address=applicant.get("address", ""))
    except WorkflowError as exc:
        if exc.field != "competent_unit":
            raise
        competent = None  # the clerk who accepts it chooses where it goes
    try:
        with transaction.atomic():
            catalogue = check_components(procedure, components)
            person = find_or_update_applicant(applicant)
            dossier = Dossier.objects.create(
                code=allot_code(
                    procedure=procedure,
                    receiving_unit=unit,
                    handling_unit=competent,
                    day=timezone.localtime(submitted_at).date(),
                ),
                procedure=procedure,
                applicant=person,
                receiving_unit=unit,
                current_unit=unit,
                competent_unit=competent,
                state=State.SUBMITTED,
                channel=channel,
                submitted_at=submitted_at,
                idempotency_key=key,
            )
            add_components(dossier, catalogue, components)
            dossier_receiving.send(
                sender=submit_online, dossier=dossier, actor=None, data=form_data or {}
            )
            DossierEvent.objects.create(
                dossier=dossier,
                action="submit",
                to_state=State.SUBMITTED,
                at=submitted_at,
                to_unit=unit,
                note=SUBMITTED_NOTES.get(channel, "Nộp trực tuyến"),
            )
            record(
                AuditEvent.Kind.CHANGE,
                "dossier.submit",
                target=dossier,
                request=request,
                unit=unit,
                data={"channel": str(channel)},
            )
            notify_applicant(dossier, Notification.Event.SUBMITTED)
            if channel == Channel.ONLINE:
                transaction.on_commit(
                    lambda: dossier_submitted.send(
                        sender=submit_online, dossier=dossier, request=request
                    )
                )
    except IntegrityError:
        if existing := earlier_dossier(key):  # the same form sent twice at once: the first won
            return existing
        raise
    return dossier


def record_online_supplement(dossier_id, *, files: list[str], note="", request=None):
    """The applicant sent supplements online (the files are attached by the caller, in the
    same transaction): a history step the counter and the applicant both see, and an audit
    row. Only while the dossier waits for supplements."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
        if dossier.state != State.SUPPLEMENT_REQUESTED:
            raise WorkflowError("Hồ sơ này hiện không chờ bổ sung giấy tờ.", status=409)
        listed = "; ".join(files)
        text = f"Công dân gửi bổ sung trực tuyến: {listed}" + (f". Ghi chú: {note}" if note else "")
        event = DossierEvent.objects.create(
            dossier=dossier,
            action=SUPPLEMENT_ONLINE,
            from_state=dossier.state,
            to_state=dossier.state,
            at=timezone.now(),
            from_unit=dossier.current_unit,
            to_unit=dossier.current_unit,
            note=text[:2000],
        )
        record(
            AuditEvent.Kind.CHANGE,
            "dossier.supplement_online",
            target=dossier,
            request=request,
            unit=dossier.receiving_unit,
            data={"files": files, "note": note[:500]},
        )
    return event
