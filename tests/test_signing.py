"""Digital signatures on real PDFs (WeasyPrint) with real pyHanko and the demo PKI."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from digitization.signing import SigningError, ensure_demo_pki, sign_pdf, verify_pdf
from dossiers.models import Unit

PHIENG_BAN = SimpleNamespace(code="H50.22.10", name="UBND xã Phiêng Ban")
JUSTICE = SimpleNamespace(code="H50.22.03", name="Phòng Tư pháp huyện Bắc Yên")
PAGE_TWO = "Trang hai: giấy chứng nhận quyền sử dụng đất, Bắc Yên"


@pytest.fixture(scope="module")
def units(signing_pki):
    ensure_demo_pki([PHIENG_BAN, JUSTICE])
    return signing_pki


@pytest.fixture(scope="module")
def two_pages():
    html = (
        "<h1>Bản sao điện tử</h1><p>Chứng thực từ bản chính: Nguyễn Thị Hoà, xã Phiêng Ban.</p>"
        f"<p style='break-before: page'>{PAGE_TWO}</p>"
    )
    return HTML(string=html).write_pdf()


@pytest.fixture(scope="module")
def signed(units, two_pages):
    return sign_pdf(two_pages, unit_code=PHIENG_BAN.code, reason="Chứng thực bản sao điện tử")


def test_a_signed_pdf_verifies_with_the_units_vietnamese_name(signed, two_pages):
    assert signed.startswith(two_pages)  # incremental: the original bytes are untouched
    [report] = verify_pdf(signed)
    assert (report.intact, report.valid, report.trusted, report.ok) == (True, True, True, True)
    assert report.covers_whole_file and not report.changed_after
    assert report.signer == "UBND xã Phiêng Ban"
    assert report.organisation == "UBND huyện Bắc Yên"
    assert report.reason == "Chứng thực bản sao điện tử"
    assert report.signing_time is not None
    assert report.summary.startswith("Hợp lệ — ký bởi UBND xã Phiêng Ban lúc ")


def test_one_changed_byte_in_the_signed_range_is_reported_in_vietnamese(signed, two_pages):
    # A byte inside page 1's (compressed) content stream: the file still parses.
    damaged = bytearray(signed)
    position = signed.index(b"stream\n") + 20
    damaged[position] ^= 0x01
    [report] = verify_pdf(bytes(damaged))
    assert not report.intact and not report.ok
    assert report.summary == "Không hợp lệ: tài liệu đã bị sửa sau khi ký"


def test_a_counter_signature_keeps_the_first_one_intact(signed):
    twice = sign_pdf(signed, unit_code=JUSTICE.code, reason="Phê duyệt", signer_name="Lò Văn B")
    assert twice.startswith(signed)
    first, second = verify_pdf(twice)
    assert first.signer == "UBND xã Phiêng Ban" and first.ok and not first.covers_whole_file
    assert second.signer == "Phòng Tư pháp huyện Bắc Yên" and second.ok
    assert second.covers_whole_file and second.reason == "Phê duyệt"


def test_signing_works_inside_a_running_event_loop(units, two_pages):
    # pyHanko's sync API calls asyncio.run(); an async view (or Playwright's sync API, which
    # keeps a loop running in the test thread) must not break signing.
    async def in_a_loop():
        return verify_pdf(sign_pdf(two_pages, unit_code=PHIENG_BAN.code, reason="x"))

    # A thread of its own: this one may already run Playwright's loop (full suite).
    with ThreadPoolExecutor(max_workers=1) as pool:
        [report] = pool.submit(asyncio.run, in_a_loop()).result()
    assert report.ok


def test_an_unsigned_pdf_has_no_signatures(units, two_pages):
    assert verify_pdf(two_pages) == []


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n%garbage\n" * 50])
def test_garbage_is_refused_in_vietnamese(units, data):
    with pytest.raises(SigningError, match="không đọc được"):
        verify_pdf(data)
    with pytest.raises(SigningError, match="không đọc được"):
        sign_pdf(data, unit_code=PHIENG_BAN.code, reason="x")


def test_a_cut_off_signature_is_damage_not_an_unsigned_file(signed, two_pages):
    # The original's %%EOF is still near the end: a lenient reader would see an unsigned PDF.
    with pytest.raises(SigningError, match="cắt cụt"):
        verify_pdf(signed[: len(two_pages) + 500])


def test_an_encrypted_pdf_is_not_signed(units, two_pages):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(two_pages)))
    writer.encrypt(user_password="", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(SigningError, match="mã hóa"):
        sign_pdf(out.getvalue(), unit_code=PHIENG_BAN.code, reason="x")


def test_a_unit_without_certificate_is_refused(units, two_pages):
    with pytest.raises(SigningError, match="H99 chưa có chứng thư số"):
        sign_pdf(two_pages, unit_code="H99", reason="x")


def test_a_certificate_from_another_ca_is_not_trusted(units, two_pages, tmp_path):
    with override_settings(SIGNING_CERT_P12=str(tmp_path / "unit.p12")):
        ensure_demo_pki([PHIENG_BAN])  # same names, a different CA
        forged = sign_pdf(two_pages, unit_code=PHIENG_BAN.code, reason="Giả mạo")
    [report] = verify_pdf(forged)
    assert report.intact and report.valid and not report.trusted and not report.ok
    assert report.summary.startswith("Chưa tin cậy: chứng thư của UBND xã Phiêng Ban")


def test_the_default_certificate_signs_without_a_unit(units, two_pages):
    [report] = verify_pdf(sign_pdf(two_pages, unit_code=None, reason="Bản sao tự động"))
    assert report.ok and report.signer == "Cổng Một cửa Bắc Yên"


def test_text_of_a_signed_pdf_is_extracted_without_rewriting_it(signed, two_pages):
    before = [page.extract_text() for page in PdfReader(io.BytesIO(two_pages)).pages]
    after = [page.extract_text() for page in PdfReader(io.BytesIO(signed)).pages]
    assert after == before and PAGE_TWO in after[1]
    assert verify_pdf(signed)[0].ok  # reading it changed nothing


def test_a_name_too_long_for_a_certificate_uses_the_short_name(units, two_pages):
    # 52 letters but 69 bytes of UTF-8: over the 64 bytes cryptography allows a CN.
    name = "Phòng Lao động – Thương binh và Xã hội huyện Bắc Yên"
    long_names = [
        SimpleNamespace(code="H50.22.07", name=name, short_name="Phòng LĐ-TB&XH"),
        SimpleNamespace(code="H50.22.99", name=name + " và các xã lân cận"),
    ]
    ensure_demo_pki(long_names)
    [report] = verify_pdf(sign_pdf(two_pages, unit_code="H50.22.07", reason="x"))
    assert report.ok and report.signer == "Phòng LĐ-TB&XH"
    [report] = verify_pdf(sign_pdf(two_pages, unit_code="H50.22.99", reason="x"))
    assert report.ok and report.signer.startswith("Phòng Lao động") and report.signer[-1] == "…"


def test_make_signing_certs_covers_every_unit_and_is_idempotent(district, signing_pki, capsys):
    folder = signing_pki.ca_pem.parent
    call_command("make_signing_certs")
    codes = set(Unit.objects.values_list("code", flat=True))
    assert codes <= {path.stem for path in folder.glob("*.p12")}
    stamps = {path: path.stat().st_mtime_ns for path in folder.glob("*.p12")}
    call_command("make_signing_certs")
    assert "mới tạo 0" in capsys.readouterr().out.splitlines()[-1]
    assert stamps == {path: path.stat().st_mtime_ns for path in folder.glob("*.p12")}
    Unit.objects.filter(code="H50.22.03").update(name="Phòng Tư pháp (đổi tên)")
    call_command("make_signing_certs")
    assert "mới tạo 1" in capsys.readouterr().out
