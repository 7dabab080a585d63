"""Celery tasks of the digitization app, on the `ocr` queue: thin, they call services.ocr."""

from celery import shared_task

from .services import drafts, ocr
from .services.hot_folder import collect_all


@shared_task(
    name="digitization.recognize_scan",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    time_limit=900,
    soft_time_limit=840,
)
def recognize_scan(self, file_id: int, sha256: str) -> str:
    """OCR one scanned file (idempotent on file id and checksum; resumes at the first page
    not yet done). A passing fault puts the file back to pending with its next attempt's time
    (backoff with jitter, core.work.fail), when this task retries; the final failure is on the
    row, with its reason, for the clerk's retry button."""
    outcome = ocr.run(file_id, sha256)
    if outcome == ocr.RETRY and not self.request.is_eager:
        countdown = ocr.retry_in(file_id)
        if countdown is not None:
            raise self.retry(countdown=countdown)
    return outcome


@shared_task(name="digitization.sweep_scans", acks_late=True, time_limit=60)
def sweep_scans() -> int:
    """Celery beat: enqueue again the files whose OCR task was lost (broker down at upload,
    worker killed mid-file). Harmless when the task was not lost: the claim is atomic."""
    rows = ocr.due_for_sweep()
    if rows:
        ocr.enqueue(rows)
    return len(rows)


@shared_task(name="digitization.sweep_drafts", acks_late=True, time_limit=300)
def sweep_drafts() -> int:
    """Celery beat, hourly: online drafts past their 24 hours go, with their files."""
    return drafts.sweep_expired()


@shared_task(name="digitization.collect_hot_folders", acks_late=True, time_limit=300)
def collect_hot_folders() -> dict:
    """Celery beat: take in what the scanners put in their hot folders (see hot_folder)."""
    done = collect_all()
    return {"attached": done.attached, "unassigned": done.unassigned, "refused": done.refused}
