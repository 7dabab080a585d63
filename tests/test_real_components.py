"""Each real component of the stack is really used: PostgreSQL, Redis + a Celery worker,
Tesseract with Vietnamese data, WeasyPrint with a Vietnamese font, Chromium."""

import io
import os
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from dossiers.models import Procedure

from .factories import PASSWORD, ProcedureFactory, UnitFactory, staff

NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NOTO = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"


def nfc(text):
    return unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.mark.django_db
def test_postgresql_answers_unaccent_and_filter_aggregates():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent(%s)", ["Bắc Yên, Tà Xùa, Đồng"])
        assert cursor.fetchone()[0] == "Bac Yen, Ta Xua, Dong"
    ProcedureFactory(name="Đăng ký khai sinh", retention_years=None, retention_permanent=True)
    ProcedureFactory(name="Chứng thực bản sao")
    with CaptureQueriesContext(connection) as ctx:
        row = Procedure.objects.aggregate(
            permanent=Count("id", filter=Q(retention_permanent=True)),
            total=Count("id"),
        )
    assert row == {"permanent": 1, "total": 2}
    assert "FILTER (WHERE" in ctx.captured_queries[0]["sql"]
    # The unaccent lookup of django.contrib.postgres works on our columns.
    assert Procedure.objects.filter(name__unaccent__icontains="dang ky khai sinh").count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_redis_and_the_worker(celery_worker_process):
    from dossiers.tasks import compute_appointment

    procedure = ProcedureFactory(working_days=3)
    received = datetime(2026, 2, 13, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # Friday before Tết
    result = compute_appointment.delay(procedure.pk, received.isoformat()).get(timeout=30)
    # Tết Bính Ngọ: 16–20/02/2026 off, so three working days from Fri 13/02 end Wed 25/02.
    assert datetime.fromisoformat(result["due_at"]) == datetime(
        2026, 2, 25, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
    )
    assert result["worker_pid"] != os.getpid()


def test_tesseract_reads_a_vietnamese_line_with_its_diacritics():
    import pytesseract
    from PIL import Image, ImageDraw, ImageFont

    line = "Ủy ban nhân dân huyện Bắc Yên tiếp nhận hồ sơ đăng ký khai sinh"
    font = ImageFont.truetype(NOTO, 44)
    width = int(font.getlength(line)) + 80
    image = Image.new("L", (width, 110), 255)
    ImageDraw.Draw(image).text((40, 25), line, font=font, fill=0)
    text = pytesseract.image_to_string(image, lang="vie", config="--psm 7")
    assert nfc(text) == nfc(line)


def test_weasyprint_renders_an_a4_page_whose_text_comes_back():
    from pypdf import PdfReader
    from weasyprint import HTML

    html = f"""<html lang="vi"><head><style>
      @page {{ size: A4; margin: 2cm; }}
      body {{ font-family: 'Noto Sans'; font-size: 13pt; text-align: center; }}
    </style></head><body>
      <p><b>{NATIONAL_HEADING}</b></p><p>Độc lập - Tự do - Hạnh phúc</p>
    </body></html>"""
    pdf = HTML(string=html).write_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = nfc(page.extract_text())
    assert NATIONAL_HEADING in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("Noto" in name for name in fonts), fonts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_logs_in_through_the_real_login_page(live_server, page, artifacts_dir):
    unit = UnitFactory(name="UBND xã Tà Xùa")
    staff(unit, role="clerk", username="motcua.taxua")
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Đăng nhập hệ thống"
    page.get_by_label("Tên đăng nhập").fill("motcua.taxua")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("main h1").inner_text() == "UBND xã Tà Xùa"
    assert "UBND xã Tà Xùa" in page.locator(".who-unit").inner_text()
    page.screenshot(path=artifacts_dir / "home-1366.png")
