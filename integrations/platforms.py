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


# --- CSDLQG về dân cư (the national population database) ----------------------------------
@dataclass(frozen=True)
class PopulationRecord:
    """A person as the population database answers for them (addresses as it holds them).
    ``repr`` leaves the identity number out: a traceback never shows it."""

    id_number: str = field(repr=False)
    full_name: str
    birth_date: str  # yyyy-mm-dd (or yyyy), as the database gives it
    sex: str = ""  # "Nam", "Nữ", "" (not recorded)
    ethnicity: str = ""
    permanent_address: str = ""
    current_address: str = ""
    answer: dict = field(default_factory=dict, repr=False)


class PersonNotFoundError(RejectedError):
    """The database holds no one with this identity number."""


class PersonMismatchError(RejectedError):
    """Someone holds the number, but the full name or birth date typed is not theirs
    (``fields``: which, in the database's names)."""

    def __init__(self, reason: str, *, fields=(), answer: dict | None = None):
        super().__init__(reason, answer=answer)
        self.fields = tuple(fields)


class PopulationRegistry(Protocol):
    """CSDLQG về dân cư, as the look-up service (integrations/population.py) uses it."""

    def look_up(
        self, *, id_number: str, full_name: str, birth_date: str, officer: str, procedure: str
    ) -> PopulationRecord:
        """The person when number, full name and birth date all match; raises
        PersonNotFoundError, PersonMismatchError, TransientError (down, slow) or
        NotConfiguredError."""


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
