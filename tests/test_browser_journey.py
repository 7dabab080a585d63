"""The whole journey of one dossier in Chromium: reception with the receipt, hand-over to Tư
pháp, a transfer to TN&MT and back, the leader's approval, the return and the archive's seal
(the real worker) — then the history and the control slip (TT 03/2025 Mẫu 06) say the same."""

import io
import time
import unicodedata

import pytest
from pypdf import PdfReader

from .factories import PASSWORD, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def login(contexts, browser, base, username, **options):
    options = {"viewport": {"width": 1366, "height": 768}, "locale": "vi-VN", **options}
    context = browser.new_context(**options)
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
    return page


# How many lines the text of each menu link takes (one box per line of a range over its text).
LINES_OF_EACH_MENU_LINK = """[...document.querySelectorAll(".mainnav a")].map((a) => {
  const text = document.createRange();
  text.selectNodeContents(a);
  return text.getClientRects().length;
})"""


def reload_until(page, text, timeout=90, where="body"):
    """Reload the page until the text is in ``where``: what a worker finishes shows on the next
    load."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in page.locator(where).inner_text():
            return
        time.sleep(1)
        page.reload()
    raise AssertionError(f"«{text}» not on {page.url} after {timeout} s")


def act(page, label, **fields):
    """Take an action with the dossier page's one form: choose it, fill its own fields,
    press «Thực hiện», and confirm when the action asks to (irreversible ones)."""
    form = page.locator("form.action")
    choice = form.get_by_role("radio", name=label)
    option = form.locator(".action-option").filter(has=page.get_by_role("radio", name=label))
    choice.check()
    for name, value in fields.items():
        if name == "to_unit":
            option.locator("select[data-input=to_unit]").select_option(label=value)
        else:
            option.locator(f"[data-input={name}]").fill(value)
    # Wait for the answer to this very POST: a bare wait_for_load_state() returns at once on the
    # page already loaded, and the next goto() then races the action's own navigation.
    with page.expect_navigation():
        form.get_by_role("button", name="Thực hiện thao tác đã chọn").click()
    confirm = page.locator("form.confirm-action")
    if confirm.count():
        with page.expect_navigation():
            confirm.get_by_role("button", name="Xác nhận").click()
    assert page.locator(".messages .msg-success").count() == 1, page.locator(
        ".messages"
    ).inner_text()


def tick_required_papers(page):
    """Tick the papers the catalogue requires: reception ticks none by itself (issue 21)."""
    for box in page.locator(".checklist tr:has(.req) input[type=checkbox]").all():
        box.check()


def pdf_text(data):
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def test_one_dossier_walks_through_the_district(
    live_server, browser, contexts, district, celery_worker_process, artifacts_dir
):
    walk_one_dossier(live_server.url, browser, contexts, district, artifacts_dir)


def walk_one_dossier(base, browser, contexts, district, artifacts_dir, **context_options):
    """The journey at ``base`` (the live server, or nginx in front of gunicorn over HTTPS in
    tests/test_production_shape.py); returns the dossier's code and the clerk's page."""
    counter, land = district["counter"], district["land"]
    counter.name = "Bộ phận Một cửa huyện Bắc Yên"  # the demo's name, shown in the top bar
    counter.save(update_fields=["name"])
    # The district's longest unit name, as in the demo: it sets the width of the transfer list.
    UnitFactory(
        code="H50.22.10",
        name="Chi nhánh Văn phòng đăng ký đất đai huyện Bắc Yên",
        level=land.level,
        parent=land.parent,
        kind="cn_vpdkdd",
        has_counter=False,
    )

    def signed_in(username):
        return login(contexts, browser, base, username, **context_options)

    clerk = signed_in("motcua")
    # Each menu link stays on one line at any desktop width (a full bar sends whole links to a
    # new row; it once broke «Trang chủ» in two at 1366 px with the demo's longer unit name).
    for width in (1366, 1280, 1152, 1024):
        clerk.set_viewport_size({"width": width, "height": 768})
        lines = clerk.evaluate(LINES_OF_EACH_MENU_LINK)
        assert len(lines) > 5 and set(lines) == {1}, (width, lines)
    clerk.set_viewport_size({"width": 1366, "height": 768})
    clerk.goto(f"{base}/tiep-nhan/")
    clerk.locator("#q").fill("chung thuc hop dong")
    clerk.locator("#procedure-results a").first.click()
    clerk.get_by_label("Số CCCD / Mã số thuế").fill("014090001234")
    clerk.get_by_label("Họ tên / Tên tổ chức").fill("Lò Văn Sinh")
    clerk.get_by_label("Điện thoại").fill("0912345678")
    tick_required_papers(clerk)
    assert "ngày hẹn trả là" in clerk.locator(".appointment").inner_text()
    clerk.screenshot(path=artifacts_dir / "reception-1366.png", full_page=True)
    clerk.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    clerk.wait_for_url("**/ho-so/**?moi=1")
    code = clerk.locator("h1.mono").inner_text()
    # On a phone the dossier page keeps to the screen: the transfer's list of the district's
    # units (its longest name) once pushed it to 560 px.
    clerk.set_viewport_size({"width": 360, "height": 740})
    assert clerk.evaluate("document.documentElement.scrollWidth") == 360
    clerk.screenshot(path=artifacts_dir / "dossier-360.png", full_page=True)
    clerk.set_viewport_size({"width": 1366, "height": 768})
    receipt = clerk.locator("#open-receipt")
    pdf = clerk.request.get(base + receipt.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert code in pdf_text(pdf.body())
    with clerk.context.expect_page() as opened:
        receipt.click()
    assert opened.value.url.endswith("/mau-receipt.pdf")
    act(clerk, "Chuyển xử lý")

    specialist = signed_in("cv.tuphap")
    specialist.goto(f"{base}/ho-so/lien-thong/")
    specialist.get_by_role("link", name=code).click()
    act(
        specialist, "Chuyển liên thông", to_unit="Phòng TN&MT", reason="Đề nghị xác nhận hiện trạng"
    )

    land = signed_in("cv.tnmt")
    land.goto(f"{base}/ho-so/lien-thong/")
    land.get_by_role("link", name=code).click()
    act(land, "Chuyển liên thông", to_unit="Phòng Tư pháp", reason="Đã xác nhận")

    specialist.goto(f"{base}/ho-so/{code}/")
    act(specialist, "Trình kết quả", reason="Đủ điều kiện chứng thực")

    leader = signed_in("ld.tuphap")
    leader.goto(f"{base}/ho-so/cho-duyet/")
    leader.get_by_role("link", name=code).click()
    act(leader, "Phê duyệt kết quả")

    clerk.goto(f"{base}/ho-so/{code}/")
    act(clerk, "Trả kết quả")
    # The return queues the dossier's archival package: the worker may seal it before the page
    # is drawn, and seals it soon after in any case.
    assert clerk.locator(".state-box .badge").inner_text() in {"Đã trả kết quả", "Đã lưu trữ"}
    reload_until(clerk, "Đã lưu trữ", where=".state-box .badge")
    steps = clerk.locator(".timeline li")
    assert steps.count() == 8
    assert "Lưu trữ" in steps.last.inner_text()
    assert clerk.locator(".timeline li .ok").count() == 6  # every step after reception on time
    clerk.screenshot(path=artifacts_dir / "dossier-1366.png", full_page=True)
    slip = pdf_text(clerk.request.get(f"{base}/ho-so/{code}/mau-control.pdf").body())
    for label in (
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Chuyển liên thông",
        "Trình kết quả",
        "Phê duyệt kết quả",
        "Trả kết quả",
    ):
        assert label in slip, label
    assert slip.count("Đúng hạn") >= 6
    clerk.goto(f"{base}/ho-so/")
    clerk.screenshot(path=artifacts_dir / "list-1366.png")
    return code, clerk
