"""Cổng Dịch vụ công quốc gia over HTTPS: a session from ``LayToken``, then one envelope
``{session, madonvi, service, isUpdating, data: [item]}`` per message to the integration
endpoint (the shape provincial one-stop systems send; integrations/data/dvcqg.json says what
was verified).

Time-outs on every call; the token is asked again once when the platform says the session ran
out; mutual TLS or the account's token as configuration; a circuit breaker shared by the
workers (pybreaker, its state in Redis) stops calling a platform that keeps failing. Retrying
is not done here: a failed message waits in the outbox for its own attempt (backoff with
jitter, core.work)."""

import logging
import threading
from functools import cache
from urllib.parse import urlsplit

import httpx
import pybreaker
from django.conf import settings

from ..platforms import Ack, NotConfiguredError, RejectedError, TransientError
from .http import call_json, shared_breaker, timeout

PLATFORM = "Cổng DVCQG"

log = logging.getLogger(__name__)
# The platform's answers: 0 taken; 2 invalid data, 3 unknown dossier (both permanent);
# 99 (or HTTP 401) the session ran out.
OK, INVALID, UNKNOWN_DOSSIER, SESSION_EXPIRED = 0, 2, 3, 99
PERMANENT = {INVALID, UNKNOWN_DOSSIER}


@cache
def breaker() -> pybreaker.CircuitBreaker:
    """One breaker per process, its state shared through Redis when the portal has Redis."""
    return shared_breaker(
        "dvcqg",
        fail_max=settings.DVCQG_BREAKER_FAILURES,
        reset_timeout=settings.DVCQG_BREAKER_RESET_SECONDS,
    )


class DvcqgClient:
    """The adapter of :class:`integrations.platforms.NationalPortal` for DVCQG."""

    def __init__(self, base_url=None, *, username=None, password=None, unit_code=None):
        self.base_url = (base_url if base_url is not None else settings.DVCQG_BASE_URL).rstrip("/")
        self.username = username or settings.DVCQG_USERNAME
        self.password = password or settings.DVCQG_PASSWORD
        self.unit_code = unit_code or settings.DVCQG_UNIT_CODE
        self._session = None
        self._lock = threading.Lock()
        self._http = None

    # --- HTTP ---------------------------------------------------------------------------
    def http(self) -> httpx.Client:
        if self._http is None:
            cert = None
            if settings.DVCQG_CLIENT_CERT:
                cert = (settings.DVCQG_CLIENT_CERT, settings.DVCQG_CLIENT_KEY or None)
            self._http = httpx.Client(
                timeout=timeout(settings.DVCQG_TIMEOUT_SECONDS),
                cert=cert,
                verify=settings.DVCQG_CA_BUNDLE or True,
                headers={"Accept": "application/json", "User-Agent": "cong-mot-cua-son-la"},
            )
        return self._http

    def _post(self, path: str, body: dict) -> tuple[int, dict]:
        """POST JSON; (status, JSON answer). Transport faults and 5xx are transient."""
        return call_json(
            self.http(), "POST", f"{self.base_url}{path}", platform=PLATFORM, json=body
        )

    def _token(self, *, renew=False) -> str:
        with self._lock:
            if self._session and not renew:
                return self._session
            status, answer = self._post(
                "/LayToken", {"username": self.username, "password": self.password}
            )
            if _code(answer) != OK or not answer.get("session"):
                # Wrong credentials are a configuration fault: the message waits, visible.
                raise TransientError(
                    "Cổng DVCQG không cấp phiên làm việc: "
                    f"{answer.get('message') or f'HTTP {status}'}. Kiểm tra DVCQG_USERNAME, "
                    "DVCQG_PASSWORD."
                )
            self._session = answer["session"]
            return self._session

    # --- the interface ------------------------------------------------------------------
    def send(self, service: str, item: dict, *, is_updating: bool = False) -> Ack:
        if not self.base_url:
            raise NotConfiguredError("Chưa cấu hình địa chỉ Cổng DVCQG (DVCQG_BASE_URL).")
        try:
            return breaker().call(self._send, service, item, is_updating)
        except pybreaker.CircuitBreakerError as exc:
            raise TransientError(
                "Cổng DVCQG lỗi liên tiếp: tạm ngừng gửi, sẽ thử lại sau "
                f"{settings.DVCQG_BREAKER_RESET_SECONDS:.0f} giây."
            ) from exc

    def call(self, service: str, **fields) -> tuple[int, dict]:
        """One service of the integration endpoint, in the session (asked for again once when
        the platform says it ran out); the HTTP status and the platform's answer, whatever its
        error_code.
        Transport faults, 5xx and an answer that is not JSON raise TransientError."""
        for attempt in (1, 2):
            body = {
                "session": self._token(renew=attempt == 2),
                "madonvi": self.unit_code,
                "service": service,
                **fields,
            }
            status, answer = self._post("/", body)
            if status == 401 or _code(answer) == SESSION_EXPIRED:
                continue  # the session ran out: ask for a new one, once
            return status, answer
        raise TransientError("Cổng DVCQG không chấp nhận phiên làm việc mới.")

    def _send(self, service, item, is_updating) -> Ack:
        fields = {"data": [item]}
        if service == "DongBoHoSoMC":
            fields["isUpdating"] = "True" if is_updating else "False"
        status, answer = self.call(service, **fields)
        code = _code(answer)
        if code == OK:
            return Ack(duplicate=bool(answer.get("duplicate")), answer=answer)
        reason = answer.get("message") or f"mã lỗi {answer.get('error_code')}"
        if code in PERMANENT or 400 <= status < 500:
            raise RejectedError(f"Cổng DVCQG từ chối: {reason}", answer=answer)
        raise TransientError(f"Cổng DVCQG chưa nhận: {reason}", answer=answer)

    def download(self, url: str, max_bytes: int) -> bytes:
        """A file the platform serves (a dossier's attachment), only from the platform's own
        address, at most ``max_bytes`` + 1 bytes read (the upload checks refuse what is
        bigger); the session is asked for again once when it ran out."""
        if _origin(url) != _origin(self.base_url):
            raise RejectedError("Đường dẫn tệp không thuộc Cổng DVCQG.")
        status = None
        for attempt in (1, 2):
            status, content = self._read(url, max_bytes, self._token(renew=attempt == 2))
            if status == 200:
                return content
            if status != 401:
                break
        raise TransientError(f"Không tải được tệp từ Cổng DVCQG (HTTP {status}).")

    def _read(self, url, max_bytes, session) -> tuple[int, bytes]:
        content = bytearray()
        try:
            with self.http().stream("GET", url, params={"session": session}) as response:
                if response.status_code == 200:
                    for chunk in response.iter_bytes():
                        content += chunk
                        if len(content) > max_bytes:
                            break
                return response.status_code, bytes(content[: max_bytes + 1])
        except httpx.HTTPError as exc:
            raise TransientError(f"Không tải được tệp từ Cổng DVCQG: {exc}") from exc

    def close(self):
        if self._http is not None:
            self._http.close()
            self._http = None


def _origin(url):
    parts = urlsplit(url)
    return (parts.scheme, parts.hostname, parts.port)


def _code(answer: dict):
    try:
        return int(answer.get("error_code"))
    except (TypeError, ValueError):
        return None


@cache
def portal() -> DvcqgClient:
    """The process's client (its connection pool and session are reused)."""
    return DvcqgClient()
