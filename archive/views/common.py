"""What the archive's pages share: finding a record in scope, the stated reason kept in the
session for a while, turning an ArchiveError into a message."""

import time

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..models import ArchiveRecord
from ..queries import archive_records, has_archive_role

REASON_SECONDS = 30 * 60


def record_or_404(user, pk) -> ArchiveRecord:
    try:
        return archive_records(user).select_related("dossier", "procedure", "unit").get(pk=pk)
    except ArchiveRecord.DoesNotExist as exc:
        raise Http404("Không tìm thấy hồ sơ lưu trữ trong phạm vi của bạn.") from exc


def require_archive_role(user):
    if not has_archive_role(user):
        raise PermissionDenied("Trang này dành cho cán bộ lưu trữ và lãnh đạo.")


def _key(record):
    return f"archive-reason-{record.pk}"


def saved_reason(request, record) -> str:
    """The reason the reader stated for this record in the last 30 minutes, if any."""
    saved = request.session.get(_key(record))
    if saved and time.time() - saved[1] < REASON_SECONDS:
        return saved[0]
    return ""


def save_reason(request, record, reason):
    request.session[_key(record)] = [" ".join(reason.split()), time.time()]
