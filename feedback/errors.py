from core.errors import PortalError


class FeedbackError(PortalError):
    """A PAKN action refused; ``message`` is Vietnamese and meant for the citizen or the
    leader (400 bad input, 403 not allowed, 404 not found or not in scope, 409 the case's
    state does not allow it, 429 too many)."""
