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
class PaymentOrder:
    """The platform took a payment request: where to send the citizen to pay."""

    url: str
    answer: dict = field(default_factory=dict)


class PaymentPlatform(Protocol):
    """Nền tảng thanh toán trên Cổng DVCQG, as the payment service uses it."""

    def start(self, message: dict) -> PaymentOrder:
        """Hand over a payment request (LoaiBanTin INIT, signed); the payment page's URL."""
        ...

    def statement(self, day) -> list[dict]:
        """The platform's transactions of ``day`` (MaThamChieu, SoTien, TrangThaiGD, ...)."""
        ...
