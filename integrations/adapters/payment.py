"""The national payment platform (Nền tảng thanh toán trên Cổng DVCQG) over HTTPS: the signed
payment request to ``/init`` (answer ``{"error_code": "0", "message": "{\\"UrlThanhToan\\": …}"}``,
the shape provincial systems read) and the day's statement from ``/statement`` for the
reconciliation (integrations/data/payment.json says what was verified).

Time-outs on every call, one circuit breaker shared by the workers, JSON posting and its
errors: adapters/circuit.py, as for every platform. No retrying
here: the citizen presses the button again; the reconciliation runs again."""

import json
from functools import cache

import httpx
import pybreaker
from django.conf import settings

from ..payment_messages import checksum
from ..platforms import NotConfiguredError, PaymentOrder, RejectedError, TransientError
from .circuit import circuit_breaker, http_client, post_json

PLATFORM = "Nền tảng thanh toán quốc gia"
STATEMENT_FIELDS = ("MaDoiTac", "NgayDoiSoat")


@cache
def breaker() -> pybreaker.CircuitBreaker:
    return circuit_breaker(
        "payment",
        fail_max=settings.PAYMENT_BREAKER_FAILURES,
        reset_timeout=settings.PAYMENT_BREAKER_RESET_SECONDS,
        exclude=[RejectedError],
    )


class PaymentClient:
    """The adapter of :class:`integrations.platforms.PaymentPlatform`."""

    def __init__(self, base_url=None):
        self.base_url = (base_url if base_url is not None else settings.PAYMENT_BASE_URL).rstrip(
            "/"
        )
        self._http = None

    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = http_client(timeout=settings.PAYMENT_TIMEOUT_SECONDS)
        return self._http

    def _call(self, path, body) -> dict:
        if not self.base_url:
            raise NotConfiguredError(
                "Chưa cấu hình địa chỉ Nền tảng thanh toán (PAYMENT_BASE_URL)."
            )
        try:
            status, answer = breaker().call(
                post_json, self.http(), f"{self.base_url}{path}", body, PLATFORM
            )
        except pybreaker.CircuitBreakerError as exc:
            raise TransientError(
                f"{PLATFORM} lỗi liên tiếp: tạm ngừng gọi, mời thử lại sau "
                f"{settings.PAYMENT_BREAKER_RESET_SECONDS:.0f} giây."
            ) from exc
        if str(answer.get("error_code")) != "0":
            reason = answer.get("message") or f"mã lỗi {answer.get('error_code')}"
            raise RejectedError(f"{PLATFORM} từ chối: {reason}", answer=answer)
        return answer

    def start(self, message: dict) -> PaymentOrder:
        answer = self._call("/init", message)
        try:
            inner = answer.get("message")
            inner = json.loads(inner) if isinstance(inner, str) else (inner or {})
            url = str(inner["UrlThanhToan"])
        except (ValueError, KeyError, TypeError) as exc:
            raise TransientError(f"{PLATFORM} không trả về địa chỉ trang thanh toán.") from exc
        if not url.startswith(("https://", "http://")):
            raise RejectedError(f"{PLATFORM} trả về địa chỉ trang thanh toán không hợp lệ.")
        return PaymentOrder(url=url, answer=answer)

    def statement(self, day) -> list[dict]:
        body = {"MaDoiTac": settings.PAYMENT_PARTNER_CODE, "NgayDoiSoat": f"{day:%Y%m%d}"}
        body["MaXacThuc"] = checksum(body, STATEMENT_FIELDS, settings.PAYMENT_SECRET)
        rows = self._call("/statement", body).get("data")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise TransientError(f"{PLATFORM} trả bảng kê không đúng khuôn dạng.")
        return rows

    def close(self):
        if self._http is not None:
            self._http.close()
            self._http = None


@cache
def platform() -> PaymentClient:
    """The process's client (its connection pool is reused)."""
    return PaymentClient()
