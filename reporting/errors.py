"""The one error reporting raises for bad input: a Vietnamese message, an HTTP status, the
field at fault. Pages show it, the API returns it as ``detail``; never a 500."""


class ReportError(Exception):
    def __init__(self, message, *, status=400, field=None):
        super().__init__(message)
        self.message, self.status, self.field = message, status, field
