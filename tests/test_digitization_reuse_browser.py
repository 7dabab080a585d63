"""In Chromium: the clerk receives a dossier for an applicant whose birth certificate is in
the store, sees it offered as the ID number is typed, ticks "Tái sử dụng", and the dossier
page shows the reused signed copy, which opens."""

import pytest

from digitization.models import ReuseChoice

from .factories import PASSWORD
from .test_browser_journey import tick_required_papers
from .test_digitization_reuse import store, stored  # noqa: F401 - the fixture is used
from .workflow_fixtures import CITIZEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clerk_reuses_a_stored_document_at_reception(
    live_server,
    page,
    store,  # noqa: F811 - the fixture imported above
    artifacts_dir,
):
    doc = stored(store, "Giấy khai sinh <bản sao điện tử> của Lò Văn Sinh")
    stored(store, "Giấy khai sinh của người khác", holder="014090009999")
    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("motcua")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/tiep-nhan/?thu_tuc={store['procedure'].national_code}")
    assert page.locator("#reuse-panel input").count() == 0  # no ID typed yet
    page.get_by_label("Số CCCD / Mã số thuế").fill(CITIZEN["id_number"])
    reuse = page.get_by_label(f"Tái sử dụng: {doc.title}")
    reuse.wait_for()
    assert page.locator("#reuse-panel input").count() == 1  # not the other person's
    tick_required_papers(page)
    paper = page.locator(f"#c{store['component'].pk}")
    paper.uncheck()
    reuse.check()
    assert paper.is_checked()  # reused counts as received
    page.get_by_label("Họ tên / Tên tổ chức").fill(CITIZEN["name"])
    page.get_by_label("Điện thoại").fill("0912345678")
    page.wait_for_load_state("networkidle")  # no refresh in flight
    assert page.get_by_label(f"Tái sử dụng: {doc.title}").is_checked()  # and kept the tick
    page.locator("#reuse-panel").scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "reception-reuse-1366.png", full_page=True)
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    page.wait_for_url("**/ho-so/**?moi=1")
    code = page.locator("h1.mono").inner_text()
    page.locator("#scans-panel").wait_for()
    link = page.locator("#scans-panel .reused a")
    link.wait_for()
    assert link.inner_text() == doc.title
    assert "Tái sử dụng: " in page.locator("#scans-panel .reused").inner_text()
    page.screenshot(path=artifacts_dir / "dossier-reused-1366.png", full_page=True)
    choice = ReuseChoice.objects.get(dossier__code=code, reused=True)
    assert choice.document_id == doc.pk
    pdf = page.request.get(base + link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
