"""Fixity: re-hash sealed packages on the storage and report files changed or missing.

A periodic task checks a slice per run, sized so that every package is checked within the
configured cycle (``ARCHIVE_FIXITY_CYCLE_DAYS``, run every ``ARCHIVE_FIXITY_EVERY_MINUTES``),
oldest check first. Problems are kept per check, shown on the archive page and mailed to the
archivists of the record's area.
"""

import hashlib
import logging
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dossiers.models import AuditEvent, Dossier
from dossiers.roles import Role
from dossiers.services import audit

from ..models import ArchiveRecord, FixityCheck, PackageFile

logger = logging.getLogger(__name__)
CHUNK = 1 << 20
CHECKED_STATES = (ArchiveRecord.State.SEALED, ArchiveRecord.State.PROPOSED)


def _hash(name, buffer):
    """(sha256, size) of a stored file, or None when it is not there. An object store may
    only fail on the first read, with its own error: then the file's absence is asked.
    ``buffer`` (a memoryview) is read into again and again: no allocation per chunk."""
    digest, size = hashlib.sha256(), 0
    try:
        with default_storage.open(name, "rb") as stream:
            readinto = getattr(stream, "readinto", None)
            while True:
                if readinto is not None:
                    n = readinto(buffer)
                    chunk = buffer[:n]
                else:
                    chunk = stream.read(len(buffer))
                    n = len(chunk)
                if not n:
                    break
                digest.update(chunk)
                size += n
    except FileNotFoundError:
        return None
    except Exception:
        if not default_storage.exists(name):
            return None
        raise
    return digest.hexdigest(), size


def check_package(record, *, now=None) -> FixityCheck:
    """Re-hash every file of ``record``'s package against the manifest kept at sealing."""
    [check], _ = check_packages([record], now=now)
    return check


def check_packages(records, *, now=None) -> tuple[list[FixityCheck], list[FixityCheck]]:
    """Re-hash every byte of every file of the packages of ``records`` against the rows kept
    at sealing; one :class:`FixityCheck` per package. The database work is the same few
    queries however many packages: the files of all of them read at once, the checks and the
    records' state written in bulk, in one transaction. Returns the checks and, among them,
    those of packages newly found broken (audited here; the caller tells the archivists)."""
    now = now or timezone.now()
    records = list(records)
    manifest = {record.pk: [] for record in records}
    files = PackageFile.objects.filter(record__in=records).order_by("record_id", "path")
    for record_id, path, sha256 in files.values_list("record_id", "path", "sha256"):
        manifest[record_id].append((path, sha256))
    buffer = memoryview(bytearray(CHUNK))
    checks = []
    for record in records:
        problems, total = [], 0
        for path, expected in manifest[record.pk]:
            found = _hash(f"{record.package_path}/{path}", buffer)
            if found is None:
                problems.append(
                    {"path": path, "status": "missing", "expected": expected, "found": None}
                )
                continue
            total += found[1]
            if found[0] != expected:
                problems.append(
                    {"path": path, "status": "changed", "expected": expected, "found": found[0]}
                )
        checks.append(
            FixityCheck(
                record=record,
                checked_at=now,
                ok=not problems,
                files_checked=len(manifest[record.pk]),
                bytes_checked=total,
                problems=problems,
            )
        )
    newly_broken = [c for c in checks if not c.ok and c.record.fixity_ok is not False]
    with transaction.atomic():
        FixityCheck.objects.bulk_create(checks)
        for ok in (True, False):
            ids = [c.record.pk for c in checks if c.ok is ok]
            if ids:
                ArchiveRecord.objects.filter(pk__in=ids).update(last_fixity_at=now, fixity_ok=ok)
        if newly_broken:
            AuditEvent.objects.bulk_create(
                audit.build(
                    AuditEvent.Kind.SECURITY,
                    "archive.fixity_failed",
                    target=Dossier(pk=c.record.dossier_id),
                    unit=c.record.unit,
                    data={"record": c.record.pk, "problems": c.problems},
                )
                for c in newly_broken
            )
    for check in checks:
        check.record.last_fixity_at, check.record.fixity_ok = now, check.ok
    return checks, newly_broken


def slice_size(total) -> int:
    runs_per_cycle = max(
        1, settings.ARCHIVE_FIXITY_CYCLE_DAYS * 24 * 60 // settings.ARCHIVE_FIXITY_EVERY_MINUTES
    )
    return max(1, math.ceil(total / runs_per_cycle))


def run_fixity_slice(*, limit=None, now=None) -> list[FixityCheck]:
    """Check the packages least recently checked (never checked first), as many as keep the
    whole archive within one cycle; mail the archivists about newly broken packages."""
    now = now or timezone.now()
    sealed = ArchiveRecord.objects.filter(state__in=CHECKED_STATES)
    size = limit or slice_size(sealed.count())
    oldest_first = F("last_fixity_at").asc(nulls_first=True)
    batch = list(sealed.select_related("unit").order_by(oldest_first, "id")[:size])
    checks, broken = check_packages(batch, now=now)
    if broken:
        transaction.on_commit(lambda: notify_archivists(broken), robust=True)
    return checks


def notify_archivists(checks):
    """One e-mail per area to its archivists who have an address, listing what broke."""
    users = (
        get_user_model()
        .objects.filter(groups__name=Role.ARCHIVIST.value, is_active=True, staff__isnull=False)
        .exclude(email="")
        .select_related("staff__unit")
    )
    for user in users:
        area = user.staff.unit.area() or user.staff.unit
        mine = [c for c in checks if c.record.unit.path.startswith(area.path)]
        if not mine:
            continue
        lines = [
            f"- {c.record.code}: "
            + "; ".join(
                f"{p['path']} ({'bị thay đổi' if p['status'] == 'changed' else 'bị mất'})"
                for p in c.problems
            )
            for c in mine
        ]
        send_mail(
            f"[Lưu trữ] {len(mine)} gói lưu trữ không còn toàn vẹn",
            "Kiểm tra toàn vẹn định kỳ phát hiện các tệp bị thay đổi hoặc bị mất:\n\n"
            + "\n".join(lines)
            + f"\n\nXem chi tiết tại {settings.PUBLIC_BASE_URL}/luu-tru/.",
            None,
            [user.email],
        )
