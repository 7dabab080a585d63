"""/metrics for Prometheus, for the monitoring host only (ops_access): django-prometheus's
request, response and exception counters, and the portal's own gauges read from the database
at scrape time — so every web process answers the same figures:

- ``portal_work_backlog{kind}``, ``portal_work_oldest_seconds{kind}``, ``portal_work_failed{kind}``
  for each kind of durable work (core.work.DurableWork: OCR files, notifications, archive
  packages, report jobs, messages to DVCQG): what waits, how long the oldest has waited, what
  failed for good and waits for a person;
- ``portal_national_sync_unsynced``: dossiers whose sync with DVCQG is not complete;
- ``portal_report_cache_hits_total`` / ``_misses_total`` (counted in the shared cache by
  reporting/cache.py);
- ``portal_archive_fixity_problems``: sealed packages whose last fixity check failed.

The request counters of django-prometheus are per process (gunicorn's workers each count
their own); the portal's gauges are not. Reads models through the app registry: it imports
no app."""

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_prometheus.exports import ExportToDjangoView
from prometheus_client.core import REGISTRY, CounterMetricFamily, GaugeMetricFamily

from core.work import DurableWork

from .ops_access import require_ops_access

# The keys reporting/cache.py counts in (by value: this module imports no app).
REPORT_CACHE_COUNTERS = {"hits": "reporting:cache-hits", "misses": "reporting:cache-misses"}


def final_failure(model) -> Q:
    """Rows that failed for good: a model that retries from its failed state fails for good
    only when its attempts are spent."""
    failed = Q(state=model.FAILED)
    if model.RETRY_STATE == model.FAILED and model.MAX_ATTEMPTS is not None:
        failed &= Q(attempts__gte=model.MAX_ATTEMPTS)
    return failed


def backlog(model) -> Q:
    waiting = set(model.CLAIMABLE) | {model.RETRY_STATE}
    if model.RUNNING:
        waiting.add(model.RUNNING)
    return Q(state__in=sorted(waiting)) & ~final_failure(model)


def work_models():
    return sorted(
        (m for m in apps.get_models() if issubclass(m, DurableWork)), key=lambda m: m._meta.label
    )


class PortalCollector:
    """Gauges computed per scrape: one aggregate query per kind of work, two more."""

    def describe(self):
        return []  # nothing at registration (no database query at import)

    def collect(self):
        now = timezone.now()
        waiting = GaugeMetricFamily(
            "portal_work_backlog", "Việc đang chờ hoặc đang làm", labels=["kind"]
        )
        oldest = GaugeMetricFamily(
            "portal_work_oldest_seconds", "Thời gian chờ của việc cũ nhất (giây)", labels=["kind"]
        )
        failed = GaugeMetricFamily(
            "portal_work_failed", "Việc lỗi hẳn, chờ người xử lý", labels=["kind"]
        )
        for model in work_models():
            row = model.objects.aggregate(
                waiting=Count("pk", filter=backlog(model)),
                oldest=Min("queued_at", filter=backlog(model)),
                failed=Count("pk", filter=final_failure(model)),
            )
            kind = model._meta.label_lower
            waiting.add_metric([kind], row["waiting"])
            age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0
            oldest.add_metric([kind], max(age, 0))
            failed.add_metric([kind], row["failed"])
        yield from (waiting, oldest, failed)

        sync = apps.get_model("integrations", "DossierSync")
        yield GaugeMetricFamily(
            "portal_national_sync_unsynced",
            "Hồ sơ chưa đồng bộ xong với Cổng DVCQG",
            value=sync.objects.exclude(state=sync.State.SYNCED).count(),
        )
        record = apps.get_model("archive", "ArchiveRecord")
        yield GaugeMetricFamily(
            "portal_archive_fixity_problems",
            "Gói lưu trữ kiểm tra toàn vẹn không đạt",
            value=record.objects.filter(fixity_ok=False).count(),
        )
        try:
            counts = cache.get_many(list(REPORT_CACHE_COUNTERS.values()))
        except Exception:  # noqa: BLE001 - no cache: no figures, the rest still answers
            counts = {}
        for name, key in REPORT_CACHE_COUNTERS.items():
            yield CounterMetricFamily(
                f"portal_report_cache_{name}",
                f"Báo cáo lấy từ bộ nhớ đệm ({name})",
                value=int(counts.get(key) or 0),
            )


_collector = PortalCollector()
REGISTRY.register(_collector)

metrics = require_ops_access(ExportToDjangoView)
