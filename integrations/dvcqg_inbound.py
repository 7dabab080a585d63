"""The portal's HTTP calls to the national portal for inbound dossiers (httpx): a session
from LayToken, the integration endpoint's services, and the files of a dossier. The requests
go through the outbound adapter's client (adapters/dvcqg.py)."""

import logging

import pybreaker
from django.conf import settings

from core.errors import PortalError

from .adapters.dvcqg import DvcqgClient, breaker
from .platforms import PlatformError

log = logging.getLogger(__name__)


class PlatformUnavailable(PortalError):  # noqa: N818 - a state of the platform, not our fault
    """The platform did not answer usefully (down, slow, 5xx, refused our account): the
    pull tries again at its next run; a push is answered 503. The message is Vietnamese."""

    def __init__(self, message):
        super().__init__(message, status=503)


class Platform:
    """One conversation with DVCQG for inbound dossiers, over the outbound adapter's client
    (adapters/dvcqg.py: one place for the session, time-outs, mutual TLS); its faults become
    :class:`PlatformUnavailable`."""

    def __init__(self):
        if not settings.DVCQG_BASE_URL:
            raise PlatformUnavailable("Chưa cấu hình địa chỉ Cổng DVCQG (DVCQG_BASE_URL).")
        self.client = DvcqgClient()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def call(self, service, **fields) -> dict:
        """A service of the integration endpoint; the answer (error_code 0 or not). Through
        the outbound sync's circuit breaker: a platform that keeps failing is not called by
        the pull either until the breaker lets one call through again."""
        return self._guarded(self.client.call, service, **fields)[1]

    def _guarded(self, func, *args, **kwargs):
        try:
            return breaker().call(func, *args, **kwargs)
        except pybreaker.CircuitBreakerError as error:
            raise PlatformUnavailable(
                "Cổng DVCQG lỗi liên tiếp: tạm ngừng nhận hồ sơ, sẽ thử lại sau "
                f"{settings.DVCQG_BREAKER_RESET_SECONDS:.0f} giây."
            ) from error
        except PlatformError as error:
            raise PlatformUnavailable(error.reason) from error

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
        still name any URL)."""
        return self._guarded(self.client.download, url, max_bytes)
