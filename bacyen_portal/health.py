"""What an operator's monitor asks the portal (design.md, production): ``/healthz`` — the
process answers, nothing else (a load balancer's liveness probe must not fail with the
database); ``/readyz`` — whether this instance can do its work now: PostgreSQL, the reporting
replica and its lag, the cache and broker (Redis), a live worker on each queue by its
heartbeat, the storage writable, free disk, no unapplied migration. Answered 200 or 503, in
JSON or text as asked (django-health-check), to the networks in OPS_ALLOWED_NETWORKS or a
holder of OPS_TOKEN only: the list names the machine's parts.

It lives in the project package, above every app (it reads the replica's lag the way the
reports' dashboard does, reporting/database.py)."""

import dataclasses
import datetime
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from reporting.database import replica_lag

from .heartbeat import HEARTBEAT_KEY
from .ops_access import require_ops_access


@never_cache
def healthz(request):
    """Liveness: the process answers (no database, no Redis)."""
    return HttpResponse("ok", content_type="text/plain")


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the code is applied: a worker or web process started on new code
    before ``migrate`` ran would write rows the schema does not have."""

    def run(self):
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        finally:
            connections[DEFAULT_DB_ALIAS].close()  # this ran in a thread of the check pool
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
            raise ServiceUnavailable(f"{len(plan)} migration chưa áp dụng: {names}")


@dataclasses.dataclass
class ReplicaLag(HealthCheck):
    """The reporting replica (REPORTING_DATABASE_URL) replays the primary's changes within
    REPLICA_MAX_LAG_SECONDS; a replica that is the primary itself (tests mirror it) is 0."""

    alias: str = "reporting"

    def run(self):
        try:
            lag = replica_lag(self.alias)
        except Exception as exc:  # noqa: BLE001 - any failure is "unavailable"
            reason = f"Không đọc được bản sao báo cáo: {type(exc).__name__}"
            raise ServiceUnavailable(reason) from exc
        finally:
            connections[self.alias].close()  # this ran in a thread of the check pool
        if lag > settings.REPLICA_MAX_LAG_SECONDS:
            raise ServiceUnavailable(f"Bản sao báo cáo chậm {lag:.0f} giây")


@dataclasses.dataclass
class FreeDisk(HealthCheck):
    """The disk holding the portal's files keeps READY_MIN_FREE_DISK_MB free."""

    path: str = ""

    def run(self):
        free_mb = shutil.disk_usage(self.path).free // (1024 * 1024)
        if free_mb < settings.READY_MIN_FREE_DISK_MB:
            raise ServiceUnavailable(
                f"Ổ đĩa {self.path} còn {free_mb} MB (tối thiểu {settings.READY_MIN_FREE_DISK_MB})"
            )


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """A worker consuming ``queue`` wrote its heartbeat (bacyen_portal/heartbeat.py) within
    WORKER_HEARTBEAT_MAX_AGE_SECONDS: one cache read, no broadcast to the workers."""

    queue: str = "default"
    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=2), repr=False
    )

    def run(self):
        beat = cache.get(HEARTBEAT_KEY.format(queue=self.queue))
        if not beat:
            raise ServiceUnavailable(f"Không có tiến trình xử lý nào cho hàng đợi {self.queue}")
        age = time.time() - beat["at"]
        if age > settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS:
            raise ServiceUnavailable(
                f"Tiến trình xử lý hàng đợi {self.queue} im lặng {age:.0f} giây"
            )


def _device(path) -> int | None:
    return path.stat().st_dev if path.exists() else None


def readiness_checks():
    """The checks of this instance's configuration (embedded mode has no broker or worker)."""
    checks = [
        ("health_check.checks.Database", {"alias": DEFAULT_DB_ALIAS}),
        (Migrations, {}),
        ("health_check.checks.Storage", {"alias": "default"}),
        (FreeDisk, {"path": str(settings.VAR_DIR)}),
    ]
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        # Scans, forms and packages may live on a disk of their own (MEDIA_ROOT elsewhere).
        media = settings.MEDIA_ROOT
        if media.exists() and _device(media) != _device(settings.VAR_DIR):
            checks.append((FreeDisk, {"path": str(media)}))
    if "reporting" in settings.DATABASES:
        checks.append((ReplicaLag, {"alias": "reporting"}))
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        checks.append(("health_check.checks.Cache", {"alias": "default"}))
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks.append(
            (
                "health_check.contrib.redis.Redis",
                {"client_factory": _broker_client},
            )
        )
        checks += [(WorkerHeartbeat, {"queue": queue}) for queue in settings.READY_QUEUES]
    return checks


def _broker_client():
    # Only in full mode: the embedded mode has no Redis to import a client for.
    from redis.asyncio import Redis

    return Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)


class ReadinessView(HealthCheckView):
    """django-health-check's view with this instance's checks; 503 (not 500) when one fails,
    so that a proxy takes the instance out of rotation without logging a server error."""

    def get_checks(self):
        self.checks = readiness_checks()
        return super().get_checks()

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response


_readiness = async_to_sync(ReadinessView.as_view())


@require_ops_access
def readyz(request):
    """The readiness view, run in a thread of its own: the library's view is async, and the
    caller's thread may already run an event loop (a test beside Playwright's) where Django
    cannot start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_readiness, request).result()
