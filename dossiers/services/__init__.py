"""Every write of the dossiers app: one function per business action, one transaction each.

``ACTION_SERVICES`` maps each action code of ``workflow.ACTIONS`` to its service, so pages
and the API dispatch a button press or a POST without repeating any rule.
"""

from .errors import WorkflowError
from .handling import (
    approve,
    assign,
    decline,
    extend,
    mark_archived,
    mark_archived_many,
    propose_result,
    request_supplement,
    return_result,
    send_back,
    supplied,
    transfer,
    withdraw,
)
from .online import record_online_supplement, submit_online
from .public_access import unlock_public_lookup
from .reception import ReceivedComponent, accept, receive_dossier, refuse

ACTION_SERVICES = {
    "accept": accept,
    "refuse": refuse,
    "assign": assign,
    "request_supplement": request_supplement,
    "supplied": supplied,
    "transfer": transfer,
    "propose_result": propose_result,
    "approve": approve,
    "send_back": send_back,
    "return_result": return_result,
    "decline": decline,
    "withdraw": withdraw,
    "extend": extend,
}

_TAKES_REASON = {"refuse", "request_supplement", "send_back", "decline", "withdraw", "extend"}
_TAKES_NOTE = {"supplied", "transfer", "propose_result", "approve", "return_result"}


def take_action(
    code,
    dossier_id,
    *,
    actor,
    request=None,
    reason="",
    to_unit=None,
    electronic=True,
    new_appointment=None,
    at=None,
):
    """Dispatch a button press or an API call to the action's service, passing each service
    only the inputs it takes (a reason, a note, a unit, a new appointment)."""
    kwargs = {"actor": actor, "request": request, "at": at}
    if code in _TAKES_REASON:
        kwargs["reason"] = reason
    elif code in _TAKES_NOTE:
        kwargs["note"] = reason
    if code in ("assign", "transfer"):
        kwargs["to_unit"] = to_unit
    if code == "transfer":
        kwargs["electronic"] = electronic
    if code == "extend":
        kwargs["new_appointment"] = new_appointment
    return ACTION_SERVICES[code](dossier_id, **kwargs)


__all__ = [
    "ACTION_SERVICES", "ReceivedComponent", "WorkflowError", "mark_archived", "mark_archived_many",
    "receive_dossier", "record_online_supplement", "submit_online", "take_action",
    "unlock_public_lookup",
]  # fmt: skip
