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

from dossiers.models import AuditEvent
from dossiers.roles import Role
from dossiers.services.audit import record as audit

from ..models import ArchiveRecord, FixityCheck

logger = logging.getLogger(__name__)
CHUNK = 1 << 20
CHECKED_STATES = (ArchiveRecord.State.SEALED, ArchiveRecord.State.PROPOSED)


def _hash(name):
    """(sha256, size) of a stored file, or None when it is not there. An object store may
    only fail on the first read, with its own error: then the file's absence is asked."""
    digest, size = hashlib.sha256(), 0
    try:
        with default_storage.open(name, "rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        return None
    except Exception:
        if not default_storage.exists(name):
            return None
        raise
    return digest.hexdigest(), size


def check_package(record, *, now=None) -> FixityCheck:
    """Re-hash every file of ``record``'s package against the manifest kept at sealing."""
    now = now or timezone.now()
    problems, checked, total = [], 0, 0
    for entry in record.files.order_by("path"):
        found = _hash(f"{record.package_path}/{entry.path}")
        checked += 1
        if found is None:
            problems.append({"path": entry.path, "status": "missing", "expected": entry.sha256,
                             "found": None})  # fmt: skip
            continue
        total += found[1]
        if found[0] != entry.sha256:
            problems.append({"path": entry.path, "status": "changed", "expected": entry.sha256,
                             "found": found[0]})  # fmt: skip
    was_ok = record.fixity_ok
    with transaction.atomic():
        check = FixityCheck.objects.create(
            record=record, checked_at=now, files_checked=checked, bytes_checked=total,
            ok=not problems, problems=problems,
        )  # fmt: skip
        ArchiveRecord.objects.filter(pk=record.pk).update(
            last_fixity_at=now, fixity_ok=not problems
        )
        if problems and was_ok is not False:
            audit(AuditEvent.Kind.SECURITY, "archive.fixity_failed", target=record.dossier,
                  unit=record.unit, data={"record": record.pk, "problems": problems})  # fmt: skip
    record.last_fixity_at, record.fixity_ok = now, not problems
    return check


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
    batch = sealed.select_related("unit", "dossier").order_by(
        F("last_fixity_at").asc(nulls_first=True), "id"
    )[:size]
    checks, broken = [], []
    for record in batch:
        was_ok = record.fixity_ok
        check = check_package(record, now=now)
        checks.append(check)
        if not check.ok and was_ok is not False:
            broken.append(check)
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
            )  # fmt: skip
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
