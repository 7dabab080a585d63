from core.errors import PortalError


class WorkflowError(PortalError):
    """An action refused; ``message`` is Vietnamese and meant for the user.

    ``status`` is the HTTP status the API answers with: 403 when the person may not take the
    action, 409 when the dossier's state does not allow it, 400 for bad input.
    """
