"""The platform's side of the checksum (MaXacThuc): SHA-256 hex of the fields in the
platform's order joined by "|" with the partner's secret last. Written apart from the
portal's code on purpose: the counterpart checks the contract, not the portal's copy of it."""

import hashlib
import hmac

from django.conf import settings

INIT_ORDER = [
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
]
CONFIRM_ORDER = [
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
    "SoBienLai",
]
STATEMENT_ORDER = ["MaDoiTac", "NgayDoiSoat"]


def mac(data: dict, order) -> str:
    raw = "|".join(str(data.get(k, "")) for k in order if k in data) + "|" + settings.PAYMENT_SECRET
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def signed_by_partner(data: dict, order) -> bool:
    present = {k: data.get(k, "") for k in order}
    return hmac.compare_digest(str(data.get("MaXacThuc", "")), mac(present, order))
