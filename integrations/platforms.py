"""One interface per national platform; the adapters in ``adapters/`` speak each one's
messages. The sync service (integrations/sync.py) only sees this interface, and tells a
transient fault (try again later) from a rejection (a person must look)."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Ack:
    """The platform took the message; ``duplicate`` when it had it already."""

    duplicate: bool = False
    answer: dict = field(default_factory=dict)


class PlatformError(Exception):
    """The platform did not take the message. ``reason`` is Vietnamese, for the clerk's page."""

    def __init__(self, reason: str, *, answer: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.answer = answer or {}


class TransientError(PlatformError):
    """Down, slow, overloaded, a session that ran out: the same message later may pass."""


class RejectedError(PlatformError):
    """The platform refused the message as invalid: sending it again will not help."""


class NotConfiguredError(TransientError):
    """No address for the platform: the message waits until one is configured."""


class NationalPortal(Protocol):
    """Cổng Dịch vụ công quốc gia, as the sync service uses it."""

    def send(self, service: str, item: dict, *, is_updating: bool = False) -> Ack:
        """Deliver one message (``item`` carries its ``MaThongDiep``)."""
        ...


@dataclass(frozen=True)
class ShipmentAck:
    """The postal service took the order: its tracking code (mã vận đơn), its fee."""

    tracking_code: str
    fee: int | None = None
    duplicate: bool = False
    answer: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TrackingUpdate:
    """One step of a shipment's journey as the postal service reports it."""

    update_id: str
    tracking_code: str
    status: str
    label: str
    at: object  # an aware datetime
    note: str = ""
    delivered: bool = False


class PostalService(Protocol):
    """Bưu chính công ích (Quyết định 45/2016/QĐ-TTg), as the shipment service uses it."""

    def create_order(self, order: dict) -> ShipmentAck:
        """Place one shipment order (its ``saleOrderCode`` is the idempotency key)."""
        ...

    def track(self, tracking_code: str) -> list[TrackingUpdate]:
        """The updates of one shipment so far, oldest first."""
        ...
