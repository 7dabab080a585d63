"""The live dashboard and the map of counters in Chromium (issue #23, items 4 and 5): the
district office's dashboard is open; a citizen, in another browser context, files a PAKN and
the dashboard's figure changes within 5 s without a reload; a late dossier is returned and
its counter's marker on the map changes level and class. No request leaves the machine.
Screenshots of both pages in test-artifacts/."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dossiers import services

from .factories import PASSWORD, staff
from .feedback_fixtures import late_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
PHONE = {"width": 360, "height": 740}


def signed_in(browser, live_server, username, requests):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    return context, page


def file_pakn(browser, contexts, live_server, dossier, requests, content):
    """A citizen's phone files a PAKN about ``dossier`` by its code and check code; the page
    after sending it."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    contexts.append(context)
    citizen = context.new_page()
    citizen.on("request", lambda r: requests.append(r.url))
    citizen.goto(f"{live_server.url}/pakn/gui/?ma={dossier.code}")
    citizen.get_by_label("Mã tra cứu của hồ sơ hoặc 4 số cuối điện thoại").fill(dossier.check_code)
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(content)
    citizen.get_by_label("Họ và tên người gửi").fill("Lò Văn Sinh")
    citizen.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    return citizen


def office_dashboard(browser, live_server, district, contexts, requests):
    """The district office's leader ("vanphong") on the live dashboard /bao-cao/."""
    staff(district["counter"].parent, "district_office", username="vanphong")
    office, dashboard = signed_in(browser, live_server, "vanphong", requests)
    contexts.append(office)
    dashboard.goto(f"{live_server.url}/bao-cao/")
    return office, dashboard


def overdue_map(office, live_server, district, requests):
    """The counter map in ``office``'s browser, coloured by overdue dossiers; the counter's
    marker box."""
    map_page = office.new_page()
    map_page.on("request", lambda r: requests.append(r.url))
    map_page.goto(f"{live_server.url}/bao-cao/ban-do/")
    map_page.get_by_label("Hồ sơ đang quá hạn").check()
    return map_page, map_page.locator(f'.mk-box[data-unit="{district["counter"].code}"]')


def off_host(requests):
    from urllib.parse import urlsplit  # only here: the hosts of what the pages asked for

    return [u for u in requests if urlsplit(u).hostname not in LOCAL_HOSTS]


@pytest.mark.parametrize("stream", [True, False], ids=["event-stream", "polling"])
def test_the_dashboard_and_the_map_follow_a_pakn_and_a_late_return(
    browser, live_server, district, artifacts_dir, contexts, settings, stream
):
    settings.LIVE_STREAM = stream  # the pages follow an event stream, or poll every 3 s
    dossier = late_dossier(district)
    requests = []
    office, dashboard = office_dashboard(browser, live_server, district, contexts, requests)
    assert (dashboard.locator("#live").get_attribute("data-stream") is not None) is stream
    pakn_figure = dashboard.locator('[data-live="pakn"] dd').first
    expect(pakn_figure).to_have_text("0")
    expect(dashboard.locator('[data-live="overdue"] dd').first).to_have_text("1")
    dashboard.evaluate("window.notReloaded = true")

    citizen = file_pakn(
        browser,
        contexts,
        live_server,
        dossier,
        requests,
        "Hồ sơ đã quá hẹn trả kết quả mà chưa có thông báo cho gia đình.",
    )
    assert citizen.locator("#pakn-code").is_visible()

    expect(pakn_figure).to_have_text("1", timeout=5000)
    assert dashboard.evaluate("window.notReloaded === true")
    dashboard.screenshot(path=artifacts_dir / "live-dashboard.png", full_page=True)

    map_page, marker = overdue_map(office, live_server, district, requests)
    expect(marker).to_have_attribute("data-level", "warn")
    expect(marker.locator(".mk")).to_have_class("mk mk-warn")
    map_page.evaluate("window.notReloaded = true")
    map_page.screenshot(path=artifacts_dir / "live-map-before.png", full_page=True)

    services.propose_result(dossier.pk, actor=district["specialist"])
    services.approve(dossier.pk, actor=district["leader"])
    services.return_result(dossier.pk, actor=district["clerk"])  # late: past its due date

    expect(marker).to_have_attribute("data-level", "good", timeout=5000)
    expect(marker.locator(".mk")).to_have_class("mk mk-good")
    assert map_page.evaluate("window.notReloaded === true")
    expect(dashboard.locator('[data-live="returned"] dd').first).to_have_text("1", timeout=5000)
    expect(dashboard.locator('[data-live="overdue"] dd').first).to_have_text("0")
    marker.click()
    expect(map_page.locator(".mk-popup h3")).to_have_text(district["counter"].counter_label)
    expect(map_page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    map_page.screenshot(path=artifacts_dir / "live-map-after.png", full_page=True)
    assert off_host(requests) == [], "a page asked for something off this machine"


def test_the_map_of_the_province_shows_every_counter_in_force(
    browser, live_server, artifacts_dir, contexts
):
    from dossiers.demo import load_units  # the province of today's map, as the demo has it
    from dossiers.queries import units_in_force
    from dossiers.services.todays_map import apply_todays_map

    units = load_units()
    apply_todays_map()  # the district map ends on 30/6/2025
    staff(units["H50"], "district_office", username="tinh")
    requests = []
    context, page = signed_in(browser, live_server, "tinh", requests)
    contexts.append(context)
    page.goto(f"{live_server.url}/bao-cao/ban-do/")
    counters = list(units_in_force(date.today()).filter(has_counter=True))
    expect(page.locator(".mk-box")).to_have_count(len(counters))
    assert len(counters) == 76  # 75 communes and wards, and the province's centre
    assert not any(u.code.startswith("H50.22") for u in counters)  # the district's: ended
    assert page.locator("table.counters tbody tr").count() == len(counters)
    # Each at its commune's point (reporting/positions.py): north above south, west left.
    assert "Vị trí gần đúng" in page.locator("[data-positions]").inner_text()
    expect(page.locator("#counter-map")).to_have_attribute("data-mode", "geographic")
    named = {u.short_name: u.code for u in counters}

    def box(name):
        return page.locator(f'.mk-box[data-unit="{named[name]}"]').bounding_box()

    assert box("Xã Mường Giôn")["y"] < box("Xã Sốp Cộp")["y"]  # 21.8° N above 20.8° N
    assert box("Xã Sốp Cộp")["x"] < box("Xã Tà Xùa")["x"]  # 103.6° E left of 104.5° E
    # The whole province at first sight shows values and shapes; names from one step in.
    name = page.locator(f'.mk-box[data-unit="{named["Xã Tà Xùa"]}"] small')
    expect(name).to_be_hidden()
    page.screenshot(path=artifacts_dir / "live-map-province.png", full_page=True)
    page.locator(".leaflet-control-zoom-in").click()
    expect(name).to_be_visible()
    page.screenshot(path=artifacts_dir / "live-map-province-zoomed.png", full_page=True)
    assert off_host(requests) == []


def test_the_demo_provinces_map_and_dashboard(browser, live_server, artifacts_dir, contexts):
    from dossiers.demo import load_demo  # the demo province, with its dossiers and ratings
    from dossiers.models import Unit
    from reporting import live
    from reporting.views_live import map_markers

    load_demo()
    province = Unit.objects.get(code="H50")
    staff(province, "district_office", username="tinh")
    expected = {m["code"]: m["levels"] for m in map_markers(live.compute(province))}
    requests = []
    context, page = signed_in(browser, live_server, "tinh", requests)
    contexts.append(context)
    page.goto(f"{live_server.url}/bao-cao/")
    assert page.locator("#live").get_attribute("data-stream") is None
    page.screenshot(path=artifacts_dir / "live-dashboard-demo.png", full_page=True)
    page.goto(f"{live_server.url}/bao-cao/ban-do/")
    for measure, label in (("overdue", "Hồ sơ đang quá hạn"), ("satisfaction", "Mức độ hài lòng")):
        page.get_by_label(label).first.check()
        for code, levels in expected.items():
            marker = page.locator(f'.mk-box[data-unit="{code}"]')
            expect(marker).to_have_attribute("data-level", levels[measure])
        page.screenshot(path=artifacts_dir / f"live-map-demo-{measure}.png", full_page=True)
    # The demo has late counters and rated ones: the map is not one colour.
    assert {levels["overdue"] for levels in expected.values()} >= {"good", "bad"}
    assert {levels["satisfaction"] for levels in expected.values()} >= {"good", "none"}
    assert off_host(requests) == []


def shown(score) -> str:
    """The satisfaction points as the strip writes them (Vietnamese decimal comma)."""
    return f"{score['satisfaction']:.2f}".replace(".", ",") + f"/{score['satisfaction_max']:.0f}"


def test_a_pakn_answered_and_rated_moves_the_766_points_live_and_the_marker_changes(
    browser, live_server, district, artifacts_dir, contexts
):
    """Issue #23, done-when: a citizen files a PAKN about a late dossier at phone width; the
    leader answers it; the citizen rates the answer; the unit's QĐ 766 satisfaction points
    move on the district office's live dashboard within 5 s without a reload; the result
    handed over, the counter's marker on the map changes colour."""
    from reporting import live  # the figures the page shows, computed here to compare

    dossier = late_dossier(district)
    requests = []
    office, dashboard = office_dashboard(browser, live_server, district, contexts, requests)
    points = dashboard.locator('[data-live="score-satisfaction"] dd').first
    before = live.score_figures(district["counter"].parent, timezone.now())
    expect(points).to_have_text(shown(before))
    dashboard.evaluate("window.notReloaded = true")
    map_page, box = overdue_map(office, live_server, district, requests)
    marker = box.locator(".mk")
    expect(marker).to_have_class("mk mk-warn")
    map_page.evaluate("window.notReloaded = true")

    citizen = file_pakn(
        browser,
        contexts,
        live_server,
        dossier,
        requests,
        "Hồ sơ đã quá hẹn trả kết quả hai ngày mà chưa có thông báo. Đề nghị cho biết lý do.",
    )
    code = citizen.locator("#pakn-code").inner_text()
    check = citizen.locator("#pakn-check").inner_text()

    leader_context, leader = signed_in(browser, live_server, "ld.tuphap", requests)
    contexts.append(leader_context)
    leader.goto(f"{live_server.url}/pakn/lanh-dao/{code}/")
    leader.get_by_label("Nội dung trả lời").fill(
        "Hồ sơ đã có kết quả, mời ông nhận tại Bộ phận Một cửa hôm nay. Xin lỗi vì sự chậm trễ."
    )
    with leader.expect_navigation():
        leader.get_by_role("button", name="Gửi trả lời").click()
    citizen.goto(f"{live_server.url}/pakn/tra-cuu/?ma={code}&kt={check}")
    citizen.get_by_label("Hài lòng", exact=True).check()
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert citizen.locator("#pakn-thanks").is_visible()

    after = live.score_figures(district["counter"].parent, timezone.now())
    assert after["satisfaction"] > before["satisfaction"]  # answered on time, rated satisfied
    expect(points).to_have_text(shown(after), timeout=5000)
    assert dashboard.evaluate("window.notReloaded === true")
    dashboard.screenshot(path=artifacts_dir / "live-766-after-pakn.png", full_page=True)

    services.propose_result(dossier.pk, actor=district["specialist"])
    services.approve(dossier.pk, actor=district["leader"])
    services.return_result(dossier.pk, actor=district["clerk"])
    expect(marker).to_have_class("mk mk-good", timeout=5000)
    assert map_page.evaluate("window.notReloaded === true")
    assert off_host(requests) == [], "a page asked for something off this machine"
