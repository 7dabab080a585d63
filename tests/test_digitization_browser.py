"""Issue #5's journey in Chromium: the clerk drops a two-page scanned PDF on a component,
watches it go to done, finds the dossier by a word of page 2 typed without diacritics, and
opens the searchable PDF."""

import base64
import subprocess

import pytest

from .scan_files import PAGE_ONE, PAGE_TWO, pdf_bytes
from .test_browser_journey import login
from .workflow_fixtures import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    # ... and no longer says the file waits in the queue (issue 21): its line's last answer
    # replaced that clause.
    notice = panel.locator(".success-box")
    notice.get_by_text("đã nhận dạng xong").wait_for(timeout=5_000)
    assert "đang xếp hàng" not in notice.inner_text()
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


# Chooses a file in the very instant the scans panel lands in the page (a mutation observer's
# callback, before the browser runs any timer). htmx binds a swapped element's triggers when it
# "settles", 20 ms later by default: a file chosen in between was silently dropped (CI saw it:
# set_input_files right after the panel appeared, and no upload). Settling is now immediate.
CHOOSE_ON_ARRIVAL = """
const bytes = Uint8Array.from(atob("%s"), (c) => c.charCodeAt(0));
const watch = new MutationObserver(() => {
  const input = document.querySelector("#scans-panel input[type=file]");
  if (!input) return;
  watch.disconnect();
  const chosen = new DataTransfer();
  chosen.items.add(new File([bytes], "chon-ngay.pdf", { type: "application/pdf" }));
  input.files = chosen.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
});
watch.observe(document, { childList: true, subtree: true });
"""


def test_a_file_chosen_the_instant_the_panel_appears_is_uploaded(
    live_server, browser, contexts, district
):
    dossier = receive(district)
    clerk = login(contexts, browser, live_server.url, "motcua")
    chosen = base64.b64encode(pdf_bytes(PAGE_ONE, dpi=100)).decode()
    clerk.context.add_init_script(CHOOSE_ON_ARRIVAL % chosen)
    clerk.goto(f"{live_server.url}/ho-so/{dossier.code}/")
    notice = clerk.locator("#scans-panel .success-box")
    notice.wait_for(timeout=15_000)
    assert "Đã nhận 1 tệp" in notice.inner_text()
    assert list(dossier.scanned_files.values_list("original_name", flat=True)) == ["chon-ngay.pdf"]


def test_a_refused_upload_says_why_in_the_panel(live_server, browser, contexts, district, tmp_path):
    """Every file refused: the server answers 400 with the panel and its reason, and the page
    shows it (htmx leaves 4xx answers out unless told to swap them)."""
    dossier = receive(district)
    fake = tmp_path / "ghi-chu.pdf"  # a text file named .pdf
    fake.write_text("Ghi chú của cán bộ, không phải bản quét.\n" * 20, encoding="utf-8")
    clerk = login(contexts, browser, live_server.url, "motcua")
    clerk.goto(f"{live_server.url}/ho-so/{dossier.code}/")
    panel = clerk.locator("#scans-panel")
    panel.wait_for()
    panel.locator("tbody tr").first.locator("input[type=file]").set_input_files(str(fake))
    refusal = clerk.locator("#scans-panel .error-box")
    refusal.wait_for(timeout=15_000)
    assert "Không nhận tệp «ghi-chu.pdf»: không phải tệp PDF hoặc ảnh quét" in refusal.inner_text()
    assert not dossier.scanned_files.exists()
