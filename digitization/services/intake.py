"""Intake: scans attached from the clerk's browser, the scanner's hot folder or the citizen's
online submission. Originals are stored untouched under their SHA-256 (the same bytes are
stored once); each new file waits as `pending` and its OCR is enqueued after commit, so a
broker outage delays the work but never loses it (the sweeper re-enqueues)."""

import errno
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from dossiers.services.audit import record

from ..models import ScannedFile
from .checks import CheckedUpload, UploadRefused, check_upload
from .ocr import enqueue

__all__ = [
    "AttachResult",
    "CheckedUpload",
    "StorageFull",
    "UploadRefused",
    "attach",
    "check_upload",
]

ATTACHABLE_STATES = {
    "submitted",
    "received",
    "in_progress",
    "supplement_requested",
    "pending_approval",
    "result_ready",
    "returned",
}


@dataclass
class AttachResult:
    added: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(file name, Vietnamese reason)]

    @property
    def files(self):
        return self.added + self.duplicates


class StorageFull(UploadRefused):
    """The disk (or the store) holding the portal's files took no more bytes."""

    def __init__(self, name):
        super().__init__(
            name,
            "ổ lưu trữ của cổng đã đầy nên chưa lưu được tệp; hồ sơ không thay đổi. "
            "Xin báo quản trị hệ thống và gửi lại sau.",
        )
        self.status = 507


def store_original(checked: CheckedUpload) -> str:
    """Save the bytes under their checksum unless that blob is already stored. A write the
    disk cannot hold leaves no partial blob behind: a later upload of the same bytes would
    otherwise find it "already stored" and keep the truncated copy as the original."""
    name = f"scans/originals/{checked.sha256[:2]}/{checked.sha256}{checked.suffix}"
    if default_storage.exists(name):
        return name
    checked.file.seek(0)
    try:
        return default_storage.save(name, checked.file)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        if default_storage.exists(name):
            default_storage.delete(name)
        raise StorageFull(checked.name) from exc


def attach(
    *,
    dossier,
    component=None,
    uploads,
    actor=None,
    source="browser",
    role="component",
    request=None,
) -> AttachResult:
    """Attach files to a dossier's component (or as its result). Each file is checked on its
    own: a refused file is reported and the others are kept. One transaction; OCR of the
    new files is enqueued after commit. Callers check the actor's right to the dossier."""
    if dossier.state not in ATTACHABLE_STATES:
        raise UploadRefused("—", "hồ sơ ở trạng thái này không nhận thêm tệp.")
    if component is not None and component.dossier_id != dossier.pk:
        raise UploadRefused("—", "thành phần không thuộc hồ sơ này.")
    result = AttachResult()
    checked = _check_all(uploads, result)
    with transaction.atomic():
        for item in checked:
            scanned, created = _file_row(
                item,
                unit=dossier.receiving_unit,
                dossier=dossier,
                component=component,
                role=role,
                source=source,
                actor=actor,
            )
            (result.added if created else result.duplicates).append(scanned)
        if result.added:
            record(
                "change",
                "scans_attached",
                actor=actor,
                target=dossier,
                request=request,
                unit=dossier.receiving_unit,
                data={
                    "files": [f.original_name for f in result.added],
                    "role": role,
                    "component": component.name if component else "",
                    "source": source,
                },
            )
            _enqueue_after_commit(result.added)
    return result


def take_into_tray(*, unit, uploads, source="hot_folder", actor=None) -> AttachResult:
    """Scans that name no dossier wait in the unit's tray of unassigned scans. They are
    recognised like any other, so the clerk can find them by their text."""
    result = AttachResult()
    checked = _check_all(uploads, result)
    with transaction.atomic():
        for item in checked:
            scanned, created = _file_row(
                item,
                unit=unit,
                dossier=None,
                component=None,
                role="component",
                source=source,
                actor=actor,
            )
            (result.added if created else result.duplicates).append(scanned)
        _enqueue_after_commit(result.added)
    return result


def assign_from_tray(scanned: ScannedFile, *, dossier, component, actor=None, request=None):
    """Move an unassigned scan onto a dossier's component (same unit). Returns the file row
    that now stands for it (an existing one when that component already had these bytes)."""
    if scanned.dossier_id is not None:
        raise UploadRefused(scanned.original_name, "tệp đã được gắn vào một hồ sơ.")
    if component.dossier_id != dossier.pk or dossier.counter_unit_id != scanned.unit_id:
        raise UploadRefused(scanned.original_name, "không gắn được vào thành phần này.")
    with transaction.atomic():
        existing = ScannedFile.objects.filter(component=component, sha256=scanned.sha256).first()
        if existing is not None:
            scanned.delete()
            return existing
        scanned.dossier, scanned.component = dossier, component
        scanned.save(update_fields=["dossier", "component"])
        record(
            "change",
            "scan_assigned",
            actor=actor,
            target=dossier,
            request=request,
            unit=dossier.receiving_unit,
            data={"file": scanned.original_name, "component": component.name},
        )
    return scanned


def _check_all(uploads, result) -> list[CheckedUpload]:
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except UploadRefused as refusal:
            result.refused.append((refusal.name, refusal.problem))
    return checked


def _file_row(item, *, unit, dossier, component, role, source, actor):
    """The row for these bytes at this place: the existing one, or a new pending one."""
    place = {"component": component} if component is not None else {"dossier": dossier}
    if dossier is None:
        place = {"unit": unit, "dossier": None}
    elif role == "result":
        place = {"dossier": dossier, "role": "result"}
    existing = ScannedFile.objects.filter(sha256=item.sha256, **place).first()
    if existing is not None:
        return existing, False
    scanned = ScannedFile(
        unit=unit,
        dossier=dossier,
        component=component,
        role=role,
        source=source,
        original_name=item.name,
        sha256=item.sha256,
        content_type=item.content_type,
        size=item.size,
        page_count=item.pages,
        signed_original=item.signed,
        uploaded_by=actor,
    )
    scanned.original.name = store_original(item)
    try:
        with transaction.atomic():
            scanned.save()
    except IntegrityError:  # the same bytes attached at the same moment by another request
        return ScannedFile.objects.get(sha256=item.sha256, **place), False
    return scanned, True


def _enqueue_after_commit(files):

    ids = [(f.pk, f.sha256) for f in files]
    if ids:
        transaction.on_commit(lambda: enqueue(ids))
