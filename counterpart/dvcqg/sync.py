"""The sync services the portal calls (DongBoHoSoMC, CapNhatTienDoHoSoMC): each item checked
with a Django form, deduplicated on MaThongDiep, recorded with its order within the dossier."""

import uuid

from django import forms
from django.db import IntegrityError, transaction
from django.forms.fields import BaseTemporalField

from .models import Message, Tally

SYNC = "DongBoHoSoMC"
PROGRESS = "CapNhatTienDoHoSoMC"
DATE_FORMAT = "%Y%m%d%H%M%S"
STATUS_CODES = [(str(code), str(code)) for code in range(1, 11)]
OK = "Thành công"


class PlatformDate(forms.DateTimeField):
    """A date in the platform's yyyyMMddHHmmss only (Django's own field takes ISO 8601 too)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return BaseTemporalField.to_python(self, str(value))


def _date(required=False):
    return PlatformDate(
        required=required,
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": "không đúng định dạng ngày yyyyMMddHHmmss"},
    )


def _status():
    return forms.ChoiceField(
        choices=STATUS_CODES,
        error_messages={"invalid_choice": "phải là một mã trạng thái từ 1 đến 10"},
    )


class MessageForm(forms.Form):
    MaHoSo = forms.CharField(max_length=64)
    MaThongDiep = forms.UUIDField(error_messages={"invalid": "phải là một UUID"})


class DossierForm(MessageForm):
    MaTTHC = forms.CharField(max_length=64)
    NgayTiepNhan = _date(required=True)
    NgayHenTra = _date()
    TrangThaiHoSo = _status()
    LISTS = ["TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua"]


class StepForm(MessageForm):
    ThoiDiemXuLy = _date(required=True)
    NgayBatDau = _date()
    NgayKetThucTheoQuyDinh = _date()
    TrangThai = _status()
    SoThuTu = forms.IntegerField(
        min_value=1,
        error_messages={
            "invalid": "phải là số nguyên từ 1 trở lên",
            "min_value": "phải là số nguyên từ 1 trở lên",
        },
    )
    LISTS: list = []


FORMS = {SYNC: DossierForm, PROGRESS: StepForm}


def reason(item, form_class):
    """The Vietnamese reason an item is refused (naming the field), or None."""
    if not isinstance(item, dict):
        return "Mỗi mục trong data phải là một đối tượng JSON"
    for name in form_class.LISTS:
        if item.get(name) is not None and not isinstance(item[name], list):
            return f"Trường {name}: phải là một danh sách"
    if isinstance(item.get("SoThuTu"), bool):
        return "Trường SoThuTu: phải là số nguyên từ 1 trở lên"
    form = form_class(data={k: v for k, v in item.items() if k in form_class.base_fields})
    if form.is_valid():
        return None
    field, errors = next(iter(form.errors.items()))
    return f"Trường {field}: {'; '.join(errors)}"


def handle(service, envelope, item, pretend_duplicate=False) -> dict:
    """Answer one item: refused (2, 3), accepted, or a duplicate of an accepted message."""
    message_id = item.get("MaThongDiep") if isinstance(item, dict) else None
    refused = reason(item, FORMS[service])
    if refused is None and service == PROGRESS and not _dossier_known(item["MaHoSo"]):
        return _refuse(
            service,
            3,
            f"Chưa có hồ sơ {item['MaHoSo']} trên Cổng DVCQG (cần đồng bộ DongBoHoSoMC trước)",
            message_id,
        )
    if refused is not None:
        return _refuse(service, 2, refused, message_id)
    duplicate = not _record(service, envelope, item)
    if duplicate:
        Tally.bump("duplicates")
        Tally.bump(f"duplicates:{service}")
    return {
        "error_code": 0,
        "message": OK,
        "MaThongDiep": message_id,
        "duplicate": duplicate or pretend_duplicate,
    }


def refuse_simulated(service, item) -> dict:
    message_id = item.get("MaThongDiep") if isinstance(item, dict) else None
    return _refuse(service, 2, "Dữ liệu không hợp lệ (mô phỏng)", message_id)


def _refuse(service, code, message, message_id):
    Tally.bump("rejected")
    Tally.bump(f"rejected:{service}")
    return {"error_code": code, "message": message, "MaThongDiep": message_id}


def _dossier_known(mahoso):
    return Message.objects.filter(service=SYNC, mahoso=mahoso).exists()


def _record(service, envelope, item) -> bool:
    """Record the message; False when its MaThongDiep was already recorded."""
    message_id = str(uuid.UUID(str(item["MaThongDiep"])))
    sequence = int(item["SoThuTu"]) if service == PROGRESS else None
    try:
        with transaction.atomic():
            if Message.objects.filter(message_id=message_id).exists():
                return False
            late = (
                sequence is not None
                and Message.objects.filter(
                    service=PROGRESS, mahoso=item["MaHoSo"], sequence__gt=sequence
                ).exists()
            )
            Message.objects.create(
                service=service,
                mahoso=item["MaHoSo"],
                message_id=message_id,
                sequence=sequence,
                unit_code=str(envelope.get("madonvi") or ""),
                is_updating=str(envelope.get("isUpdating") or "") if service == SYNC else "",
                payload=item,
                out_of_order=late,
            )
    except IntegrityError:  # the same message arriving twice at the same instant
        return False
    return True


def last_dossier(mahoso):
    message = Message.objects.filter(service=SYNC, mahoso=mahoso).last()
    return message.payload if message else None
