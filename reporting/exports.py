"""The monthly table as a file: CSV (UTF-8 with BOM, for Excel), XLSX (numbers as numbers,
totals as formulas) and PDF (A4 landscape, national heading, signature block; WeasyPrint).

All three read the same :class:`~reporting.tables.Table`, in the same column order.
"""

import csv
import io
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dossiers.printing import place_date_line, render_pdf

from .tables import CELL_LABELS, GROUP_LABELS, TOTALS, Table

# Left to right as Thông tư 01/2020 lays the table out: each total before its parts.
EXPORT_COLUMNS = [
    "received",
    "carried",
    "new_online",
    "new_direct",
    "finished",
    "early",
    "on_time",
    "late",
    "in_progress",
    "within",
    "overdue",
    "withdrawn",
    "stopped",
]
SHORT_LABELS = {
    "received": "Tổng số nhận",
    "carried": "Kỳ trước chuyển qua",
    "new_online": "Mới nhận trực tuyến",
    "new_direct": "Mới nhận trực tiếp, bưu chính",
    "finished": "Tổng số đã giải quyết",
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
    "in_progress": "Tổng số đang giải quyết",
    "within": "Trong hạn",
    "overdue": "Quá hạn",
    "withdrawn": "Rút, trả lại",
    "stopped": "Dừng giải quyết",
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def filename(table: Table, fmt: str) -> str:
    return f"bao-cao-{table.unit.code}-{table.period.token.replace('..', '-den-')}.{fmt}"


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"Báo cáo tình hình, kết quả giải quyết TTHC — {table.unit.name}"])
    writer.writerow([table.period.label])
    writer.writerow(
        ["STT", GROUP_LABELS[table.group_by], *[CELL_LABELS[c] for c in EXPORT_COLUMNS]]
    )
    for i, row in enumerate(table.rows, 1):
        writer.writerow([i, row.label, *[row[c] for c in EXPORT_COLUMNS]])
    writer.writerow(["", "Tổng cộng", *[table.total[c] for c in EXPORT_COLUMNS]])
    # The BOM tells Excel the file is UTF-8, so "Hộ tịch" does not come out as mojibake.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"] = f"Tình hình, kết quả giải quyết TTHC — {table.unit.name}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = table.period.label
    header_row, first = 4, 5
    headers = ["STT", GROUP_LABELS[table.group_by], *[SHORT_LABELS[c] for c in EXPORT_COLUMNS]]
    for col, text in enumerate(headers, 1):
        cell = ws.cell(header_row, col, text)
        cell.font, cell.border = Font(bold=True), border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    letters = {code: get_column_letter(3 + i) for i, code in enumerate(EXPORT_COLUMNS)}
    last = first + len(table.rows) - 1
    for offset, row in enumerate(table.rows):
        r = first + offset
        ws.cell(r, 1, offset + 1)
        ws.cell(r, 2, row.label)
        for code in EXPORT_COLUMNS:
            col = 3 + EXPORT_COLUMNS.index(code)
            if code in TOTALS:  # a total is the formula of its parts, as the reader expects
                value = "=" + "+".join(f"{letters[p]}{r}" for p in TOTALS[code])
            else:
                value = row[code]
            ws.cell(r, col, value)
        for col in range(1, len(headers) + 1):
            ws.cell(r, col).border = border
    total_row = last + 1
    ws.cell(total_row, 2, "Tổng cộng").font = Font(bold=True)
    for code in EXPORT_COLUMNS:
        col = 3 + EXPORT_COLUMNS.index(code)
        letter = letters[code]
        value = f"=SUM({letter}{first}:{letter}{last})" if table.rows else 0
        cell = ws.cell(total_row, col, value)
        cell.font = Font(bold=True)
    for col in range(1, len(headers) + 1):
        ws.cell(total_row, col).border = border
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 38
    for code in EXPORT_COLUMNS:
        ws.column_dimensions[letters[code]].width = 12
    ws.row_dimensions[header_row].height = 48
    ws.freeze_panes = ws.cell(first, 3)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(table: Table, *, signer_title="THỦ TRƯỞNG ĐƠN VỊ", prepared_by="") -> bytes:
    zone = ZoneInfo(settings.TIME_ZONE)
    unit = table.unit
    context = {
        "table": table,
        "unit": unit,
        "parent": unit.parent,
        "place_date": place_date_line(unit, timezone.localdate(timezone=zone)),
        "columns": EXPORT_COLUMNS,
        "labels": SHORT_LABELS,
        "group_label": GROUP_LABELS[table.group_by],
        "rows": [(r, [r[c] for c in EXPORT_COLUMNS]) for r in table.rows],
        "totals": [table.total[c] for c in EXPORT_COLUMNS],
        "signer_title": signer_title,
        "prepared_by": prepared_by,
    }
    return render_pdf("reporting/report_pdf.html", context)


def render(table: Table, fmt: str, **kwargs) -> bytes:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "pdf":
        return to_pdf(table, **kwargs)
    raise ValueError(f"Không có định dạng xuất «{fmt}» (chỉ csv, xlsx, pdf).")
