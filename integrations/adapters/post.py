"""The public postal service's order API over HTTPS (bưu chính công ích; the field names are
MyVNPost's customer-partner API as far as a public client shows them: data/post.json says
what was and was not verified).

``CreateOrder`` places a shipment order and answers its tracking code (``itemCode``, the
UPU S10 item number) or refuses it (HTTP 4xx with a ``message``); ``Tracking`` lists a
shipment's updates. Time-outs on every call, the account's token in the ``token`` header, and
the circuit breaker the workers share (adapters/circuit.py, as every platform's). Retrying is
not done here: an order that did not pass waits in its outbox row for its own attempt."""

import json
from datetime import datetime
from functools import cache
from pathlib import Path

import httpx
import pybreaker
from django.conf import settings
from django.utils.dateparse import parse_datetime

from ..platforms import (
    NotConfiguredError,
    RejectedError,
    ShipmentAck,
    TrackingUpdate,
    TransientError,
)
from .circuit import circuit_breaker, http_client, post_json

PLATFORM = "Bưu chính"
DATA = Path(__file__).resolve().parent.parent / "data" / "post.json"


@cache
def codes() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def breaker() -> pybreaker.CircuitBreaker:
    return circuit_breaker(
        "post",
        fail_max=settings.POST_BREAKER_FAILURES,
        reset_timeout=settings.POST_BREAKER_RESET_SECONDS,
        exclude=[RejectedError],
    )


def update_from(item: dict, tracking_code: str = "") -> TrackingUpdate:
    """A tracking update from the service's JSON (pulled or pushed); ValueError when it does
    not read as one."""
    code = str(item.get("itemCode") or tracking_code or "").strip()
    status = str(item.get("status") or "").strip()
    at = parse_datetime(str(item.get("time") or ""))
    if not code or not status or at is None or at.tzinfo is None:
        raise ValueError("Cập nhật hành trình thiếu mã vận đơn, mã tình trạng hoặc thời điểm.")
    table = codes()
    label = str(item.get("statusName") or table["statuses"].get(status, f"Tình trạng {status}"))
    update_id = str(item.get("id") or f"{code}:{status}:{at.isoformat()}")
    return TrackingUpdate(
        update_id=update_id[:120],
        tracking_code=code[:40],
        status=status[:8],
        label=label[:120],
        at=at,
        note=str(item.get("note") or "")[:255],
        delivered=status in table["delivered_statuses"],
    )


class PostClient:
    """The adapter of :class:`integrations.platforms.PostalService`."""

    def __init__(self, base_url=None, *, token=None):
        self.base_url = (base_url if base_url is not None else settings.POST_BASE_URL).rstrip("/")
        self.token = token or settings.POST_TOKEN
        self._http = None

    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = http_client(
                timeout=settings.POST_TIMEOUT_SECONDS, headers={"token": self.token}
            )
        return self._http

    def _call(self, path: str, body: dict) -> tuple[int, dict]:
        if not self.base_url:
            raise NotConfiguredError("Chưa cấu hình địa chỉ dịch vụ bưu chính (POST_BASE_URL).")
        url = f"{self.base_url}{path}"
        try:
            return breaker().call(post_json, self.http(), url, body, PLATFORM)
        except pybreaker.CircuitBreakerError as exc:
            raise TransientError(
                "Dịch vụ bưu chính lỗi liên tiếp: tạm ngừng gửi, sẽ thử lại sau "
                f"{settings.POST_BREAKER_RESET_SECONDS:.0f} giây."
            ) from exc

    def create_order(self, order: dict) -> ShipmentAck:
        status, answer = self._call("/CreateOrder", order)
        if status in (401, 403):
            # The account's token is a configuration fault: the order waits, visible.
            raise TransientError(
                f"Bưu chính không chấp nhận tài khoản của Cổng (HTTP {status}). "
                "Kiểm tra POST_TOKEN."
            )
        if 400 <= status < 500:
            reason = str(answer.get("message") or f"HTTP {status}")[:500]
            raise RejectedError(f"Bưu chính từ chối đơn: {reason}", answer=answer)
        tracking = str(answer.get("itemCode") or answer.get("originalID") or "").strip()
        if not tracking:
            raise TransientError("Bưu chính nhận đơn nhưng không trả mã vận đơn.", answer=answer)
        fee = answer.get("totalFee")
        return ShipmentAck(
            tracking_code=tracking[:40],
            fee=int(fee) if isinstance(fee, int | float) else None,
            duplicate=bool(answer.get("duplicate")),
            answer=answer,
        )

    def track(self, tracking_code: str) -> list[TrackingUpdate]:
        status, answer = self._call("/Tracking", {"itemCode": tracking_code})
        if status >= 400:
            raise TransientError(f"Bưu chính không trả hành trình (HTTP {status}).")
        updates = []
        for item in answer.get("items") or []:
            try:
                updates.append(update_from(item, tracking_code))
            except ValueError:
                continue  # one unreadable step does not hide the others
        return sorted(updates, key=lambda u: u.at or datetime.min)

    def close(self):
        if self._http is not None:
            self._http.close()
            self._http = None


@cache
def postal_service() -> PostClient:
    """The process's client (its connection pool is reused)."""
    return PostClient()
