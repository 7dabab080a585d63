"""Real paper through the citizen's phone (issue #20, done-when): a phone photo of a sealed,
signed decision, uploaded with an online submission at phone width, is read by the OCR worker
into a searchable PDF; the clerk finds the dossier by the words that lie under the red seal and
the blue signature, typed without diacritics, and the searchable PDF's text layer holds them."""

import subprocess

import pytest

from dossiers.models import Dossier

from .scan_files import PAGE_ONE, pdf_bytes
from .test_browser_journey import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def sealed_photo(tmp_path_factory):
    from bench.ocr_pages import PAPER_SPECS, write  # the bench's generator, for this test only

    spec = next(s for s in PAPER_SPECS if s.paper == "photo")
    return write(spec, tmp_path_factory.mktemp("photo"))


def test_a_sealed_result_photographed_and_sent_online_is_found_under_its_seal(
    live_server, browser, contexts, district, ocr_workers, sealed_photo, artifacts_dir, tmp_path
):
    ocr_workers()
    district["procedure"].online_level = "partial"
    district["procedure"].save()
    (tmp_path / "phieu-yeu-cau.pdf").write_bytes(pdf_bytes(PAGE_ONE))
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    contexts.append(context)
    phone = context.new_page()
    phone.goto(f"{base}/nop-truc-tuyen/")
    phone.get_by_label("Tìm thủ tục").fill("chung thuc")
    phone.get_by_role("button", name="Tìm").click()
    phone.get_by_role("link", name="Chứng thực hợp đồng").click()
    phone.get_by_label("Số CCCD / Mã số thuế").fill("014090009876")
    phone.get_by_label("Họ tên / Tên tổ chức").fill("Hà Thị Mai")
    phone.get_by_label("Điện thoại").fill("0987654321")
    phone.get_by_label("Phiếu yêu cầu").set_input_files(tmp_path / "phieu-yeu-cau.pdf")
    phone.get_by_label("Dự thảo hợp đồng").set_input_files(sealed_photo.path)
    phone.get_by_label("Tôi cam đoan").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Nộp hồ sơ").click()
    phone.wait_for_url("**/nop-truc-tuyen/da-nop/")
    dossier = Dossier.objects.get(code=phone.locator("#ma-ho-so").inner_text())

    clerk = login(contexts, browser, base, "motcua")
    clerk.goto(f"{base}/ho-so/{dossier.code}/")
    panel = clerk.locator("#scans-panel")
    panel.wait_for()
    panel.locator(".badge.scan-done").nth(1).wait_for(timeout=180_000)  # both files read
    clerk.screenshot(path=str(artifacts_dir / "paper-photo-done.png"), full_page=True)
    clerk.get_by_role("link", name="Tìm kiếm", exact=True).click()
    # The signer's name, which the seal's edge and the signature cross. (The line above it,
    # CHỦ TỊCH, is read whole but as one word, CHỦTỊCH: a search for "chu tich" misses it.)
    clerk.get_by_label("Mã hồ sơ, tên người nộp").fill("vi quoc xuan")
    clerk.get_by_role("button", name="Tìm", exact=True).click()
    hit = clerk.locator(".search-hit").first
    hit.wait_for()
    assert dossier.code in hit.inner_text() and "Vì Quốc Xuân" in hit.inner_text()
    clerk.screenshot(path=str(artifacts_dir / "paper-photo-search.png"), full_page=True)

    scanned = dossier.scanned_files.get(original_name__endswith=".jpg")
    assert scanned.original.read() == sealed_photo.path.read_bytes()  # the photo untouched
    searchable = tmp_path / "tim-kiem.pdf"
    searchable.write_bytes(scanned.searchable_pdf.read())
    text = subprocess.run(["pdftotext", str(searchable), "-"], capture_output=True, text=True)
    bare = "".join(text.stdout.split())
    for line in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", sealed_photo.truth.splitlines()[-1]):
        assert "".join(line.split()) in bare, line
