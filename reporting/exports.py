"""The monthly table as a file: CSV (UTF-8 with BOM, for Excel), XLSX (numbers as numbers,
totals as formulas) and PDF (A4 landscape, national heading, signature block; WeasyPrint).

All three read the same :class:`~reporting.tables.Table`, in the same column order.
"""

import csv
import io
import re
import zipfile
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

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


# The two-row header of the circular's table: each group over its columns (merged cells), and
# under it the column's own name, so that no two columns read the same ("Quá hạn" twice).
HEADER_GROUPS = [
    ("Số hồ sơ nhận giải quyết", ["received", "carried", "new_online", "new_direct"]),
    ("Số hồ sơ đã giải quyết", ["finished", "early", "on_time", "late"]),
    ("Số hồ sơ đang giải quyết", ["in_progress", "within", "overdue"]),
    ("Rút, dừng, trả lại", ["withdrawn", "stopped"]),
]
SUB_LABELS = {
    **SHORT_LABELS,
    "received": "Tổng số",
    "new_online": "Mới tiếp nhận trực tuyến",
    "new_direct": "Mới tiếp nhận trực tiếp, bưu chính",
    "finished": "Tổng số",
    "in_progress": "Tổng số",
    "stopped": "Dừng theo đề nghị",
}
assert [c for _, codes in HEADER_GROUPS for c in codes] == EXPORT_COLUMNS


def to_xlsx(table: Table) -> bytes:
    """The table as a workbook: numbers as numbers, totals as formulas that also carry their
    value (a reader that does not recalculate — a viewer, a script, the tests — sees the
    number), the circular's two-row header, and set up to print on A4 landscape, one page wide,
    with the header repeated on every sheet."""
    # Imported here: openpyxl (with numpy) is about 34 MiB that only a process making a
    # workbook should carry, not every web process and worker (tests/test_process_memory.py).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(wrap_text=True, horizontal="center", vertical="center")
    ws["A1"] = f"Tình hình, kết quả giải quyết TTHC — {table.unit.name}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = table.period.label
    group_row, header_row, first = 3, 4, 5
    width = 2 + len(EXPORT_COLUMNS)
    for col, text in ((1, "STT"), (2, GROUP_LABELS[table.group_by])):
        ws.cell(group_row, col, text)
        ws.merge_cells(start_row=group_row, start_column=col, end_row=header_row, end_column=col)
    col = 3
    for title, codes in HEADER_GROUPS:
        ws.cell(group_row, col, title)
        ws.merge_cells(
            start_row=group_row,
            start_column=col,
            end_row=group_row,
            end_column=col + len(codes) - 1,
        )
        for offset, code in enumerate(codes):
            ws.cell(header_row, col + offset, SUB_LABELS[code])
        col += len(codes)
    for r in (group_row, header_row):
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            cell.font, cell.border, cell.alignment = Font(bold=True), border, centred
    letters = {code: get_column_letter(3 + i) for i, code in enumerate(EXPORT_COLUMNS)}
    cached = {}  # cell -> the value its formula gives
    last = first + len(table.rows) - 1
    for offset, row in enumerate(table.rows):
        r = first + offset
        ws.cell(r, 1, offset + 1)
        ws.cell(r, 2, row.label)
        for code in EXPORT_COLUMNS:
            col = 3 + EXPORT_COLUMNS.index(code)
            if code in TOTALS:  # a total is the formula of its parts, as the reader expects
                value = "=" + "+".join(f"{letters[p]}{r}" for p in TOTALS[code])
                cached[f"{letters[code]}{r}"] = row[code]
            else:
                value = row[code]
            ws.cell(r, col, value)
        for col in range(1, width + 1):
            ws.cell(r, col).border = border
    total_row = last + 1
    ws.cell(total_row, 2, "Tổng cộng").font = Font(bold=True)
    for code in EXPORT_COLUMNS:
        col = 3 + EXPORT_COLUMNS.index(code)
        letter = letters[code]
        value = f"=SUM({letter}{first}:{letter}{last})" if table.rows else 0
        if table.rows:
            cached[f"{letter}{total_row}"] = table.total[code]
        cell = ws.cell(total_row, col, value)
        cell.font = Font(bold=True)
    for col in range(1, width + 1):
        ws.cell(total_row, col).border = border
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 38
    for code in EXPORT_COLUMNS:
        ws.column_dimensions[letters[code]].width = 12
    ws.row_dimensions[group_row].height = 32
    ws.row_dimensions[header_row].height = 48
    ws.freeze_panes = ws.cell(first, 3)
    _print_setup(ws, f"{group_row}:{header_row}")
    out = io.BytesIO()
    wb.save(out)
    return with_cached_values(out.getvalue(), cached)


def _print_setup(ws, header_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many sheets down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def with_cached_values(data: bytes, cached: dict[str, int]) -> bytes:
    """The workbook with each formula cell's value stored beside its formula (``<f>`` and
    ``<v>``, as Excel saves them): openpyxl writes formulas with an empty value, which a reader
    that does not calculate shows as blank. Only the first sheet is rewritten."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = _CACHED_CELL.sub(
                    lambda m: (
                        f"{m.group(1)}<v>{cached[m.group(2)]}</v>"
                        if m.group(2) in cached
                        else m.group(0)
                    ),
                    content.decode("utf-8"),
                ).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


_CACHED_CELL = re.compile(r'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)<v\s*/?>(?:</v>)?')


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
