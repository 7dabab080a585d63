"""Every write of the archive app: one function per business action (archiving a returned
dossier, checking fixity, proposing / deciding / executing a disposal, logging an access)."""

from .access import log_access
from .disposal import approve_disposal, execute_disposal, propose_disposal, reject_disposal
from .fixity import check_package, run_fixity_slice
from .packaging import (
    archive_returned,
    build_package,
    build_packages,
    request_archiving,
    retry_package,
    sweep_packages,
)

__all__ = [
    "approve_disposal",
    "archive_returned",
    "build_package",
    "build_packages",
    "check_package",
    "execute_disposal",
    "log_access",
    "propose_disposal",
    "reject_disposal",
    "request_archiving",
    "retry_package",
    "run_fixity_slice",
    "sweep_packages",
]
