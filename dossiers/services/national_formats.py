"""Reading procedure records as the national public-service portal publishes them, in its two
shapes, into one plain :class:`NationalRecord` each (services.national_import applies them).

- **JSON detail records**: the answer of the DVCQG sharing service ``LayThuTuc``
  (``{"result": [ {...} ]}``), or a list of such records. Keys as the provinces' integrations
  read them (VietOpenCPS, ``DVCQGIntegrationActionImpl.syncServiceInfo``): ``MATTHC``,
  ``TENTTHC``, ``LINHVUCTHUCHIEN[{MALINHVUC, TENLINHVUC}]``, ``CACHTHUCTHUCHIEN[{KENH,
  THOIGIAN[{THOIGIANGIAIQUYET, DONVITINH, MOTA, PHILEPHI[{MAPHILEPHI, SOTIEN, DONVI,
  MOTA}]}]}]``, ``THANHPHANHOSO[{TRUONGHOP, GIAYTO[{MAGIAYTO, TENGIAYTO, SOBANCHINH,
  SOBANSAO}]}]``, ``CANCUPHAPLY[{SOVANBAN, TENVANBAN}]``, ``COQUANTHUCHIEN[{MADONVI,
  TENDONVI}]``. ``CAPTHUCHIEN`` (a label or a list of labels, "Cấp Xã", "Cấp Tỉnh") and
  ``NGAYCOHIEULUC`` are not in that code: their shape here is ours (not verified).
- **Excel export** (.xlsx): one procedure per row under a header row whose titles are the
  portal's detail-page labels ("Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Lĩnh vực",
  "Thời hạn giải quyết", "Phí, lệ phí", "Thành phần hồ sơ", "Căn cứ pháp lý", "Cơ quan thực
  hiện", "Ngày hiệu lực"); the exact layout of the portal's own export was not found.

Every error names the record index and key (JSON) or the row and column (Excel).
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..text import fold
from .catalogue import CatalogueError

CODE = re.compile(r"^(\d{1,2}\.\d{6})(\.|$)")  # "1.001193" or "1.001193.000.00.00.H50"
CUTOFF = re.compile(r"(\d{1,2})\s*(?:giờ|h|:)\s*(\d{2})?", re.IGNORECASE)
COPIES = re.compile(r"\(\s*bản chính\s*:\s*(\d+)\s*,\s*bản sao\s*:\s*(\d+)\s*\)\s*$", re.I)
DEFAULT_CUTOFF = time(15, 0)
LEVELS = {"cap xa": "commune", "cap tinh": "province"}
DIRECT = 1  # KENH: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích


class NationalFormatError(CatalogueError):
    """A record the portal's shape does not allow; the message says where."""


@dataclass
class NationalRecord:
    where: str  # "bản ghi 2" or "dòng 5"
    code: str
    name: str
    field_code: str
    field_name: str
    levels: str  # commune | province | both
    time: dict  # time_kind, working_days, calendar_days, same_day_cutoff
    fee_vnd: int | None
    fee_note: str
    components: list[dict]
    legal_basis: str = ""
    agencies: list[str] = field(default_factory=list)
    effective_from: date | None = None
    notes: list[str] = field(default_factory=list)


def read_file(name: str, content: bytes) -> list[NationalRecord]:
    """The records of a .json or .xlsx file; duplicate codes refused."""
    lower = name.lower()
    if lower.endswith(".json"):
        records = read_json_records(content)
    elif lower.endswith(".xlsx"):
        records = read_excel_records(content)
    else:
        raise NationalFormatError("Chỉ nhận tệp .json (bản ghi chi tiết) hoặc .xlsx (Excel).")
    seen = {}
    for record in records:
        if record.code in seen:
            raise NationalFormatError(
                f"{record.where.capitalize()}: mã thủ tục {record.code} trùng với "
                f"{seen[record.code]}."
            )
        seen[record.code] = record.where
    if not records:
        raise NationalFormatError("Tệp không có thủ tục nào.")
    return records


# Shared readers: each takes the text and where it came from, raises in Vietnamese.


def parse_code(text, where):
    match = CODE.match(str(text or "").strip())
    if not match:
        raise NationalFormatError(f"{where}: mã thủ tục '{text}' không đúng dạng 1.001193.")
    return match.group(1)


def parse_levels(labels, where):
    if isinstance(labels, str):
        labels = re.split(r"[,;/]", labels)
    found = set()
    for label in labels or []:
        label = label.get("TENCAP", "") if isinstance(label, dict) else label
        if not str(label).strip():
            continue
        key = fold(str(label)).replace("cap phuong", "cap xa")
        if key not in LEVELS:
            raise NationalFormatError(
                f"{where}: cấp thực hiện '{str(label).strip()}' không có trong chính quyền hai "
                "cấp (chỉ nhận Cấp Xã, Cấp Tỉnh)."
            )
        found.add(LEVELS[key])
    if not found:
        raise NationalFormatError(f"{where}: thiếu cấp thực hiện.")
    return "both" if len(found) == 2 else found.pop()


def parse_time(amount, unit, description, where):
    """(number, unit) as the portal writes them: "Ngày làm việc", "Ngày", "Trong ngày"."""
    unit_key = fold(str(unit or ""))
    if unit_key not in ("trong ngay", "ngay lam viec", "ngay"):
        raise NationalFormatError(
            f"{where}: không biết cách tính thời hạn '{unit}' (chỉ nhận Ngày làm việc, Ngày, "
            "Trong ngày)."
        )
    try:
        number = int(float(str(amount).replace(",", "."))) if str(amount).strip() else 0
    except ValueError as exc:
        raise NationalFormatError(f"{where}: thời hạn '{amount}' không phải là số.") from exc
    if number < 0:
        raise NationalFormatError(f"{where}: thời hạn không được âm.")
    blank = {"working_days": None, "calendar_days": None, "same_day_cutoff": None}
    if unit_key == "trong ngay" or number == 0:
        match = CUTOFF.search(str(description or ""))
        cutoff = time(int(match.group(1)), int(match.group(2) or 0)) if match else None
        return {**blank, "time_kind": "same_day", "same_day_cutoff": cutoff or DEFAULT_CUTOFF}
    if unit_key == "ngay lam viec":
        return {**blank, "time_kind": "working_days", "working_days": number}
    return {**blank, "time_kind": "calendar_days", "calendar_days": number}


def parse_fee(value, where):
    """A number of đồng; "Không", "Miễn" or blank text is 0; negative is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        number = int(value)
    else:
        text = fold(str(value))
        if text.startswith(("khong", "mien")):
            return 0
        match = re.search(r"-?\s*\d[\d.]*", text)
        if not match:
            raise NationalFormatError(f"{where}: phí, lệ phí '{value}' không đọc được số tiền.")
        number = int(match.group(0).replace(".", "").replace(" ", ""))
    if number < 0:
        raise NationalFormatError(f"{where}: phí, lệ phí không được âm ({number}).")
    return number


def parse_date(value, where):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise NationalFormatError(f"{where}: ngày '{text}' không hợp lệ (dạng 01/07/2025).")


def component(name, originals, copies, required):
    originals, copies = max(0, int(originals or 0)), max(0, int(copies or 0))
    form = (
        "original_or_copy"
        if originals and copies
        else "copy"
        if copies and not originals
        else "original"
    )
    return {
        "name": name.strip()[:400],
        "form": form,
        "copies": max(1, originals, copies),
        "required": required,
        "reusable_type": None,
    }


# The JSON detail records (LayThuTuc).


def _need(item, key, where):
    value = item.get(key)
    if value in (None, "", []):
        raise NationalFormatError(f"{where}, khóa {key}: thiếu dữ liệu.")
    return value


def read_json_records(content: bytes) -> list[NationalRecord]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NationalFormatError(f"Tệp không phải JSON hợp lệ: {exc}.") from exc
    items = (
        data.get("result", [data] if "MATTHC" in data else None) if isinstance(data, dict) else data
    )
    if not isinstance(items, list):
        raise NationalFormatError("Tệp JSON cần khóa «result» là danh sách thủ tục (LayThuTuc).")
    return [_json_record(item, f"bản ghi {i}") for i, item in enumerate(items, start=1)]


def _json_record(item, where) -> NationalRecord:
    if not isinstance(item, dict):
        raise NationalFormatError(f"{where.capitalize()}: không phải một thủ tục.")
    where = where.capitalize()
    code = parse_code(_need(item, "MATTHC", where), f"{where}, khóa MATTHC")
    name = str(_need(item, "TENTTHC", where)).strip()
    field_row = _need(item, "LINHVUCTHUCHIEN", where)[0]
    channels = _need(item, "CACHTHUCTHUCHIEN", where)
    channel = next((c for c in channels if c.get("KENH") == DIRECT), channels[0])
    timing = (channel.get("THOIGIAN") or [None])[0]
    if not timing:
        raise NationalFormatError(f"{where}, khóa CACHTHUCTHUCHIEN.THOIGIAN: thiếu thời hạn.")
    key = f"{where}, khóa CACHTHUCTHUCHIEN.THOIGIAN"
    fees = timing.get("PHILEPHI") or []
    # Several fee rows are alternatives (per page, per copy…): the first is the amount, every
    # row's description goes to the note.
    amounts = [
        parse_fee(f.get("SOTIEN"), f"{key}.PHILEPHI[{i}].SOTIEN")
        for i, f in enumerate(fees, start=1)
    ]
    fee = amounts[0] if amounts else None
    cases = _need(item, "THANHPHANHOSO", where)
    components = [
        component(g.get("TENGIAYTO") or "", g.get("SOBANCHINH"), g.get("SOBANSAO"), len(cases) == 1)
        for case in cases
        for g in case.get("GIAYTO", [])
        if (g.get("TENGIAYTO") or "").strip()
    ]
    return NationalRecord(
        where=where.lower(),
        code=code,
        name=name,
        field_code=str(field_row.get("MALINHVUC", "")).strip(),
        field_name=str(field_row.get("TENLINHVUC", "")).strip(),
        levels=parse_levels(_need(item, "CAPTHUCHIEN", where), f"{where}, khóa CAPTHUCHIEN"),
        time=parse_time(
            timing.get("THOIGIANGIAIQUYET"), timing.get("DONVITINH"), timing.get("MOTA"), key
        ),
        fee_vnd=fee,
        fee_note="; ".join(str(f.get("MOTA", "")).strip() for f in fees if f.get("MOTA"))[:500],
        components=components,
        legal_basis="\n".join(
            f"{c.get('SOVANBAN', '')} {c.get('TENVANBAN', '')}".strip()
            for c in item.get("CANCUPHAPLY", [])
        ),
        agencies=[c.get("TENDONVI", "") for c in item.get("COQUANTHUCHIEN", [])],
        effective_from=parse_date(item.get("NGAYCOHIEULUC"), f"{where}, khóa NGAYCOHIEULUC"),
    )


# The Excel export.

COLUMNS = {
    "code": "Mã thủ tục",
    "name": "Tên thủ tục",
    "levels": "Cấp thực hiện",
    "field": "Lĩnh vực",
    "time": "Thời hạn giải quyết",
    "fee": "Phí, lệ phí",
    "components": "Thành phần hồ sơ",
}
OPTIONAL = {"legal": "Căn cứ pháp lý", "agency": "Cơ quan thực hiện", "since": "Ngày hiệu lực"}
TIME_TEXT = re.compile(r"^\s*(\d+)?\s*(.*?)\s*(?:\((.*)\))?\s*$")


def read_excel_records(content: bytes) -> list[NationalRecord]:
    # Imported here: openpyxl (with numpy) is about 34 MiB that only a process reading a
    # workbook should carry, not every web process and worker (tests/test_process_memory.py).
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises several kinds for a file that is not xlsx
        raise NationalFormatError("Tệp không phải bảng tính Excel (.xlsx) đọc được.") from exc
    rows = sheet.iter_rows(values_only=True)
    header_row, header = 0, None
    for number, row in enumerate(rows, start=1):
        if any(fold(str(c or "")) == fold(COLUMNS["code"]) for c in row):
            header_row, header = number, [fold(str(c or "")) for c in row]
            break
    if header is None:
        raise NationalFormatError(f"Không tìm thấy dòng tiêu đề có cột «{COLUMNS['code']}».")
    index = {}
    for key, title in {**COLUMNS, **OPTIONAL}.items():
        if fold(title) in header:
            index[key] = header.index(fold(title))
        elif key in COLUMNS:
            raise NationalFormatError(f"Dòng {header_row}: thiếu cột «{title}».")

    def cell(row, key):
        i = index.get(key)
        return row[i] if i is not None and i < len(row) else None

    def at(number, key):
        title = {**COLUMNS, **OPTIONAL}[key]
        letter = get_column_letter(index[key] + 1) if key in index else "?"
        return f"Dòng {number}, cột «{title}» ({letter})"

    records = []
    for number, row in enumerate(rows, start=header_row + 1):
        if not any(c not in (None, "") for c in row):
            continue
        for key in COLUMNS:
            if cell(row, key) in (None, "") and key != "fee":
                raise NationalFormatError(f"{at(number, key)}: thiếu dữ liệu.")
        records.append(_excel_record(number, row, cell, at))
    return records


def _excel_record(number, row, cell, at) -> NationalRecord:
    match = TIME_TEXT.match(str(cell(row, "time")))
    amount, unit, description = match.groups() if match else (None, "", "")
    lines = [line.strip(" -•\t") for line in str(cell(row, "components")).splitlines()]
    components = []
    for line in filter(None, lines):
        copies = COPIES.search(line)
        name = line[: copies.start()] if copies else line
        originals, duplicates = copies.groups() if copies else (1, 0)
        components.append(component(name, originals, duplicates, True))
    field_name = str(cell(row, "field")).strip()
    agency = cell(row, "agency")
    return NationalRecord(
        where=f"dòng {number}",
        code=parse_code(cell(row, "code"), at(number, "code")),
        name=str(cell(row, "name")).strip(),
        field_code="",
        field_name=field_name,
        levels=parse_levels(str(cell(row, "levels")), at(number, "levels")),
        time=parse_time(amount or 0, unit, description, at(number, "time")),
        fee_vnd=parse_fee(cell(row, "fee"), at(number, "fee")),
        fee_note=str(cell(row, "fee") or "").strip()[:500]
        if isinstance(cell(row, "fee"), str)
        else "",
        components=components,
        legal_basis=str(cell(row, "legal") or "").strip(),
        agencies=[agency.strip()] if isinstance(agency, str) and agency.strip() else [],
        effective_from=parse_date(cell(row, "since"), at(number, "since")),
    )
