"""The messages of the national payment platform (Nền tảng thanh toán trên Cổng DVCQG): the
payment request (LoaiBanTin "INIT"), the platform's confirmation (the callback and its
status answer) and the checksum ``MaXacThuc`` each carries: SHA-256 (hex) over the message's
fields in a fixed order joined by "|", the shared secret last. integrations/data/payment.json
says where each field name was seen, or "unverified"."""

import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

INIT = "INIT"
# The platform's code for a confirmation that reports a settled payment, and its transaction
# states (TrangThaiGD): 1 paid, 3 pending (the platform does not know yet), 4 failed.
CONFIRM_OK = "00"
PAID, PENDING, FAILED = "1", "3", "4"

# Field orders of the checksum (payment.json: "checksum").
INIT_FIELDS = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
CONFIRM_FIELDS = (
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
)
# Our counterpart also sends the receipt number with the confirmation; when present it is
# covered by the checksum after the verified fields (unverified against the platform).
RECEIPT_FIELD = "SoBienLai"


def checksum(message: dict, fields, secret: str) -> str:
    """``MaXacThuc`` of ``message``: SHA-256 of its ``fields`` joined by "|", then the secret."""
    parts = [str(message.get(name, "")) for name in fields]
    return hashlib.sha256("|".join([*parts, secret]).encode()).hexdigest()


def confirm_fields(message: dict) -> tuple:
    return (*CONFIRM_FIELDS, RECEIPT_FIELD) if message.get(RECEIPT_FIELD) else CONFIRM_FIELDS


def confirmation_is_signed(message: dict, secret: str) -> bool:
    """Whether the confirmation's MaXacThuc is the one the shared secret gives."""
    given = str(message.get("MaXacThuc", ""))
    if not secret or not given:
        return False
    expected = checksum(message, confirm_fields(message), secret)
    return hmac.compare_digest(given.lower().encode(), expected.encode())


def sign_confirmation(message: dict, secret: str) -> dict:
    return {**message, "MaXacThuc": checksum(message, confirm_fields(message), secret)}


def moment(at=None) -> str:
    """ThoiGianGD: yyyyMMddHHmmss in the province's time."""
    return timezone.localtime(at or timezone.now()).strftime("%Y%m%d%H%M%S")


def init_message(payment, dossier, *, ip: str, return_url: str, notify_url: str) -> dict:
    """The payment request for ``payment`` of ``dossier``'s fee, with its checksum."""
    procedure = dossier.procedure
    unit = dossier.receiving_unit
    what = f"Thanh toan le phi ho so {dossier.code}"
    receipt = {
        "MaDichVu": "2",
        "MaDVC": f"{procedure.national_code}.01",
        "TenDVC": procedure.name[:250],
        "MaTTHC": procedure.national_code,
        "TenTTHC": procedure.name[:250],
        "MaDonVi": unit.code,
        "TenDonVi": unit.name,
        "MaHoSo": dossier.code,
        "TKThuHuong": settings.PAYMENT_BENEFICIARY_ACCOUNT,
        "MaNHThuHuong": settings.PAYMENT_BENEFICIARY_BANK,
        "TenTKThuHuong": settings.PAYMENT_BENEFICIARY_NAME,
        "KhoBac": settings.PAYMENT_TREASURY,
        "NoiDungThanhToan": what,
        "HoTenNguoiNop": dossier.applicant.name,
        "SoCMNDNguoiNop": dossier.applicant.id_number or "",
        "DiaChiNguoiNop": dossier.applicant.address or "",
        "PhiLePhi": [
            {
                "LoaiPhiLePhi": "LePhi",
                "MaPhiLePhi": f"{procedure.national_code}.01",
                "TenPhiLePhi": procedure.fee_note or "Lệ phí",
                "SoTien": str(payment.amount),
            }
        ],
        "DSKhoanNop": [{"NoiDung": what, "SoTien": str(payment.amount)}],
    }
    message = {
        "LoaiBanTin": INIT,
        "PhienBan": settings.PAYMENT_VERSION,
        "MaDoiTac": settings.PAYMENT_PARTNER_CODE,
        "MaThamChieu": payment.reference,
        "SoTien": str(payment.amount),
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",
        "MaThietBi": "1",
        "NgonNgu": "vi-VN",
        "MaTienTe": "VND",
        "MaNganHang": "PAYMENT",
        "ThongTinGiaoDich": what,
        "ThoiGianGD": moment(),
        "Ip": ip,
        "UrlTraVe": return_url,
        "UrlThongBao": notify_url,
        "ThongTinBienLai": receipt,
    }
    message["MaXacThuc"] = checksum(message, INIT_FIELDS, settings.PAYMENT_SECRET)
    return message
