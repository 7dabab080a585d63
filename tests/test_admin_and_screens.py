"""The district office edits the catalogue and calendar in the admin; clerks cannot; the
pages look right at a counter's 1366×768 and at a phone's 360 px (screenshots kept)."""

import pytest
from django.contrib.auth.models import Group

from dossiers.models import CalendarOverride, Procedure
from dossiers.roles import ensure_roles

from .factories import PASSWORD, ProcedureFactory, UnitFactory, staff


@pytest.fixture
def office(db):
    ensure_roles()
    user = staff(UnitFactory(name="Văn phòng HĐND và UBND huyện"), "district_office", username="vp")
    user.is_staff = True
    user.save()
    return user


def test_the_district_office_edits_procedures_and_the_calendar(client, office):
    procedure = ProcedureFactory()
    client.force_login(office)
    assert client.get(f"/quan-tri/dossiers/procedure/{procedure.pk}/change/").status_code == 200
    added = client.post(
        "/quan-tri/dossiers/calendaroverride/add/",
        {"date": "22/08/2026", "kind": "working_day", "reason": "Làm bù 31/08/2026"},
    )
    assert added.status_code == 302
    assert CalendarOverride.objects.get().created_by == office


def test_an_override_twice_on_a_date_is_a_form_error_not_a_500(client, office):
    client.force_login(office)
    form = {"date": "26/04/2025", "kind": "working_day", "reason": "Làm bù"}
    client.post("/quan-tri/dossiers/calendaroverride/add/", form)
    again = client.post("/quan-tri/dossiers/calendaroverride/add/", form)
    assert again.status_code == 200
    assert "Ngày này đã có một điều chỉnh lịch" in again.content.decode()
    assert CalendarOverride.objects.count() == 1


def test_zero_days_in_the_admin_is_refused_with_a_message(client, office):
    procedure = ProcedureFactory()
    client.force_login(office)
    url = f"/quan-tri/dossiers/procedure/{procedure.pk}/change/"
    form = {
        "national_code": procedure.national_code,
        "name": procedure.name,
        "field": procedure.field_id,
        "level": procedure.level_id,
        "time_kind": "working_days",
        "working_days": "0",
        "online_level": "none",
        "retention_years": "5",
        "is_active": "on",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Thời hạn giải quyết phải từ 1 ngày làm việc trở lên." in response.content.decode()
    assert Procedure.objects.get(pk=procedure.pk).working_days == 3


def test_a_clerk_cannot_open_the_admin(client, db):
    ensure_roles()
    clerk = staff(UnitFactory(), "clerk")
    client.force_login(clerk)
    assert client.get("/quan-tri/dossiers/procedure/").status_code == 302  # to the admin login
    assert Group.objects.get(name="clerk").permissions.count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screens_at_counter_and_phone_width(live_server, browser, artifacts_dir):
    unit = UnitFactory(name="Bộ phận Một cửa huyện Bắc Yên")
    staff(unit, "clerk", username="motcua.chup")
    for n, name in enumerate(["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính"]):
        ProcedureFactory(name=name, national_code=f"1.00119{n}")
    for label, size in {"1366": (1366, 768), "360": (360, 740)}.items():
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        page = context.new_page()
        page.goto(f"{live_server.url}/dang-nhap/")
        page.screenshot(path=artifacts_dir / f"login-{label}.png")
        page.get_by_label("Tên đăng nhập").fill("motcua.chup")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live_server.url}/thu-tuc/?q=khai+sinh")
        assert page.locator("table.grid tbody tr").count() == 1
        page.screenshot(path=artifacts_dir / f"catalogue-{label}.png", full_page=True)
        # Nothing wider than the screen: no horizontal scrolling at either width.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label}px: {overflow}px wider than the screen"
        context.close()
