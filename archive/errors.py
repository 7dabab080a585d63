from core.errors import PortalError


class ArchiveError(PortalError):
    """A refused archive action or a failed package; ``message`` is Vietnamese, for the user.

    ``status`` is what the API answers: 400 bad input, 403 not allowed, 404 not in scope,
    409 the record's or batch's state does not allow it.
    """


class PackagingError(ArchiveError):
    """A package could not be built or written; nothing was sealed, the dossier stays
    returned, the record is ``failed`` with this message and is tried again."""
