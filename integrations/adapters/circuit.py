"""What every adapter of a national platform shares: a circuit breaker whose state the
workers and web processes share through Redis, an httpx client with time-outs and mutual TLS
or a token as configuration, and the JSON POST that tells a transient fault from an answer."""

import httpx
import pybreaker
from django.conf import settings

from ..platforms import TransientError


def circuit_breaker(name, *, fail_max, reset_timeout, exclude=()) -> pybreaker.CircuitBreaker:
    """A breaker named ``name``, its state in Redis when the portal has Redis (not in the
    embedded mode, whose one process keeps it in memory)."""
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
        exclude=list(exclude),
        state_storage=storage,
        name=name,
    )


def http_client(*, timeout, client_cert="", client_key="", ca_bundle="", headers=None):
    """A JSON client: connect at most 3 s (or ``timeout`` when shorter), mutual TLS when a
    client certificate is configured."""
    cert = (client_cert, client_key or None) if client_cert else None
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
        cert=cert,
        verify=ca_bundle or True,
        headers={
            "Accept": "application/json",
            "User-Agent": "cong-mot-cua-son-la",
            **(headers or {}),
        },
    )


def post_json(http: httpx.Client, url: str, body: dict, platform: str) -> tuple[int, dict]:
    """POST ``body`` as JSON to a national platform (``platform`` names it in Vietnamese for
    the errors); (status, JSON object answered). Time-outs, transport faults, 5xx, 429 and an
    answer that is not a JSON object raise TransientError."""
    try:
        response = http.post(url, json=body)
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
