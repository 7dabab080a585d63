"""The access log: every read of an archived record and every download from it is an audit
row of kind ACCESS (dossiers.models.AuditEvent) with who, when, from where and why.

One append-only trail for the whole portal rather than a second table: the dossier page, the
printed forms and the scans already write their reads there, so the archivist's log (filter,
export) reads one place and nothing can be logged in one table and missed in the other.
"""

from dossiers.services.access import log_access as log_read

from ..errors import ArchiveError
from ..queries import in_dossier_units

MIN_REASON = 5


def reason_needed(actor, record) -> bool:
    """A reader outside the dossier's units states why they open it."""
    return not in_dossier_units(actor, record.dossier)


def log_access(record, action, *, actor, request=None, reason="", data=None):
    """Write one access row for ``record`` (action e.g. ``archive.view``,
    ``archive.package_download``). Refuses, writing nothing, when a reason is needed and
    missing or too short."""
    reason = " ".join((reason or "").split())
    if reason_needed(actor, record) and len(reason) < MIN_REASON:
        raise ArchiveError(
            "Bạn không thuộc đơn vị đã tiếp nhận hay xử lý hồ sơ này: cần ghi rõ lý do truy cập "
            f"(ít nhất {MIN_REASON} ký tự).",
            field="reason",
        )
    return log_read(
        action,
        actor=actor,
        target=record.dossier,
        request=request,
        reason=reason,
        data={"record": record.pk, "code": record.code, **(data or {})},
    )
