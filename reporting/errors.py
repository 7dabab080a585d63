"""The one error reporting raises for bad input: a Vietnamese message, an HTTP status, the
field at fault. Pages show it, the API returns it as ``detail``; never a 500."""

from core.errors import PortalError


class ReportError(PortalError):
    pass
