"""The messages DVCQG takes about a dossier, built from the portal's rows: the full dossier
(``DongBoHoSoMC``) and one step (``CapNhatTienDoHoSoMC``).

Field names, the date shape ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh and the status codes are
data (integrations/data/dvcqg.json), with what was and was not verified against Thông tư
04/2025/TT-VPCP written there."""

import json
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from dossiers.models import DossierEvent
from dossiers.text import full_name
from dossiers.workflow import State

DATA = Path(__file__).resolve().parent / "data" / "dvcqg.json"
# Events that are the portal's own housekeeping, not a step the applicant's dossier took.
NOT_SENT = frozenset({"submit", "archive", "handover"})
# States after which the platform's copy of the whole dossier is sent again (the result, the
# end of the dossier).
FINAL = frozenset(
    {
        State.RESULT_READY,
        State.RETURNED,
        State.REFUSED,
        State.WITHDRAWN,
        State.DECLINED,
        State.STOPPED,
    }
)


@cache
def codes() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def stamp(moment) -> str:
    """``yyyyMMddHHmmss`` in Vietnam's time, or "" for no moment."""
    if moment is None:
        return ""
    table = codes()
    return moment.astimezone(ZoneInfo(table["time_zone"])).strftime(table["date_format"])


def status(state: str) -> str:
    return codes()["state_to_status"][state]


def national_code(dossier) -> str:
    """The code the platform knows the dossier by: the national one for a dossier submitted
    on DVCQG (integrations.inbound), the portal's own otherwise."""
    inbound = getattr(dossier, "national_inbound", None)
    return inbound.national_code if inbound is not None else dossier.code


def _person(user) -> tuple[str, str]:
    if user is None:
        return "Hệ thống", ""
    profile = getattr(user, "staff", None)
    name = full_name(user)
    return name, (profile.title if profile is not None else "")


def dossier_message(dossier) -> dict:
    """``DongBoHoSoMC``: the dossier as it stands."""
    table = codes()
    procedure, applicant = dossier.procedure, dossier.applicant
    field = procedure.field
    handling = dossier.competent_unit or dossier.current_unit
    # The fee of the rules the dossier was received under, not today's: a later change of
    # the catalogue must not rewrite what the applicant owes (issue 17).
    rules = dossier.received_rules
    fee = []
    if rules.fee_vnd:
        fee = [
            {
                "TenPhiLePhi": rules.fee_note or "Phí, lệ phí",
                "MaPhiLePhi": procedure.national_code,
                "HinhThucThu": "",
                "Gia": str(rules.fee_vnd),
                "LoaiPhiLePhi": "1",
            }
        ]
    supplements = [
        {
            "HoSoBoSungId": str(event.pk),
            "NguoiYeuCauBoSung": _person(event.actor)[0],
            "NoiDungBoSung": event.note,
            "NgayBoSung": stamp(event.at),
            "TrangThaiBoSung": "1",
        }
        for event in dossier.events.filter(action="request_supplement")
        .select_related("actor")
        .order_by("at", "pk")
    ]
    return {
        "MaHoSo": national_code(dossier),
        "MaTTHC": procedure.national_code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": field.code if field else "",
        "TenLinhVuc": field.name if field else "",
        "ChuHoSo": applicant.name,
        "LoaiDoiTuong": table["applicant_kind"].get(applicant.kind, "1"),
        "MaDoiTuong": applicant.id_number,
        "SoDienThoai": applicant.phone,
        "Email": applicant.email,
        "DiaChi": applicant.address,
        "TrichYeuHoSo": dossier.note or procedure.name,
        "NgayTiepNhan": stamp(dossier.received_at or dossier.submitted_at),
        "NgayHenTra": stamp(dossier.appointment_at or dossier.due_at),
        "TrangThaiHoSo": status(dossier.state),
        "NgayTra": stamp(dossier.returned_at),
        "HinhThuc": table["channel_to_form"].get(dossier.channel, "0"),
        "NgayKetThucXuLy": stamp(dossier.finished_at),
        "DonViXuLy": handling.name if handling else "",
        "TaiLieuNop": [
            {
                "TepDinhKemId": str(component.pk),
                "TenTepDinhKem": component.name,
                "MaThanhPhanHoSo": str(component.component_id or ""),
                "IsDeleted": "False",
                "DuongDanTaiTepTin": "",
            }
            for component in dossier.components.all()
        ],
        "DanhSachLePhi": fee,
        "DanhSachHoSoBoSung": supplements,
        "DanhSachGiayToKetQua": [],
    }


def step_message(dossier, event: DossierEvent, seq: int) -> dict:
    """``CapNhatTienDoHoSoMC``: one step of the dossier's history."""
    name, title = _person(event.actor)
    unit = event.actor_unit or event.to_unit
    content = event.get_action_label()
    if event.note:
        content = f"{content}: {event.note}"
    return {
        "MaHoSo": national_code(dossier),
        "NguoiXuLy": name,
        "ChucDanh": title,
        "ThoiDiemXuLy": stamp(event.at),
        "PhongBanXuLy": unit.name if unit else "",
        "NoiDungXuLy": content[:2000],
        "TrangThai": status(event.to_state),
        "NgayBatDau": stamp(event.at),
        "NgayKetThucTheoQuyDinh": stamp(dossier.step_due_at or dossier.due_at),
        "SoThuTu": seq,
    }


def needs_full_copy(event: DossierEvent) -> bool:
    """Whether a later step sends the whole dossier again: a new appointment, the result and
    the end of the dossier (its first step always does, integrations.sync.record_event)."""
    return event.action == "extend" or event.to_state in FINAL
