"""The OCR work on one scanned file, with its state in the database.

pending → processing (leased) → done | failed. A page is recognised and committed on its own,
so a worker killed in the middle of a file resumes at the first page not yet done, and the
unique (file, page) row makes a page done exactly once even if two workers meet. The task is
keyed on (file id, checksum): a message for bytes that are no longer the file's is ignored.
"""

import hashlib
import logging
import shutil
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import queue, work
from dossiers.services.audit import record

from .. import recognition
from ..models import ScannedFile, ScannedPage

logger = logging.getLogger(__name__)
State = ScannedFile.State

RETRY = "retry"


def enqueue(ids) -> bool:
    """Hand (file id, checksum) pairs to the `ocr` queue; never raises (see core.queue)."""
    return queue.enqueue("digitization.recognize_scan", list(ids), what="OCR")


def lease_length():
    return timedelta(seconds=settings.OCR_LEASE_SECONDS)


def lease():
    """The end of a lease taken now."""
    return timezone.now() + lease_length()


def backoff():
    return work.Backoff(base=settings.OCR_RETRY_SECONDS, factor=2)


def claim(file_id, sha256) -> ScannedFile | None:
    """Take the file for this worker (core.work.claim): pending, or processing whose lease
    ran out. None when it is done, failed, held by a live worker, or no longer these bytes."""
    rows = ScannedFile.objects.filter(pk=file_id, sha256=sha256)
    return ScannedFile.objects.get(pk=file_id) if work.claim(rows, lease=lease_length()) else None


def run(file_id, sha256) -> str:
    """Recognise what is left of the file. Returns "done", "failed", "skipped" or RETRY (a
    fault that may pass: the file is back to pending, the caller retries later)."""
    scanned = claim(file_id, sha256)
    if scanned is None:
        return "skipped"
    try:
        with local_copy(scanned.original) as path:
            if _sha256(path) != scanned.sha256:
                raise recognition.RecognitionError(
                    "Bản gốc trên kho lưu trữ không còn khớp mã kiểm tra (SHA-256); "
                    "cần kiểm tra kho lưu trữ."
                )
            if scanned.signed_original:
                _keep_text_layer(scanned, path)
            else:
                _recognise_pages(scanned, path)
        _finish(scanned)
        return "done"
    except recognition.RecognitionError as problem:
        _fail(scanned, str(problem), retry_helps=problem.retry_helps)
        return "failed"
    except Exception as problem:  # noqa: BLE001 - any other fault is retried, then shown
        logger.warning(
            "OCR of scan %s failed on attempt %s", file_id, scanned.attempts, exc_info=True
        )
        reason = f"Lỗi hệ thống khi nhận dạng ({type(problem).__name__})"
        if work.is_last_attempt(scanned, settings.OCR_MAX_ATTEMPTS):
            reason = f"{reason}; đã thử {scanned.attempts} lần."
        state = work.fail(
            scanned,
            reason,
            where={"state": State.PROCESSING},
            max_attempts=settings.OCR_MAX_ATTEMPTS,
            backoff=backoff(),
        )
        return "failed" if state == State.FAILED else RETRY


def retry_in(file_id) -> float | None:
    """Seconds until the file's next attempt, when a transient fault left it waiting."""
    return work.retry_in(ScannedFile.objects.filter(pk=file_id))


def _recognise_pages(scanned, path):
    total = scanned.page_count or recognition.count_pages(path, scanned.content_type)
    if total != scanned.page_count:
        ScannedFile.objects.filter(pk=scanned.pk).update(page_count=total)
        scanned.page_count = total
    done = set(scanned.page_set.values_list("number", flat=True))
    for number in range(1, total + 1):
        if number in done:
            continue
        page = recognition.recognize_page(path, number, scanned.content_type)
        _save_page(
            scanned,
            number,
            text=page.text,
            words=page.words,
            width=page.width,
            height=page.height,
            dpi=page.dpi,
            skew=page.skew,
            pdf=page.pdf,
        )


def _keep_text_layer(scanned, path):
    """A signed PDF from outside: never OCR'd over (it would break the signature); its own
    text is kept per page and the original stands as its searchable copy."""
    texts = recognition.extract_text(path)
    ScannedFile.objects.filter(pk=scanned.pk).update(page_count=len(texts))
    scanned.page_count = len(texts)
    for number, text in enumerate(texts, start=1):
        _save_page(scanned, number, text=text)


def _save_page(scanned, number, **values):
    try:
        with transaction.atomic():
            ScannedPage.objects.create(file=scanned, number=number, **values)
            # Each page done renews the lease: a long file is not taken over while it moves.
            work.renew(ScannedFile.objects.filter(pk=scanned.pk), lease=lease_length())
    except IntegrityError:
        pass  # another worker committed this page first: it is done exactly once


def _finish(scanned):
    pages = list(scanned.page_set.order_by("number").only("number", "pdf"))
    if len(pages) != scanned.page_count:
        raise RuntimeError(f"{len(pages)} of {scanned.page_count} pages recognised")
    name = ""
    if not scanned.signed_original:
        joined = recognition.join_pages([bytes(p.pdf) for p in pages])
        target = f"scans/searchable/{scanned.sha256[:2]}/{scanned.sha256}.pdf"
        if default_storage.exists(target):
            default_storage.delete(target)  # a half-joined copy left by a killed worker
        name = default_storage.save(target, ContentFile(joined))
    with transaction.atomic():
        held = ScannedFile.objects.filter(pk=scanned.pk, state=State.PROCESSING)
        updated = work.finish(held, searchable_pdf=name)
        if updated:
            # The per-page PDFs live on in the joined file; keep the table lean.
            scanned.page_set.update(pdf=None)


def _fail(scanned, reason, retry_helps=True):
    work.fail(scanned, reason, transient=False, retry_helps=retry_helps)


def retry_failed(scanned: ScannedFile, *, actor=None, request=None) -> bool:
    """The clerk's retry button: a failed file goes back to pending (attempts start again)
    and its OCR is enqueued after commit. False when the file is not failed, or failed for a
    reason that recognising again cannot mend (the page must be scanned again)."""
    with transaction.atomic():
        updated = ScannedFile.objects.filter(
            pk=scanned.pk, state=State.FAILED, retry_helps=True
        ).update(
            state=State.PENDING,
            attempts=0,
            lease_until=None,
            next_attempt_at=None,
            queued_at=timezone.now(),
        )
        if updated:
            record(
                "change",
                "scan_retried",
                actor=actor,
                target=scanned.dossier or scanned,
                request=request,
                unit=scanned.unit,
                data={"file": scanned.original_name, "reason": scanned.last_error},
            )
            transaction.on_commit(lambda: enqueue([(scanned.pk, scanned.sha256)]))
    return bool(updated)


def due_for_sweep(limit=500) -> list[tuple[int, str]]:
    """Files whose task may have been lost (core.work.due_for_sweep): pending for longer
    than the grace period and not re-enqueued within a lease, or processing past their
    lease. A pending file re-enqueued now is not looked at again before a lease passes."""
    now = timezone.now()
    after = timedelta(seconds=settings.OCR_SWEEP_AFTER_SECONDS)
    due = work.due_for_sweep(ScannedFile, now=now, sweep_after=after)
    rows = list(due.order_by("id").values_list("pk", "sha256")[:limit])
    ScannedFile.objects.filter(pk__in=[pk for pk, _ in rows], state=State.PENDING).update(
        next_attempt_at=now + lease_length()
    )
    return rows


@contextmanager
def local_copy(field_file):
    """A path on local disk for the stored file (the storage's own path when it has one)."""
    try:
        path = field_file.path
    except NotImplementedError:
        path = None
    if path:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / Path(field_file.name).name
        with field_file.open("rb") as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy)
        yield target


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
