"""What every adapter of a national platform shares: a circuit breaker whose state the
workers share through Redis, and one JSON call that turns transport faults, 5xx, 429 and an
answer that is not a JSON object into :class:`TransientError` (try again later), named in
Vietnamese after the platform."""

import httpx
import pybreaker
from django.conf import settings

from ..platforms import RejectedError, TransientError


def shared_breaker(name: str, *, fail_max: int, reset_timeout: float) -> pybreaker.CircuitBreaker:
    """A breaker for platform ``name``; its state in Redis when the portal has Redis (so one
    worker's failures open it for all), in the process otherwise (embedded mode). A
    rejection is the platform answering: it never counts as a failure."""
    storage = None
    if settings.CACHE_URL.startswith("redis"):
        import redis  # only when the portal has Redis (not in embedded mode)

        client = redis.Redis.from_url(
            settings.CACHE_URL, socket_timeout=1, socket_connect_timeout=1
        )
        storage = pybreaker.CircuitRedisStorage(
            pybreaker.STATE_CLOSED, client, namespace=f"bacyen:{name}"
        )
    return pybreaker.CircuitBreaker(
        fail_max=fail_max,
        reset_timeout=reset_timeout,
        exclude=[RejectedError],
        state_storage=storage,
        name=name,
    )


def timeout(seconds: float) -> httpx.Timeout:
    """The whole call waits ``seconds``, the connection at most 3 s of it."""
    return httpx.Timeout(seconds, connect=min(seconds, 3.0))


def call_json(client: httpx.Client, method: str, url: str, *, platform: str, **kwargs):
    """One request; (HTTP status, the JSON object answered). ``platform`` names it in the
    reasons ("Cổng DVCQG", "Bưu chính")."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise TransientError(f"{platform} không trả lời trong thời hạn chờ.") from exc
    except httpx.TransportError as exc:
        raise TransientError(f"Không kết nối được {platform} ({type(exc).__name__}).") from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(f"{platform} báo lỗi máy chủ (HTTP {response.status_code}).")
    try:
        answer = response.json()
    except ValueError as exc:
        raise TransientError(
            f"{platform} trả lời không phải JSON (HTTP {response.status_code})."
        ) from exc
    if not isinstance(answer, dict):
        raise TransientError(f"{platform} trả lời không đúng khuôn dạng.")
    return response.status_code, answer
