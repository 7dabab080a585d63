"""The portal's HTTP calls to the national portal for inbound dossiers (httpx): a session
from LayToken, the integration endpoint's services, and the files of a dossier. Every request
goes through :meth:`Platform.post` or :meth:`Platform.download`, so this can later share the
outbound adapter's client."""

import logging
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from core.errors import PortalError

log = logging.getLogger(__name__)
SESSION_EXPIRED = 99


class PlatformUnavailable(PortalError):  # noqa: N818 - a state of the platform, not our fault
    """The platform did not answer usefully (down, slow, 5xx, refused our account): the
    pull tries again at its next run; a push is answered 503. The message is Vietnamese."""

    def __init__(self, message):
        super().__init__(message, status=503)


class Platform:
    """One conversation with DVCQG: logs in on first use and again when the session
    expires (once per call)."""

    def __init__(self):
        if not settings.DVCQG_BASE_URL:
            raise PlatformUnavailable("Chưa cấu hình địa chỉ Cổng DVCQG (DVCQG_BASE_URL).")
        self.base = settings.DVCQG_BASE_URL.rstrip("/") + "/"
        cert = (
            (settings.DVCQG_CLIENT_CERT, settings.DVCQG_CLIENT_KEY or None)
            if settings.DVCQG_CLIENT_CERT
            else None
        )
        self.client = httpx.Client(
            timeout=settings.DVCQG_TIMEOUT_SECONDS,
            cert=cert,
            verify=settings.DVCQG_CA_BUNDLE or True,
        )
        self.session = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def post(self, url, body) -> tuple[int, dict]:
        """The one place a request is sent: (HTTP status, JSON answer)."""
        try:
            response = self.client.post(url, json=body)
            answer = response.json()
        except httpx.HTTPError as error:
            raise PlatformUnavailable(f"Không kết nối được Cổng DVCQG: {error}") from error
        except ValueError as error:
            raise PlatformUnavailable(
                f"Cổng DVCQG trả lời không phải JSON (HTTP {response.status_code})."
            ) from error
        if response.status_code >= 500 or not isinstance(answer, dict):
            raise PlatformUnavailable(f"Cổng DVCQG đang lỗi (HTTP {response.status_code}).")
        return response.status_code, answer

    def log_in(self):
        status, answer = self.post(
            self.base + "LayToken",
            {"username": settings.DVCQG_USERNAME, "password": settings.DVCQG_PASSWORD},
        )
        if status != 200 or answer.get("error_code") != 0 or not answer.get("session"):
            raise PlatformUnavailable(
                f"Cổng DVCQG không cấp phiên làm việc: {answer.get('message', status)}"
            )
        self.session = answer["session"]

    def call(self, service, **fields) -> dict:
        """A service of the integration endpoint; the answer (error_code 0 or not)."""
        for _ in range(2):
            if self.session is None:
                self.log_in()
            body = {
                "session": self.session,
                "madonvi": settings.DVCQG_UNIT_CODE,
                "service": service,
                **fields,
            }
            status, answer = self.post(self.base, body)
            if status == 401 or answer.get("error_code") == SESSION_EXPIRED:
                self.session = None
                continue
            return answer
        raise PlatformUnavailable("Cổng DVCQG không nhận phiên làm việc mới.")

    def new_dossiers(self) -> list[dict]:
        answer = self.call("LayDanhSachHoSoMoi")
        if answer.get("error_code") != 0 or not isinstance(answer.get("result"), list):
            raise PlatformUnavailable(f"Không lấy được hồ sơ mới: {answer.get('message', '')}")
        return answer["result"]

    def acknowledge(self, national_code, portal_code) -> bool:
        answer = self.call(
            "XacNhanDaNhanHoSo", data=[{"MaHoSoQG": national_code, "MaHoSo": portal_code}]
        )
        return answer.get("error_code") == 0

    def download(self, url, max_bytes) -> bytes:
        """A file of a dossier, only from the platform's own address (a signed push could
        still name any URL), at most ``max_bytes`` + 1 bytes read (the upload checks refuse
        what is bigger)."""
        if _origin(url) != _origin(self.base):
            raise PlatformUnavailable("Đường dẫn tệp không thuộc Cổng DVCQG.")
        for _ in range(2):
            if self.session is None:
                self.log_in()
            status, content = self._read(url, max_bytes)
            if status == 200:
                return content
            if status != 401:
                break
            self.session = None  # expired meanwhile: log in again, once
        raise PlatformUnavailable(f"Không tải được tệp từ Cổng DVCQG (HTTP {status}).")

    def _read(self, url, max_bytes) -> tuple[int, bytes]:
        content = bytearray()
        try:
            with self.client.stream("GET", url, params={"session": self.session}) as response:
                if response.status_code == 200:
                    for chunk in response.iter_bytes():
                        content += chunk
                        if len(content) > max_bytes:
                            break
                return response.status_code, bytes(content[: max_bytes + 1])
        except httpx.HTTPError as error:
            raise PlatformUnavailable(f"Không tải được tệp từ Cổng DVCQG: {error}") from error


def _origin(url):
    parts = urlsplit(url)
    return (parts.scheme, parts.hostname, parts.port)
