"""Every write of the dossiers app: one function per business action, one transaction each.

Each action of ``workflow.ACTIONS`` has one service, named as the action; :func:`take_action`
dispatches a button press or a POST to it with the inputs the table names, so pages and the
API repeat no rule.
"""

from ..workflow import ACTIONS
from .access import log_access
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
    returned_by_post,
    send_back,
    send_by_post,
    supplied,
    transfer,
    withdraw,
)
from .online import record_online_supplement, submit_online
from .public_access import unlock_public_lookup
from .reception import ReceivedComponent, accept, receive_dossier, refuse
from .reorganisation import apply_reorganisation
from .stopping import request_stop, stop

# Each action's service is the function of the action's own name (workflow.ACTIONS's code).
ACTION_SERVICES = {code: globals()[code] for code in ACTIONS}


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
    """Dispatch a button press or an API call to the action's service, passing it the inputs
    its row of ``workflow.ACTIONS`` names (the one text box is the reason or the note)."""
    given = {
        "reason": reason,
        "note": reason,
        "to_unit": to_unit,
        "electronic": electronic,
        "new_appointment": new_appointment,
    }
    inputs = {name: given[name] for name in ACTIONS[code].inputs}
    return ACTION_SERVICES[code](dossier_id, actor=actor, request=request, at=at, **inputs)


__all__ = [
    "ACTION_SERVICES",
    "ReceivedComponent",
    "WorkflowError",
    "apply_reorganisation",
    "log_access",
    "mark_archived",
    "mark_archived_many",
    "receive_dossier",
    "record_online_supplement",
    "request_stop",
    "returned_by_post",
    "submit_online",
    "take_action",
    "unlock_public_lookup",
    # the actions' services (ACTION_SERVICES finds them by name)
    "accept",
    "approve",
    "assign",
    "decline",
    "extend",
    "propose_result",
    "refuse",
    "request_supplement",
    "return_result",
    "send_back",
    "send_by_post",
    "stop",
    "supplied",
    "transfer",
    "withdraw",
]
