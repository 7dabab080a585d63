"""Exports of the monthly table: CSV with BOM, XLSX with numbers and formulas, an A4
landscape PDF with the national heading; the management command writes each of them."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import exports, periods
from reporting.tables import monthly_table

from .test_browser_journey import pdf_text

pytestmark = pytest.mark.django_db


def test_csv_has_a_bom_and_the_numbers(march):
    table = monthly_table(march["counter"], periods.month(2025, 3))
    data = exports.to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, ho_tich, total = rows[2], rows[3], rows[-1]
    assert header[1] == "Lĩnh vực" and ho_tich[1] == "Hộ tịch"
    assert ho_tich[2:] == ["6", "1", "1", "4", "3", "1", "1", "1", "2", "1", "1", "1", "0"]
    assert total[2:] == ho_tich[2:]


def test_xlsx_holds_numbers_and_formulas(march):
    table = monthly_table(march["counter"], periods.month(2025, 3))
    ws = load_workbook(io.BytesIO(exports.to_xlsx(table))).active
    assert ws["B5"].value == "Hộ tịch"
    assert ws["D5"].value == 1 and isinstance(ws["D5"].value, int)  # carried over: a number
    assert ws["C5"].value == "=D5+E5+F5"  # received: the formula of its parts
    assert ws["G5"].value == "=H5+I5+J5"
    assert ws["D6"].value == "=SUM(D5:D5)"


def test_pdf_is_a4_landscape_with_heading_and_signatures(march, artifacts_dir):
    table = monthly_table(march["counter"], periods.month(2025, 3))
    data = exports.to_pdf(table)
    (artifacts_dir / "bao-cao-thang.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4
    text = pdf_text(data)
    expected = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tháng 03/2025",
        "BỘ PHẬN MỘT CỬA HUYỆN",
        "NGƯỜI LẬP BIỂU",
        "Hộ tịch",
    )
    for words in expected:
        assert words in text, words


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_command_writes_each_format(march, tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    call_command("monthly_report", unit="H50.22.02", month="2025-03", format=fmt, out=str(out))
    assert out.stat().st_size > 100
    magic = {"csv": b"\xef\xbb\xbf", "xlsx": b"PK\x03\x04", "pdf": b"%PDF"}[fmt]
    assert out.read_bytes().startswith(magic)


def test_command_refuses_bad_input_in_vietnamese(march, tmp_path):
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command(
            "monthly_report", unit="X9", month="2025-03", format="csv", out=str(tmp_path / "x")
        )
    with pytest.raises(CommandError, match="Tháng 13 không tồn tại"):
        call_command(
            "monthly_report",
            unit="H50.22.02",
            month="2025-13",
            format="csv",
            out=str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="chưa bắt đầu"):
        call_command(
            "monthly_report",
            unit="H50.22.02",
            month="2099-01",
            format="csv",
            out=str(tmp_path / "x"),
        )
