"""The monthly report fitted to its sheets (issue #21, item 5): the by-unit PDF of a district's
counters is one A4 landscape sheet and a longer one keeps its signatures with the note; the
XLSX carries each formula's value, the circular's two-row header and its print setup."""

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import exports, periods
from reporting.tables import monthly_table

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def with_counters(march, count):
    district = march["counter"].parent
    for n in range(count):
        UnitFactory(
            code=f"H50.22.{30 + n}",
            name=f"Bộ phận Một cửa xã Phiêng Côn số {n + 1}",
            level=march["counter"].level,
            parent=district,
            kind="one_stop_commune",
            has_counter=True,
        )
    return monthly_table(district, periods.month(2025, 3), group_by="unit")


def pages(pdf):
    return [pdf_text_page(p) for p in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text_page(page):
    return " ".join(page.extract_text().split())


def test_by_unit_report_of_a_district_is_one_sheet(march, artifacts_dir, tmp_path):
    table = with_counters(march, 13)
    assert len(table.rows) == 14
    pdf = exports.to_pdf(table)
    (artifacts_dir / "bao-cao-theo-don-vi.pdf").write_bytes(pdf)
    texts = pages(pdf)
    assert len(texts) == 1, [t[-160:] for t in texts]
    assert "NGƯỜI LẬP BIỂU" in texts[0] and "Tổng cộng" in texts[0]


def test_a_long_by_unit_report_keeps_the_signatures_with_the_note(march):
    texts = pages(exports.to_pdf(with_counters(march, 40)))
    assert len(texts) >= 2
    assert "NGƯỜI LẬP BIỂU" in texts[-1] and "Kỳ trước chuyển qua của kỳ này" in texts[-1]
    assert all("NGƯỜI LẬP BIỂU" not in t for t in texts[:-1])
    assert "STT" in texts[-1] or "Tổng cộng" in texts[-1]


def test_xlsx_formulas_carry_their_values(march):
    data = exports.to_xlsx(monthly_table(march["counter"], periods.month(2025, 3)))
    formulas = load_workbook(io.BytesIO(data)).active
    values = load_workbook(io.BytesIO(data), data_only=True).active
    assert formulas["C5"].value == "=D5+E5+F5"
    # What a reader that does not calculate sees: the numbers the page shows.
    assert values["C5"].value == 6 and values["G5"].value == 3 and values["K5"].value == 2
    assert values["C6"].value == 6 and values["M6"].value == 1
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert not re.search(r"</f>(<v></v>|<v/>|</c>)", sheet), "a formula without its value"


def test_xlsx_has_the_circulars_two_row_header_and_print_setup(march):
    data = exports.to_xlsx(monthly_table(march["counter"], periods.month(2025, 3)))
    ws = load_workbook(io.BytesIO(data)).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:F3", "G3:J3", "K3:M3", "N3:O3"} <= merged
    assert ws["C3"].value == "Số hồ sơ nhận giải quyết"
    assert ws["K3"].value == "Số hồ sơ đang giải quyết"
    under = [ws.cell(4, c).value for c in range(3, 16)]
    groups = [
        ws.cell(3, c).value for c in (3, 7, 11, 14) for _ in range({3: 4, 7: 4, 11: 3, 14: 2}[c])
    ]
    assert len(set(zip(groups, under, strict=True))) == 13  # no two columns read the same
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$4"
