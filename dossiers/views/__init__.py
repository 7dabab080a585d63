"""Server-rendered pages of the dossiers app: thin, each parses, calls a query or a service,
renders."""

from .base import (
    bad_request,
    csrf_failure,
    home,
    locked_out,
    page_not_found,
    permission_denied,
    procedure_list,
    server_error,
)
from .citizen import my_dossier, my_dossiers
from .dossiers import (
    approval_queue,
    dossier_action,
    dossier_detail,
    dossier_form_pdf,
    dossier_list,
    inbox,
    register_pdf,
    unlock_public_lookup,
)
from .public import status as public_status
from .rating import kiosk_rating, public_rating
from .reception import applicant_lookup, procedure_search, reception
from .stopping import public_stop

__all__ = [
    "applicant_lookup",
    "approval_queue",
    "bad_request",
    "csrf_failure",
    "dossier_action",
    "dossier_detail",
    "dossier_form_pdf",
    "dossier_list",
    "home",
    "inbox",
    "kiosk_rating",
    "locked_out",
    "my_dossier",
    "my_dossiers",
    "page_not_found",
    "permission_denied",
    "procedure_list",
    "public_rating",
    "public_status",
    "public_stop",
    "procedure_search",
    "register_pdf",
    "unlock_public_lookup",
    "reception",
    "server_error",
]
