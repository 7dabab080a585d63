"""Disposal of records past retention: the archivist proposes a batch, the leader of the area
approves or rejects it with a reason, and only an approved batch is executed — its packages
and the dossiers' stored files destroyed, the batch and its items (with the manifests'
checksums) kept for ever, the minute (biên bản hủy) printed."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.queue import enqueue_on_commit
from digitization.models import ScannedFile, SignedCopy, StoredDocument
from dossiers.models import AuditEvent, PrintedForm
from dossiers.queries import staff_unit, user_roles
from dossiers.roles import Role
from dossiers.services.audit import record as audit

from ..errors import ArchiveError
from ..models import ArchiveRecord, DisposalBatch, DisposalItem, PackageFile
from ..printing import render_minute
from ..queries import area_of, expired_records, is_archivist

logger = logging.getLogger(__name__)
RS, BS = ArchiveRecord.State, DisposalBatch.State


def propose_disposal(*, actor, record_ids, note, request=None) -> DisposalBatch:
    """An archivist proposes destroying these expired records of their area, with the reason
    and legal basis in ``note``. One transaction; the records leave the disposal list."""
    if not is_archivist(actor):
        raise ArchiveError("Chỉ cán bộ lưu trữ được đề nghị hủy hồ sơ.", status=403)
    note = (note or "").strip()
    if not note:
        raise ArchiveError("Cần ghi lý do, căn cứ đề nghị hủy.", field="note")
    ids = sorted({int(pk) for pk in record_ids})
    if not ids:
        raise ArchiveError(
            "Chọn ít nhất một hồ sơ hết hạn lưu trữ để đề nghị hủy.", field="records"
        )
    with transaction.atomic():
        locked = list(ArchiveRecord.objects.select_for_update().filter(pk__in=ids).order_by("id"))
        eligible = set(expired_records(actor).filter(pk__in=ids).values_list("pk", flat=True))
        refused = [r for r in locked if r.pk not in eligible]
        if refused or len(locked) != len(ids):
            names = ", ".join(r.code for r in refused) or "không có trong kho"
            raise ArchiveError(
                f"Không thể đề nghị hủy: hồ sơ chưa hết hạn lưu trữ, lưu trữ vĩnh viễn, đang "
                f"trong đợt hủy khác hoặc ngoài địa bàn ({names}).",
                status=409,
            )
        batch = DisposalBatch.objects.create(
            area=area_of(actor), note=note, proposed_by=actor, proposed_at=timezone.now()
        )
        records = ArchiveRecord.objects.filter(pk__in=ids).select_related("procedure")
        manifests = _manifests(ids)
        DisposalItem.objects.bulk_create(
            DisposalItem(
                batch=batch,
                record=r,
                code=r.code,
                procedure_name=r.procedure.name[:400],
                applicant_name=r.applicant_name,
                returned_on=timezone.localdate(r.returned_at) if r.returned_at else None,
                retention_label=r.retention_label,
                retention_until=r.retention_until,
                package_sha256=r.package_sha256,
                manifest=manifests.get(r.pk, []),
            )
            for r in records
        )
        ArchiveRecord.objects.filter(pk__in=ids).update(state=RS.PROPOSED)
        audit(
            AuditEvent.Kind.CHANGE,
            "archive.disposal_proposed",
            actor=actor,
            target=batch,
            request=request,
            data={"records": [r.code for r in records]},
        )
    return batch


def _manifests(record_ids):

    out = {}
    rows = PackageFile.objects.filter(record_id__in=record_ids).order_by("record_id", "path")
    for record_id, path, sha, size in rows.values_list("record_id", "path", "sha256", "size"):
        out.setdefault(record_id, []).append([path, sha, size])
    return out


def _decide(batch_id, actor, *, approve, note, request):
    note = (note or "").strip()
    if Role.LEADER.value not in user_roles(actor):
        raise ArchiveError("Chỉ lãnh đạo được duyệt đề nghị hủy hồ sơ.", status=403)
    with transaction.atomic():
        batch = DisposalBatch.objects.select_for_update().select_related("area").get(pk=batch_id)
        unit = staff_unit(actor)
        if unit is None or unit.pk != batch.area_id:
            raise ArchiveError(
                f"Chỉ lãnh đạo {batch.area.name} (người đứng đầu cơ quan) quyết định hủy tài "
                "liệu lưu trữ hết giá trị.",
                status=403,
            )
        if batch.state != BS.PROPOSED:
            raise ArchiveError(f"Đợt hủy đã «{batch.get_state_display()}».", status=409)
        if batch.proposed_by_id == actor.pk:
            raise ArchiveError("Người đề nghị không tự duyệt đề nghị của mình.", status=403)
        if not approve and not note:
            raise ArchiveError("Cần ghi lý do không duyệt.", field="reason")
        batch.state = BS.APPROVED if approve else BS.REJECTED
        batch.decided_by, batch.decided_at, batch.decision_note = actor, timezone.now(), note
        batch.save()
        records = ArchiveRecord.objects.filter(disposal_items__batch=batch)
        if not approve:
            records.filter(state=RS.PROPOSED).update(state=RS.SEALED)
        audit(
            AuditEvent.Kind.CHANGE,
            "archive.disposal_approved" if approve else "archive.disposal_rejected",
            actor=actor,
            target=batch,
            request=request,
            reason=note,
        )
        if approve:
            enqueue_on_commit("archive.dispose_batch", [batch.pk], what="Disposal")
    return batch


def approve_disposal(batch_id, *, actor, note="", request=None) -> DisposalBatch:
    """The leader of the area approves: the batch is executed after commit (a task)."""
    return _decide(batch_id, actor, approve=True, note=note, request=request)


def reject_disposal(batch_id, *, actor, reason, request=None) -> DisposalBatch:
    """The leader of the area rejects, with the reason; the records stay archived."""
    return _decide(batch_id, actor, approve=False, note=reason, request=request)


# --- execution -------------------------------------------------------------------------------


def _live_elsewhere(name, dead_dossiers):
    """Whether a stored blob is still referenced by a row that is not being or has not been
    disposed: another dossier's scan (originals are content-addressed and shared), a scan in a
    counter's tray, or a signed copy filed in the applicant's store."""
    dead = Q(dossier_id__in=dead_dossiers) | Q(dossier__archive_record__state=RS.DISPOSED)
    scans = ScannedFile.objects.filter(Q(original=name) | Q(searchable_pdf=name)).exclude(dead)
    if scans.exists():
        return True
    signed = SignedCopy.objects.filter(pdf=name)
    if StoredDocument.objects.filter(signed_copy__in=signed).exists():
        return True
    dead_scans = Q(scanned_file__dossier_id__in=dead_dossiers) | Q(
        scanned_file__dossier__archive_record__state=RS.DISPOSED
    )
    return signed.exclude(dead_scans).exists()


def _stored_files(dossier_id):
    """(storage name, size) of the dossier's own stored files outside the package."""
    files = []
    for scan in ScannedFile.objects.filter(dossier_id=dossier_id).select_related("signed_copy"):
        files.append((scan.original.name, scan.size))
        if scan.searchable_pdf:
            files.append((scan.searchable_pdf.name, None))
        signed = getattr(scan, "signed_copy", None)
        if signed is not None:
            files.append((signed.pdf.name, None))
    for form in PrintedForm.objects.filter(dossier_id=dossier_id):
        files.append((form.pdf.name, None))
    return list(dict.fromkeys(files))


def _delete(name):
    size = None
    try:
        size = default_storage.size(name)
    except (OSError, ValueError):
        pass
    default_storage.delete(name)
    return size or 0


def _destroy(item, dead_dossiers):
    record = item.record
    destroyed, size, kept = 0, 0, []
    for path, _sha, _size in item.manifest:
        size += _delete(f"{record.package_path}/{path}")
        destroyed += 1
    for name, _ in _stored_files(record.dossier_id):
        if not name:
            continue
        if _live_elsewhere(name, dead_dossiers):
            kept.append(name)
            continue
        size += _delete(name)
        destroyed += 1
    return destroyed, size, kept


def execute_disposal(batch_id) -> DisposalBatch:
    """Destroy the files of an approved batch, record by record (a crash resumes where it
    stopped), then mark it executed and print its minute. Idempotent."""
    batch = DisposalBatch.objects.get(pk=batch_id)
    if batch.state == BS.EXECUTED:
        return batch
    if batch.state != BS.APPROVED:
        raise ArchiveError("Chỉ thực hiện hủy đợt đã được lãnh đạo duyệt.", status=409)
    items = list(batch.items.select_related("record").order_by("id"))
    dead = [i.record.dossier_id for i in items]
    for item in items:
        if item.destroyed_at:
            continue
        destroyed, size, kept = _destroy(item, dead)
        with transaction.atomic():
            DisposalItem.objects.filter(pk=item.pk).update(
                files_destroyed=destroyed,
                bytes_destroyed=size,
                kept=kept,
                destroyed_at=timezone.now(),
            )
            ArchiveRecord.objects.filter(pk=item.record_id).update(
                state=RS.DISPOSED, disposed_at=timezone.now(), fixity_ok=None
            )

    with transaction.atomic():
        batch = DisposalBatch.objects.select_for_update().get(pk=batch_id)
        if batch.state == BS.EXECUTED:
            return batch
        batch.state, batch.executed_at = BS.EXECUTED, timezone.now()
        pdf = render_minute(batch)
        batch.minute_sha256 = hashlib.sha256(pdf).hexdigest()
        batch.minute.save(f"bien-ban-huy-{batch.pk:03d}.pdf", ContentFile(pdf), save=False)
        batch.save()
        audit(
            AuditEvent.Kind.CHANGE,
            "archive.disposal_executed",
            target=batch,
            unit=batch.area,
            data={"records": [i.code for i in items], "minute_sha256": batch.minute_sha256},
        )
    return batch
