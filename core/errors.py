"""The one family of errors a person or an API client is meant to read.

Every app's refusal subclasses :class:`PortalError`: a Vietnamese ``message``, the HTTP
``status`` the API answers with (400 bad input, 403 not allowed, 404 not in scope, 409 the
state does not allow it), the ``field`` at fault. The API converts it in one place
(bacyen_portal/api_errors.py), so API views let it propagate.
"""


class PortalError(Exception):
    def __init__(self, message, *, status=400, field=None):
        super().__init__(message)
        self.message, self.status, self.field = message, status, field

    def body(self) -> dict:
        """The API's JSON for this error."""
        body = {"detail": self.message}
        if self.field:
            body["field"] = self.field
        return body
