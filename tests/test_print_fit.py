"""Printed forms fitted to their sheets (issue #21, item 5): Mẫu 01 with six components is one
A4 sheet; a list too long for one sheet keeps the signatures with the last lines of the text
(never alone on a sheet); the receipt's address and QR code are the configured public address."""

import io
from datetime import datetime

import pytest
import segno
from pypdf import PdfReader

from dossiers.models import DossierComponent
from dossiers.printing import render_form

from .test_printed_forms import TZ, district, dossier, nfc, qr_matrix, save_png  # noqa: F401

pytestmark = pytest.mark.django_db

NAMES = [
    "Tờ khai đăng ký khai sinh theo mẫu quy định",
    "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp",
    "Giấy chứng nhận kết hôn của cha, mẹ",
    "Văn bản ủy quyền có chứng thực của người đi đăng ký",
    "Giấy tờ chứng minh nơi cư trú của người yêu cầu đăng ký",
    "Biên bản xác nhận việc trẻ bị bỏ rơi do Ủy ban nhân dân cấp xã lập",
    "Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con",
]


def with_components(receipt_of, count):
    DossierComponent.objects.filter(dossier=receipt_of).delete()
    for n in range(count):
        name = NAMES[n % len(NAMES)] + (f" (bộ {n // len(NAMES) + 1})" if n >= len(NAMES) else "")
        DossierComponent.objects.create(
            dossier=receipt_of, name=name, form="copy" if n % 2 else "original", copies=1 + n % 2
        )
    return receipt_of


def pages(pdf):
    return [nfc(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("count", [4, 5, 6])
@pytest.mark.parametrize("received", [None, datetime(2025, 6, 10, 9, 30, tzinfo=TZ)])
def test_receipt_with_up_to_six_components_is_one_sheet(
    dossier,  # noqa: F811 - the fixture imported above
    count,
    received,
    artifacts_dir,
    tmp_path,
):
    if received:  # received under TT 01/2018 (before 15/9/2025): its own Mẫu 01
        type(dossier).objects.filter(pk=dossier.pk).update(received_at=received)
        dossier.refresh_from_db()
    pdf = render_form(with_components(dossier, count), "receipt")
    if count == 6 and not received:
        save_png(pdf, artifacts_dir, tmp_path, "mau01-6-components")
        (artifacts_dir / "mau01-6-components.pdf").write_bytes(pdf)
    texts = pages(pdf)
    assert len(texts) == 1, [t[-200:] for t in texts]
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in texts[0] and NAMES[count - 1] in texts[0]


def test_a_long_list_keeps_the_signatures_with_the_last_lines(
    dossier,  # noqa: F811 - the fixture imported above
):
    pdf = render_form(with_components(dossier, 30), "receipt")
    texts = pages(pdf)
    assert len(texts) >= 2
    last = texts[-1]
    assert "NGƯỜI NỘP HỒ SƠ" in last and "NGƯỜI TIẾP NHẬN HỒ SƠ" in last
    # Not alone: the lines that end the text go over with them.
    assert "Người tiếp nhận hồ sơ: Cầm Thị Lan" in last
    assert "Nơi trả kết quả" in last
    assert all("NGƯỜI NỘP HỒ SƠ" not in t for t in texts[:-1])


def test_receipt_address_and_qr_are_the_configured_public_address(
    dossier,  # noqa: F811 - the fixture imported above
    settings,
):
    settings.PUBLIC_BASE_URL = "https://motcua.sonla.gov.vn"
    pdf = render_form(dossier, "receipt")
    text = " ".join(pages(pdf))
    assert "Tra cứu tình trạng hồ sơ tại https://motcua.sonla.gov.vn/tra-cuu/" in text
    assert "127.0.0.1" not in text
    url = f"https://motcua.sonla.gov.vn/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}"
    image = PdfReader(io.BytesIO(pdf)).pages[0].images[0].image
    assert any(
        qr_matrix(image, len(qr.matrix)) == [[bool(v) for v in row] for row in qr.matrix]
        for qr in (segno.make(url, error=e, boost_error=b) for e in "lmqh" for b in (0, 1))
    )
