"""What every adapter of a national platform shares: a circuit breaker whose state the
workers and web processes share through Redis, and an httpx client with time-outs and
mutual TLS or a token as configuration."""

import httpx
import pybreaker
from django.conf import settings


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
