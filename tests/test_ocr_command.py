"""`manage.py ocr FILE... --out DIR` on generated Vietnamese scans, in a real subprocess."""

import subprocess
import sys

from tests.conftest import ROOT
from tests.scan_pages import SANS, draw_page, save

LETTER = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Kính gửi: Ủy ban nhân dân xã Hang Chú",
    "Tôi là Lò Văn Thượng, sinh ngày 07/11/1979,",
    "đề nghị cấp bản sao trích lục khai sinh.",
]
SECOND = ["Số tiền đã nộp: 25.000 đồng", "Người nhận hồ sơ ký tên"]


def run_ocr(*args):
    return subprocess.run(
        [sys.executable, "manage.py", "ocr", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_writes_one_text_per_file_and_reports_bad_ones(tmp_path):
    scans = tmp_path / "a"
    scans.mkdir()
    jpeg = save(draw_page(LETTER, skew=-2, font=SANS), scans / "d01.jpg", quality=80)
    pdf = scans / "d02.pdf"
    draw_page(LETTER, dpi=200).save(
        pdf, "PDF", resolution=200, save_all=True, append_images=[draw_page(SECOND, dpi=200)]
    )
    corrupt = scans / "d03.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n% truncated by the scanner\n")
    text_file = scans / "ghi-chu.txt"
    text_file.write_text("không phải ảnh", encoding="utf-8")
    out = tmp_path / "out"

    done = run_ocr(jpeg, pdf, corrupt, text_file, scans / "khong-co.png", "--out", out)

    assert done.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["d01.txt", "d02.txt"]
    first = (out / "d01.txt").read_text(encoding="utf-8")
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Ủy ban nhân dân xã Hang Chú",
        "Lò Văn Thượng",
        "07/11/1979",
        "trích lục khai sinh",
    ):
        assert words in first
    pages = (out / "d02.txt").read_text(encoding="utf-8").split("\f")
    assert len(pages) == 2
    assert "Độc lập - Tự do - Hạnh phúc" in pages[0]
    assert "Số tiền đã nộp: 25.000 đồng" in pages[1]
    assert "d03.pdf: Tệp PDF bị hỏng" in done.stderr
    assert "ghi-chu.txt: Tệp không phải PDF hay ảnh JPEG, PNG, TIFF" in done.stderr
    assert "khong-co.png: Không tìm thấy tệp" in done.stderr
    assert "3/5 tệp không nhận dạng được" in done.stderr
    assert "Traceback" not in done.stderr


def test_all_good_exits_zero(tmp_path):
    png = save(draw_page(SECOND, dpi=200), tmp_path / "bien-nhan.png", dpi=200)
    done = run_ocr(png, "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "25.000 đồng" in (tmp_path / "bien-nhan.txt").read_text(encoding="utf-8")
