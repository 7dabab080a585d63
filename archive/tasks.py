"""Archive tasks on the ``default`` queue (routed by name: ``archive.*``). Thin: each loads
ids and calls a service; the work state lives in the archive's tables, so a lost message
delays the work (the sweeper re-enqueues it) but never drops it."""

from celery import shared_task

from . import services
from .errors import PackagingError


@shared_task(
    name="archive.build_package",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=1800,
    ignore_result=True,
)
def build_package(record_id: int):
    """Build and seal one package; a failure is on the record (reason, next try)."""
    try:
        services.build_package(record_id)
    except PackagingError:
        return  # recorded on the record; the sweeper retries it with backoff


@shared_task(
    name="archive.build_packages",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=1800,
    ignore_result=True,
)
def build_packages(record_ids: list[int]):
    """Build and seal a batch of packages (nightly pass, sweeper); each failure is on its
    record."""
    return len(services.build_packages(record_ids).sealed)


@shared_task(name="archive.sweep_packages", ignore_result=True, time_limit=300)
def sweep_packages():
    """Every few minutes: re-enqueue pending, stuck and due-for-retry packages."""
    return len(services.sweep_packages())


@shared_task(name="archive.archive_returned", ignore_result=True, time_limit=3600)
def archive_returned():
    """Nightly: archive every returned dossier not archived yet; retry failed packages."""
    return services.archive_returned()


@shared_task(name="archive.check_fixity", acks_late=True, ignore_result=True, time_limit=3600)
def check_fixity():
    """Periodic: re-hash one slice of the packages (all within the configured cycle)."""
    return len(services.run_fixity_slice())


@shared_task(
    name="archive.dispose_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=3600,
    ignore_result=True,
)
def dispose_batch(batch_id: int):
    """Execute an approved disposal batch (idempotent: resumes where it stopped)."""
    services.execute_disposal(batch_id)
