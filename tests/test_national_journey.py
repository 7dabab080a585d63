"""Issue #18's journey in Chromium, across three processes: a citizen signs in through the
local VNeID (the counterpart), submits online with the form filled from the identity; the
clerk accepts; the real worker on the national queue sends the dossier and each step to the
local DVCQG, which shows them in order; the citizen finds the dossier under "Hồ sơ của tôi"."""

import pytest

from dossiers.models import Dossier
from integrations.models import NationalMessage

from .national_fixtures import sweep_until_synced
from .scan_files import PAGE_ONE, PAGE_TWO, image_bytes, pdf_bytes
from .test_browser_journey import act, login
from .test_vneid_login import PASSWORD, SUNG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def test_vneid_submit_accept_and_the_platform_sees_each_step(
    live_server, browser, contexts, counterpart, national_worker, district, artifacts_dir, tmp_path
):
    counterpart.control("POST", "reset")
    procedure = district["procedure"]
    procedure.online_level = "partial"
    procedure.save()
    (tmp_path / "phieu.pdf").write_bytes(pdf_bytes(PAGE_ONE))
    (tmp_path / "du-thao.jpg").write_bytes(image_bytes(PAGE_TWO, "JPEG"))
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    contexts.append(context)
    citizen = context.new_page()
    citizen.goto(f"{live_server.url}/nop-truc-tuyen/{procedure.national_code}/")
    with citizen.expect_navigation():
        citizen.get_by_role("link", name="Đăng nhập bằng VNeID").first.click()
    citizen.wait_for_url(f"{counterpart.url}/vneid/dang-nhap/**")
    citizen.get_by_label("Số định danh cá nhân").fill(SUNG["id_number"])
    citizen.get_by_label("Mật khẩu").fill(PASSWORD)
    with citizen.expect_navigation(url=f"{live_server.url}/ho-so-cua-toi/"):
        citizen.get_by_role("button", name="Đăng nhập").click()
    citizen.goto(f"{live_server.url}/nop-truc-tuyen/{procedure.national_code}/")
    assert citizen.get_by_label("Số CCCD / Mã số thuế").input_value() == SUNG["id_number"]
    citizen.get_by_label("Phiếu yêu cầu").set_input_files(tmp_path / "phieu.pdf")
    citizen.get_by_label("Dự thảo hợp đồng").set_input_files(tmp_path / "du-thao.jpg")
    citizen.get_by_label("Tôi cam đoan").check()
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Nộp hồ sơ").click()
    code = citizen.locator("#ma-ho-so").inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == "submitted" and dossier.applicant.id_number == SUNG["id_number"]
    # Nothing is owed the platform before the counter has received the dossier.
    assert not NationalMessage.objects.filter(sync__dossier=dossier).exists()

    clerk = login(contexts, browser, live_server.url, district["clerk"].username)
    clerk.goto(f"{live_server.url}/ho-so/{code}/")
    act(clerk, "Tiếp nhận (Mẫu 01)")
    act(clerk, "Chuyển xử lý")
    assert sweep_until_synced([dossier.pk], timeout=120) == {}
    clerk.goto(f"{live_server.url}/ho-so/{code}/")
    panel = clerk.locator("#national-sync")
    panel.wait_for()
    assert "Đã đồng bộ" in panel.inner_text()
    clerk.screenshot(path=artifacts_dir / "dvcqg-synced-dossier.png", full_page=True)

    got = counterpart.control("GET", "messages", params={"mahoso": code})
    assert [(m["service"], m["SoThuTu"]) for m in got] == [
        ("DongBoHoSoMC", None),
        ("CapNhatTienDoHoSoMC", 2),
        ("CapNhatTienDoHoSoMC", 3),
    ]
    assert got[0]["payload"]["HinhThuc"] == "1"  # trực tuyến
    assert [m["payload"]["TrangThai"] for m in got[1:]] == ["2", "4"]
    assert not any(m["out_of_order"] for m in got)

    citizen.goto(f"{live_server.url}/ho-so-cua-toi/")
    assert code in citizen.locator(".mine").inner_text()
    citizen.screenshot(path=artifacts_dir / "dvcqg-my-dossiers.png", full_page=True)
