"""Archiving a returned dossier: the record, the package, its sealing, retries.

The work state is the record's (``pending → processing → sealed | failed``), not the broker's:
a record is claimed with a lease, the package is written under a fresh folder of its own,
verified, and only then sealed in one transaction with the dossier's move to ``archived``. Any
failure removes what the attempt wrote, leaves the dossier ``returned`` and the record
``failed`` with a Vietnamese reason and the moment of its next try; the sweeper re-enqueues
what is due.
"""

import errno
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dossiers.models import AuditEvent, Dossier
from dossiers.services import WorkflowError, mark_archived
from dossiers.services.audit import record as audit
from dossiers.workflow import State

from .. import contents
from ..bag import BagWriter
from ..errors import ArchiveError, PackagingError
from ..models import ArchiveRecord, PackageFile
from ..retention import retention_until

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=30)
# Automatic retries after a failure (minutes); then the nightly pass and the retry button.
BACKOFF_MINUTES = (2, 10, 60, 360)
PACKAGES = "archive/packages"
RS = ArchiveRecord.State


def enqueue(record_id):
    """Build the package after the current transaction commits. A broker outage is logged,
    not raised: the sweeper finds the record pending."""
    from ..tasks import build_package as task

    transaction.on_commit(lambda: task.delay(record_id), robust=True)


def request_archiving(dossier_id, *, enqueue_now=True) -> ArchiveRecord | None:
    """Create the archive record of a returned dossier (once) and enqueue its package (unless
    ``enqueue_now`` is false: the sweeper and the nightly pass find it pending). Idempotent;
    None when the dossier is neither returned nor archived."""
    with transaction.atomic():
        dossier = Dossier.objects.select_related("applicant").get(pk=dossier_id)
        if dossier.state not in (State.RETURNED, State.ARCHIVED):
            return None
        record, _ = ArchiveRecord.objects.get_or_create(
            dossier=dossier,
            defaults={"code": dossier.code, "unit_id": dossier.receiving_unit_id,
                      "procedure_id": dossier.procedure_id,
                      "applicant_name": dossier.applicant.name,
                      "returned_at": dossier.returned_at},
        )  # fmt: skip
        if enqueue_now and record.state in (RS.PENDING, RS.FAILED):
            enqueue(record.pk)
    return record


def _claim(record_id, token):
    """Take the record for this attempt: pending, failed, or processing past its lease."""
    now = timezone.now()
    record = (
        ArchiveRecord.objects.filter(pk=record_id).only("returned_at", "code", "dossier").first()
    )
    if record is None:
        return None
    year = timezone.localtime(record.returned_at or now).year
    root = f"{PACKAGES}/{year}/{record.code}/{token}"
    claimable = Q(state__in=(RS.PENDING, RS.FAILED)) | Q(state=RS.PROCESSING, lease_until__lt=now)
    claim = {"state": RS.PROCESSING, "lease_until": now + LEASE, "package_path": root,
             "next_attempt_at": None}  # fmt: skip
    taken = ArchiveRecord.objects.filter(claimable, pk=record_id).update(
        attempts=F("attempts") + 1, **claim
    )
    if not taken:
        return None
    for name, value in claim.items():
        setattr(record, name, value)
    return record


def failure_message(exc) -> str:
    if isinstance(exc, ArchiveError | WorkflowError):
        return exc.message
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Kho lưu trữ đã hết dung lượng khi ghi gói lưu trữ."
    if isinstance(exc, OSError):
        return f"Lỗi ghi kho lưu trữ: {exc.strerror or exc}."
    return f"Lỗi không mong đợi khi lập gói lưu trữ ({type(exc).__name__})."


def _fail(record, message):
    attempts = ArchiveRecord.objects.filter(pk=record.pk).values_list("attempts", flat=True)[0]
    retry_in = BACKOFF_MINUTES[attempts - 1] if attempts <= len(BACKOFF_MINUTES) else None
    ArchiveRecord.objects.filter(pk=record.pk, package_path=record.package_path).update(
        state=RS.FAILED, lease_until=None, last_error=message[:500], package_path="",
        next_attempt_at=timezone.now() + timedelta(minutes=retry_in) if retry_in else None,
    )  # fmt: skip
    logger.warning("archive: package of %s failed: %s", record.code, message)


def build_package(record_id) -> ArchiveRecord | None:
    """Build, verify and seal the package of ``record_id``.

    Idempotent: a record already sealed, or being built by another worker within its lease,
    is left alone. On failure raises :class:`PackagingError` (after removing the attempt's
    files and marking the record failed); the dossier stays ``returned``."""
    record = _claim(record_id, uuid.uuid4().hex[:12])
    if record is None:
        return ArchiveRecord.objects.filter(pk=record_id).first()
    writer = BagWriter(default_storage, record.package_path)
    try:
        dossier = contents.load(record.dossier_id)
        contents.check_ready(dossier)
        if contents.render_missing_forms(dossier):
            dossier = contents.load(record.dossier_id)
        sealed = _write_and_seal(record, dossier, writer)
    except Exception as exc:
        writer.discard()
        message = failure_message(exc)
        _fail(record, message)
        if isinstance(exc, ArchiveError):
            raise
        if isinstance(exc, OSError | WorkflowError):
            raise PackagingError(message) from exc
        raise
    transaction.on_commit(lambda: _remove_other_attempts(sealed), robust=True)
    return sealed


def _retention(procedure, returned_at):
    returned_on = timezone.localdate(returned_at) if returned_at else None
    until = retention_until(returned_on, procedure.retention_years, procedure.retention_permanent)
    return {"years": None if procedure.retention_permanent else procedure.retention_years,
            "permanent": procedure.retention_permanent, "from": returned_on,
            "until": until}  # fmt: skip


def _write_and_seal(record, dossier, writer):
    contents.write_files(writer, dossier)
    procedure = dossier.procedure  # the period in force now (read with the dossier, just now)
    retention = _retention(procedure, dossier.returned_at)
    files = list(writer.entries)
    events = contents.history(dossier)
    meta = contents.metadata(dossier, record, files, retention=retention, events=events)
    writer.add_bytes("data/metadata.json", contents.to_json(meta), role="metadata",
                     label="Thông tin và quá trình xử lý hồ sơ (JSON)")  # fmt: skip
    writer.add_bytes("data/index.html", contents.index_html(dossier, meta, events),
                     role="index", label="Mục lục hồ sơ (HTML)")  # fmt: skip
    unit = dossier.receiving_unit
    package_sha = writer.seal({
        "Source-Organization": unit.name, "Organization-Address": unit.address or unit.name,
        "External-Identifier": dossier.code,
        "External-Description": f"Hồ sơ TTHC {procedure.national_code} {procedure.name}",
        "Bagging-Date": timezone.localdate().isoformat(),
        "Retention-Period": "permanent" if procedure.retention_permanent
        else f"{procedure.retention_years} years",
        "Retention-Until": retention["until"].isoformat() if retention["until"] else "never",
        "Bag-Software-Agent": "Cong Mot cua Bac Yen (archive)",
    })  # fmt: skip
    writer.verify()
    text = contents.search_text(dossier)
    with transaction.atomic():
        values = dict(
            state=RS.SEALED, lease_until=None, next_attempt_at=None, last_error="",
            sealed_at=timezone.now(), package_sha256=package_sha, code=dossier.code,
            applicant_name=dossier.applicant.name, returned_at=dossier.returned_at,
            retention_years=retention["years"], retention_permanent=retention["permanent"],
            retention_until=retention["until"], search_text=text,
            package_bytes=sum(e.size for e in writer.entries),
            package_files=len(writer.entries),
        )  # fmt: skip
        # Only this attempt's claim may seal (a lease that ran out hands the record on).
        mine = ArchiveRecord.objects.filter(
            pk=record.pk, state=RS.PROCESSING, package_path=writer.root
        ).update(**values)
        if not mine:
            raise PackagingError("Một lần lập gói khác của hồ sơ này đã thay thế lần này.")
        locked = record
        for name, value in values.items():
            setattr(locked, name, value)
        PackageFile.objects.bulk_create(
            PackageFile(record=locked, path=e.path, kind=e.kind, role=e.role,
                        label=e.label[:400], sha256=e.sha256, size=e.size)
            for e in writer.entries
        )  # fmt: skip
        if dossier.state == State.RETURNED:
            mark_archived(dossier.pk)
        audit(AuditEvent.Kind.CHANGE, "archive.seal", target=dossier, unit=unit,
              data={"record": locked.pk, "package_sha256": package_sha,
                    "files": locked.package_files, "bytes": locked.package_bytes})  # fmt: skip
    return locked


def _remove_tree(storage, prefix):
    directories, files = storage.listdir(prefix)
    for name in files:
        storage.delete(f"{prefix}/{name}")
    for name in directories:
        _remove_tree(storage, f"{prefix}/{name}")


def _remove_other_attempts(record):
    """Folders of earlier attempts cut short (a killed worker) hold no tag manifest and no
    record points at them: remove them once a package of the record is sealed."""
    parent, _, mine = record.package_path.rpartition("/")
    try:
        directories, _ = default_storage.listdir(parent)
        for name in directories:
            if name != mine:
                _remove_tree(default_storage, f"{parent}/{name}")
    except (OSError, NotImplementedError):
        logger.warning("archive: could not clean earlier attempts under %s", parent)


def retry_package(record_id, *, actor, request=None) -> ArchiveRecord:
    """A person asks for a failed package to be built again now (archivist, or the clerk of
    the counter that returned the dossier)."""
    from ..queries import may_retry

    with transaction.atomic():
        record = (
            ArchiveRecord.objects.select_for_update().select_related("dossier").get(pk=record_id)
        )
        if not may_retry(actor, record):
            raise ArchiveError("Bạn không có quyền yêu cầu lập lại gói lưu trữ này.", status=403)
        if record.state != RS.FAILED:
            raise ArchiveError(
                f"Chỉ lập lại gói đang lỗi (hồ sơ đang «{record.get_state_display()}»).",
                status=409,
            )
        ArchiveRecord.objects.filter(pk=record.pk).update(next_attempt_at=timezone.now())
        audit(AuditEvent.Kind.CHANGE, "archive.retry", actor=actor, target=record.dossier,
              request=request, data={"record": record.pk})  # fmt: skip
        enqueue(record.pk)
    return record


def sweep_packages(now=None) -> list[int]:
    """Re-enqueue what is due: pending records whose message may have been lost, records
    processing past their lease (a killed worker), failed ones whose retry time came."""
    now = now or timezone.now()
    due = ArchiveRecord.objects.filter(
        Q(state=RS.PENDING, requested_at__lt=now - timedelta(minutes=2))
        | Q(state=RS.PROCESSING, lease_until__lt=now)
        | Q(state=RS.FAILED, next_attempt_at__lte=now)
    )
    ids = list(due.order_by("id").values_list("pk", flat=True)[: settings.ARCHIVE_SWEEP_BATCH])
    for pk in ids:
        enqueue(pk)
    return ids


def archive_returned(*, enqueue_now=True) -> dict:
    """The nightly pass: a record (and its package) for every returned dossier that has none
    (a lost signal; dossiers archived before this app), and one more try of each pending or
    failed one."""
    missing = Dossier.objects.filter(
        state__in=(State.RETURNED, State.ARCHIVED), archive_record__isnull=True
    ).values_list("pk", flat=True)
    created = sum(1 for pk in list(missing) if request_archiving(pk, enqueue_now=False) is not None)
    waiting = ArchiveRecord.objects.filter(state__in=(RS.PENDING, RS.FAILED))
    ids = list(waiting.order_by("id").values_list("pk", flat=True))
    if enqueue_now:
        for pk in ids:
            enqueue(pk)
    return {"created": created, "enqueued": len(ids) if enqueue_now else 0}
