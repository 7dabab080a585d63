class ArchiveError(Exception):
    """A refused archive action or a failed package; ``message`` is Vietnamese, for the user.

    ``status`` is what the API answers: 400 bad input, 403 not allowed, 404 not in scope,
    409 the record's or batch's state does not allow it.
    """

    def __init__(self, message, *, status=400, field=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


class PackagingError(ArchiveError):
    """A package could not be built or written; nothing was sealed, the dossier stays
    returned, the record is ``failed`` with this message and is tried again."""
