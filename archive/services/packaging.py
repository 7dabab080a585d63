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
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear
from django.utils import timezone

from core import work
from core.queue import enqueue_on_commit
from dossiers.models import AuditEvent, Dossier
from dossiers.services import WorkflowError, audit, mark_archived_many
from dossiers.services.audit import record as audit_record
from dossiers.workflow import State

from .. import contents
from ..bag import BagWriter
from ..errors import ArchiveError, PackagingError
from ..models import ArchiveRecord, ArchiveSearch, PackageFile
from ..queries import may_retry
from ..retention import retention_until

logger = logging.getLogger(__name__)

PACKAGES = "archive/packages"
# Records packed per task by the nightly pass and the sweeper: one claim, one load and one
# sealing transaction per batch instead of per dossier (a few seconds of work at most).
BATCH = 50
RS = ArchiveRecord.State


def enqueue(record_id):
    """Build the package after the current transaction commits. A broker outage is logged,
    not raised: the sweeper finds the record pending."""
    enqueue_on_commit("archive.build_package", [record_id], what="Archive packages")


def enqueue_batches(record_ids):
    """:func:`enqueue` for many records, :data:`BATCH` per task."""
    ids = list(record_ids)
    chunks = [[ids[start : start + BATCH]] for start in range(0, len(ids), BATCH)]
    if chunks:
        enqueue_on_commit("archive.build_packages", *chunks, what="Archive batches")


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
            defaults={
                "code": dossier.code,
                "unit_id": dossier.receiving_unit_id,
                "procedure_id": dossier.procedure_id,
                "applicant_name": dossier.applicant.name,
                "returned_at": dossier.returned_at,
            },
        )
        if enqueue_now and record.state in (RS.PENDING, RS.FAILED):
            enqueue(record.pk)
    return record


def _claim(record_ids, token) -> dict[int, ArchiveRecord]:
    """Take the records for this attempt (core.work.claim: pending, failed, or processing past
    their lease) each under a fresh folder of its own
    (``archive/packages/<year returned>/<code>/<token>``); those another worker holds are
    left to it. One UPDATE claims, one SELECT reads back the rows that carry this attempt's
    token."""
    now = timezone.now()
    year = ExtractYear(Coalesce("returned_at", Value(now)), tzinfo=timezone.get_current_timezone())
    root = Concat(
        Value(f"{PACKAGES}/"),
        Cast(year, CharField()),
        Value("/"),
        "code",
        Value(f"/{token}"),
        output_field=CharField(),
    )
    taken = work.claim(ArchiveRecord.objects.filter(pk__in=record_ids), now=now, package_path=root)
    if not taken:
        return {}
    mine = ArchiveRecord.objects.filter(
        pk__in=record_ids, state=RS.PROCESSING, package_path__endswith=f"/{token}"
    ).only(
        "returned_at",
        "code",
        "dossier",
        "package_path",
        "state",
        "lease_until",
        "next_attempt_at",
        "attempts",
    )
    return {record.pk: record for record in mine.order_by("pk")}


def failure_message(exc) -> str:
    if isinstance(exc, ArchiveError | WorkflowError):
        return exc.message
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Kho lưu trữ đã hết dung lượng khi ghi gói lưu trữ."
    if isinstance(exc, OSError):
        return f"Lỗi ghi kho lưu trữ: {exc.strerror or exc}."
    return f"Lỗi không mong đợi khi lập gói lưu trữ ({type(exc).__name__})."


def _fail(record, message):
    """Record the failed attempt (core.work.fail: backoff, then no automatic try) while this
    attempt still holds the record."""
    work.fail(record, message, where={"package_path": record.package_path}, package_path="")
    logger.warning("archive: package of %s failed: %s", record.code, message)


@dataclass
class Outcome:
    """What :func:`build_packages` did: the records sealed, the error of each that failed
    (recorded on the record too), and those it left alone (sealed already, or another
    worker's)."""

    sealed: dict[int, ArchiveRecord] = field(default_factory=dict)
    errors: dict[int, Exception] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)


@dataclass
class _Written:
    """A package written and verified on the storage, waiting for its seal."""

    record: ArchiveRecord
    dossier: Dossier
    writer: BagWriter
    retention: dict
    package_sha: str
    search_text: str


def build_package(record_id) -> ArchiveRecord | None:
    """Build, verify and seal the package of ``record_id`` (a dossier just returned).

    Idempotent: a record already sealed, or being built by another worker within its lease,
    is left alone. On failure raises :class:`PackagingError` (after removing the attempt's
    files and marking the record failed); the dossier stays ``returned``."""
    outcome = build_packages([record_id])
    if record_id in outcome.errors:
        raise outcome.errors[record_id]
    return outcome.sealed.get(record_id) or ArchiveRecord.objects.filter(pk=record_id).first()


def build_packages(record_ids) -> Outcome:
    """Build, verify and seal the packages of several records (the nightly pass, the sweeper
    and ``manage.py archive_returned`` work in batches of :data:`BATCH`).

    Each package is written under its own fresh folder and verified on the storage; then the
    records of every verified package are sealed, and their dossiers moved to ``archived``, in
    one transaction with a fixed number of queries. A package that fails is removed and its
    record marked failed (reason, next try), without holding up the others."""
    records = _claim(list(record_ids), uuid.uuid4().hex[:12])
    outcome = Outcome(skipped=[pk for pk in record_ids if pk not in records])
    if not records:
        return outcome
    try:
        dossiers = contents.load_many({r.dossier_id for r in records.values()})
    except Exception as exc:
        for record in records.values():
            _failed(outcome, record, None, exc)
        return outcome
    written = []
    for record in records.values():
        writer = BagWriter(default_storage, record.package_path)
        try:
            dossier = dossiers[record.dossier_id]
            contents.check_ready(dossier)
            if contents.render_missing_forms(dossier):
                dossier = contents.load(record.dossier_id)
            written.append(_write(record, dossier, writer))
        except Exception as exc:
            _failed(outcome, record, writer, exc)
    if written:
        _seal(written, outcome)
    return outcome


def _failed(outcome, record, writer, exc):
    """Remove what the attempt wrote, mark the record failed, keep the error for the caller."""
    if writer is not None:
        writer.discard()
    message = failure_message(exc)
    _fail(record, message)
    if isinstance(exc, OSError | WorkflowError) and not isinstance(exc, ArchiveError):
        error = PackagingError(message)
        error.__cause__ = exc
        exc = error
    elif not isinstance(exc, ArchiveError):
        logger.error("archive: package of %s failed", record.code, exc_info=exc)
    outcome.errors[record.pk] = exc


def _retention(procedure, returned_at):
    returned_on = timezone.localdate(returned_at) if returned_at else None
    until = retention_until(returned_on, procedure.retention_years, procedure.retention_permanent)
    return {
        "years": None if procedure.retention_permanent else procedure.retention_years,
        "permanent": procedure.retention_permanent,
        "from": returned_on,
        "until": until,
    }


def _write(record, dossier, writer) -> _Written:
    """Write the whole bag of ``dossier`` (tag manifest last) and check it is all there."""
    contents.write_files(writer, dossier)
    procedure = dossier.procedure  # the period in force now (read with the dossier, just now)
    retention = _retention(procedure, dossier.returned_at)
    files = list(writer.entries)
    events = contents.history(dossier)
    meta = contents.metadata(dossier, record, files, retention=retention, events=events)
    writer.add_bytes(
        "data/metadata.json",
        contents.to_json(meta),
        role="metadata",
        label="Thông tin và quá trình xử lý hồ sơ (JSON)",
    )
    writer.add_bytes(
        "data/index.html",
        contents.index_html(dossier, meta, events),
        role="index",
        label="Mục lục hồ sơ (HTML)",
    )
    unit = dossier.receiving_unit
    package_sha = writer.seal(
        {
            "Source-Organization": unit.name,
            "Organization-Address": unit.address or unit.name,
            "External-Identifier": dossier.code,
            "External-Description": f"Hồ sơ TTHC {procedure.national_code} {procedure.name}",
            "Bagging-Date": timezone.localdate().isoformat(),
            "Retention-Period": "permanent"
            if procedure.retention_permanent
            else f"{procedure.retention_years} years",
            "Retention-Until": retention["until"].isoformat() if retention["until"] else "never",
            "Bag-Software-Agent": "Cong Mot cua Bac Yen (archive)",
        }
    )
    writer.verify()
    text = contents.search_text(dossier)
    return _Written(record, dossier, writer, retention, package_sha, text)


def _seal(written, outcome):
    """Seal every verified package of the batch in one transaction: the records, their files'
    rows, the dossiers' move to ``archived``, the audit. Only an attempt that still holds its
    claim may seal (a lease that ran out hands the record on)."""
    try:
        with transaction.atomic():
            now = timezone.now()
            # Only this attempt's claim may seal (a lease that ran out hands it on): the rows
            # still held under this attempt's folders are locked, then sealed together.
            held = set(
                ArchiveRecord.objects.select_for_update()
                .filter(pk__in=[w.record.pk for w in written], state=RS.PROCESSING)
                .values_list("pk", "package_path")
            )
            kept, lost = [], []
            for w in written:
                (kept if (w.record.pk, w.writer.root) in held else lost).append(w)
            _seal_records(kept, now)
            ArchiveSearch.objects.bulk_create(
                ArchiveSearch(record=w.record, text=w.search_text) for w in kept
            )
            PackageFile.objects.bulk_create(
                PackageFile(
                    record=w.record,
                    path=e.path,
                    kind=e.kind,
                    role=e.role,
                    label=e.label[:400],
                    sha256=e.sha256,
                    size=e.size,
                )
                for w in kept
                for e in w.writer.entries
            )
            returned = [w.dossier.pk for w in kept if w.dossier.state == State.RETURNED]
            if returned:
                mark_archived_many(returned)
            AuditEvent.objects.bulk_create(
                audit.build(
                    AuditEvent.Kind.CHANGE,
                    "archive.seal",
                    target=w.dossier,
                    unit=w.dossier.receiving_unit,
                    data={
                        "record": w.record.pk,
                        "package_sha256": w.package_sha,
                        "files": w.record.package_files,
                        "bytes": w.record.package_bytes,
                    },
                )
                for w in kept
            )
    except Exception as exc:
        for w in written:
            _failed(outcome, w.record, w.writer, exc)
        return
    for w in lost:
        message = "Một lần lập gói khác của hồ sơ này đã thay thế lần này."
        _failed(outcome, w.record, w.writer, PackagingError(message))
    sealed = [w.record for w in kept]
    outcome.sealed.update((record.pk, record) for record in sealed)
    transaction.on_commit(lambda: [_remove_other_attempts(r) for r in sealed], robust=True)


def _seal_records(kept, now):
    """Write each record's seal: one UPDATE a record, sent together (``executemany``: one
    round trip on PostgreSQL) rather than compiled by the ORM fifty times a batch. The rows
    are locked by the caller."""
    if not kept:
        return
    seals = [_seal_values(w, now) for w in kept]
    meta, ops = ArchiveRecord._meta, connection.ops
    fields = [meta.get_field(name) for name in seals[0]]  # the same names for every record
    sets = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {ops.quote_name(meta.db_table)} SET {sets} "  # noqa: S608 - names only
        f"WHERE {ops.quote_name(meta.pk.column)} = %s"
    )
    rows = []
    for w, values in zip(kept, seals, strict=True):
        for name, value in values.items():
            setattr(w.record, name, value)
        rows.append(
            [f.get_db_prep_save(values[f.name], connection) for f in fields] + [w.record.pk]
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _seal_values(w, now) -> dict:
    d, retention = w.dossier, w.retention
    return dict(
        **work.done_values(ArchiveRecord, now),
        sealed_at=now,
        package_sha256=w.package_sha,
        code=d.code,
        applicant_name=d.applicant.name,
        returned_at=d.returned_at,
        retention_years=retention["years"],
        retention_permanent=retention["permanent"],
        retention_until=retention["until"],
        package_bytes=sum(e.size for e in w.writer.entries),
        package_files=len(w.writer.entries),
    )


def _remove_tree(storage, prefix):
    directories, files = storage.listdir(prefix)
    for name in files:
        storage.delete(f"{prefix}/{name}")
    for name in directories:
        _remove_tree(storage, f"{prefix}/{name}")


def _remove_other_attempts(record):
    """Folders of earlier attempts cut short (a killed worker) hold no tag manifest and no
    record points at them: remove them once a package of the record is sealed."""
    if record.attempts <= 1:
        return  # the first attempt: there is no other
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
        audit_record(
            AuditEvent.Kind.CHANGE,
            "archive.retry",
            actor=actor,
            target=record.dossier,
            request=request,
            data={"record": record.pk},
        )
        enqueue(record.pk)
    return record


def sweep_packages(now=None) -> list[int]:
    """Re-enqueue what is due: pending records whose message may have been lost, records
    processing past their lease (a killed worker), failed ones whose retry time came."""
    due = work.due_for_sweep(ArchiveRecord, now=now)
    ids = list(due.order_by("id").values_list("pk", flat=True)[: settings.ARCHIVE_SWEEP_BATCH])
    enqueue_batches(ids)
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
        enqueue_batches(ids)
    return {"created": created, "enqueued": len(ids) if enqueue_now else 0}
