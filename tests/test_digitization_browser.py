"""Issue #5's journey in Chromium: the clerk drops a two-page scanned PDF on a component,
watches it go to done, finds the dossier by a word of page 2 typed without diacritics, and
opens the searchable PDF."""

import subprocess

import pytest

from .scan_files import PAGE_ONE, PAGE_TWO, pdf_bytes
from .test_browser_journey import login
from .workflow_fixtures import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def test_scan_recognise_search_open(
    live_server, browser, contexts, district, ocr_workers, artifacts_dir, tmp_path
):
    ocr_workers()
    dossier = receive(district)
    scan = tmp_path / "ho-so-2-trang.pdf"
    scan.write_bytes(pdf_bytes(PAGE_ONE, PAGE_TWO, dpi=200))
    base = live_server.url
    clerk = login(contexts, browser, base, "motcua")
    clerk.goto(f"{base}/ho-so/{dossier.code}/")
    panel = clerk.locator("#scans-panel")
    panel.wait_for()
    first_row = panel.locator("tbody tr").first
    first_row.locator("input[type=file]").set_input_files(str(scan))
    panel.get_by_text("Đã nhận 1 tệp").wait_for()
    clerk.screenshot(path=str(artifacts_dir / "scans-panel-working.png"), full_page=True)
    # The panel refreshes itself until the file is done.
    clerk.locator(".badge.scan-done").wait_for(timeout=120_000)
    assert "2 trang" in clerk.locator(".scan-file").inner_text()
    # Only the file's line refreshed itself: the notice of the upload is still there.
    assert "Đã nhận 1 tệp" in panel.locator(".success-box").inner_text()
    clerk.screenshot(path=str(artifacts_dir / "scans-panel-done.png"), full_page=True)

    clerk.get_by_role("link", name="Tìm kiếm", exact=True).click()
    clerk.get_by_label("Mã hồ sơ, tên người nộp").fill("phieng ban")
    clerk.get_by_role("button", name="Tìm", exact=True).click()
    hit = clerk.locator(".search-hit").first
    hit.wait_for()
    assert dossier.code in hit.inner_text()
    assert "trang 2" in hit.inner_text()
    assert "Phiêng Ban" in hit.locator("mark").first.inner_text() + " " + hit.inner_text()
    clerk.screenshot(path=str(artifacts_dir / "scans-search.png"), full_page=True)

    with clerk.context.expect_page() as opened:
        hit.get_by_role("link", name="trang 2").click()
    pdf_page = opened.value
    response = pdf_page.context.request.get(pdf_page.url.split("#")[0])
    assert response.headers["content-type"] == "application/pdf"
    searchable = tmp_path / "searchable.pdf"
    searchable.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(searchable), "-"], capture_output=True, text=True)
    assert "Phiêng Ban" in text.stdout
