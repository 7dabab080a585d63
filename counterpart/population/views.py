"""The look-up service as provinces' systems call it through the data-sharing platform
(NDXP/LGSP): one POST with the request id, the procedure, the integration code, the unit, the
officer and the person's number, full name and birth date; the record comes back only when
all three match (integrations/data/population.json says which names were verified where).

Control endpoints (``Authorization: Bearer <CONTROL_TOKEN>``): faults, the look-ups answered,
reset."""

import hmac
import re
import time
import unicodedata
from datetime import date

from django.conf import settings
from django.views.decorators.http import require_GET, require_POST

from counterpart.dvcqg.http import RequestError, answer, control_view, json_view, read_json

from . import faults
from .models import Lookup, Person

# Answer codes (unverified: no official text found; see integrations/data/population.json).
FOUND, NOT_FOUND, MISMATCH, INVALID = 0, 1, 2, 3
MESSAGES = {
    FOUND: "Thông tin công dân khớp với CSDLQG về dân cư",
    NOT_FOUND: "Không tìm thấy số định danh cá nhân trong CSDLQG về dân cư",
    MISMATCH: "Thông tin công dân không khớp với CSDLQG về dân cư",
    INVALID: "Dữ liệu yêu cầu không hợp lệ",
}
REQUIRED = ("MaYeuCau", "MaDVC", "MaTichHop", "MaDonVi", "MaCanBo", "SoDinhDanh", "HoVaTen")


def _authorised(request) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(given.encode(), settings.POPULATION_TOKEN.encode())


def _same_name(a: str, b: str) -> bool:
    def norm(text):
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)


def _same_birth(given: str, birthdate: date) -> bool:
    if re.fullmatch(r"\d{4}", given):
        return int(given) == birthdate.year
    return given == birthdate.isoformat()


def _record(person: Person) -> dict:
    return {
        "SoDinhDanh": person.id_number,
        "SoCMND": person.old_id_number,
        "HoVaTen": {
            "Ho": person.family_name,
            "ChuDem": person.middle_name,
            "Ten": person.given_name,
        },
        "GioiTinh": str(person.sex),
        "DanToc": person.ethnicity,
        "NgayThangNamSinh": person.birthdate.isoformat(),
        "ThuongTru": {"ChiTiet": person.permanent_address},
        "NoiOHienTai": {"ChiTiet": person.current_address},
    }


@require_POST
@json_view
def look_up(request):
    if not _authorised(request):
        return answer({"MaLoi": 401, "MoTaLoi": "Sai mã truy cập"}, status=401)
    mode, delay = faults.take()
    if mode == "down":
        return answer({"MaLoi": -1, "MoTaLoi": "Hệ thống tạm ngừng (mô phỏng)"}, status=503)
    if mode == "slow":
        time.sleep(delay)
    data = read_json(request)
    missing = [name for name in REQUIRED if not str(data.get(name) or "").strip()]
    if missing or not str(data.get("NgayThangNamSinh") or "").strip():
        raise RequestError("Thiếu trường: " + ", ".join(missing or ["NgayThangNamSinh"]))
    number = str(data["SoDinhDanh"]).strip()
    person = Person.objects.filter(id_number=number).first()
    body = {"MaYeuCau": str(data["MaYeuCau"])}
    if person is None:
        code = NOT_FOUND
    else:
        wrong = []
        if not _same_name(str(data["HoVaTen"]), person.full_name):
            wrong.append("HoVaTen")
        if not _same_birth(str(data["NgayThangNamSinh"]).strip(), person.birthdate):
            wrong.append("NgayThangNamSinh")
        code = MISMATCH if wrong else FOUND
        if wrong:
            body["TruongKhongKhop"] = wrong
        else:
            body["CongDan"] = _record(person)
    Lookup.objects.create(
        request_id=body["MaYeuCau"][:40],
        officer=str(data["MaCanBo"])[:40],
        unit_code=str(data["MaDonVi"])[:40],
        procedure_code=str(data["MaDVC"])[:40],
        path=request.path[:300],
        query_string=request.META.get("QUERY_STRING", "")[:300],
        id_number=number[:12],
        code=code,
    )
    return answer({"MaLoi": code, "MoTaLoi": MESSAGES[code], **body})


@control_view
def fault(request):
    if request.method == "POST":
        data = read_json(request)
        try:
            faults.set_fault(data.get("mode", "none"), data.get("count"), data.get("delay_seconds"))
        except (TypeError, ValueError) as error:
            raise RequestError(str(error)) from error
    return answer(faults.describe())


@require_GET
@control_view
def lookups(request):
    return answer(
        [
            {
                "MaYeuCau": x.request_id,
                "MaCanBo": x.officer,
                "MaDonVi": x.unit_code,
                "MaDVC": x.procedure_code,
                "path": x.path,
                "query_string": x.query_string,
                "SoDinhDanh": x.id_number,
                "MaLoi": x.code,
            }
            for x in Lookup.objects.all()
        ]
    )


@require_POST
@control_view
def reset(request):
    Lookup.objects.all().delete()
    faults.set_fault("none")
    return answer({"MaLoi": 0, "message": "Đã đặt lại"})
