"""A score as a file: CSV (UTF-8 with BOM, for Excel) and XLSX (points as numbers), one row
per sub-indicator with its figures, points, status and formula, then the 12-period trend."""

import csv
import io

from .result import Score

HEADER = [
    "Nhóm",
    "Mã",
    "Chỉ số thành phần",
    "Tử số",
    "Mẫu số",
    "Tỷ lệ (%)",
    "Điểm đạt",
    "Điểm tối đa",
    "Điểm mất",
    "Trạng thái",
    "Lý do",
    "Công thức",
    "Đối chiếu văn bản",
]
WIDTHS = (22, 22, 44, 8, 8, 9, 9, 9, 9, 16, 40, 60, 14)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(result: Score, fmt: str) -> str:
    return f"diem-766-{result.unit_code}-{result.period_token}.{fmt}"


def rows(result: Score, trend: list[Score]) -> list[list]:
    out = [
        [f"Điểm Bộ chỉ số 766/QĐ-TTg — {result.unit_name}"],
        [result.period_label, f"Tổng {result.total} / {result.max} điểm"],
        [
            f"Đã đo {result.measured_max} điểm, mất {result.lost}, "
            f"chưa đo được hoặc không phát sinh {result.unmeasured}"
        ],
        HEADER,
    ]
    for group in result.groups:
        for i in group.items:
            out.append(
                [
                    group.name,
                    i.code,
                    i.name,
                    i.numerator,
                    i.denominator,
                    i.rate,
                    i.points,
                    i.max_points,
                    i.lost_points,
                    i.status_label,
                    i.reason,
                    i.formula,
                    "đã đối chiếu" if i.verified == "verified" else "chưa đối chiếu",
                ]
            )
    out.append(["", "", "Tổng cộng", None, None, None, result.total, result.max, result.lost])
    out += [[], ["Xu hướng 12 kỳ"], ["Kỳ", "Tổng điểm", "Điểm đã đo", "Điểm mất"]]
    out += [[s.period_label, s.total, s.measured_max, s.lost] for s in trend]
    return out


def to_csv(result: Score, trend: list[Score]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(["" if v is None else v for v in row] for row in rows(result, trend))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: Score, trend: list[Score]) -> bytes:
    # Imported here: openpyxl (with numpy) is about 34 MiB that only a process making a
    # workbook should carry, not every web process and worker (tests/test_process_memory.py).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Điểm 766"
    for row in rows(result, trend):
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJKLM", WIDTHS, strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(result: Score, trend: list[Score], fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(result, trend)
    if fmt == "xlsx":
        return to_xlsx(result, trend)
    raise ValueError(fmt)
