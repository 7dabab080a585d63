"""Reporting pages over HTTP: who may read, bad input answered in Vietnamese (never a 500),
the dashboard's numbers, the dossiers behind a number, sending and the difference after."""

import io

import pytest
from openpyxl import load_workbook

from dossiers import services
from reporting.models import Snapshot, Target
from reporting.plan141 import load as load_targets

from .factories import staff
from .reporting_fixtures import at

pytestmark = pytest.mark.django_db
MARCH = "/bao-cao/?unit=H50.22.02&month=2025-03"


@pytest.fixture
def office(client, march):
    client.force_login(march["office"])
    return client


def test_dashboard_shows_cards_against_targets(office, march):
    load_targets(Target)
    page = office.get(MARCH)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tỷ lệ giải quyết đúng hạn" in html and "66,7%" in html  # 2 of 3 finished in time
    assert "Tỷ lệ hồ sơ trực tuyến" in html and "Chỉ tiêu: ≥ 50,0%" in html  # Plan 141, III.10
    assert "Hồ sơ đang quá hạn (1)" in html
    # The digitization app is installed: its indicators are measured (nothing was scanned).
    assert "Tỷ lệ số hóa hồ sơ" in html and "chưa đo được" not in html
    assert 'id="report-data"' in html and "<script>" not in html.replace(
        'type="application/json"', ""
    )


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("month=2099-01", 400, "chưa bắt đầu"),
        ("month=2025-13", 400, "Tháng 13 không tồn tại"),
        ("month=mot-hai", 400, "không hợp lệ"),
        ("from=2025-03-10&to=2025-03-01", 400, "Ngày kết thúc phải sau"),
        ("from=10/03/2025&to=hom-qua", 400, "không phải ngày hợp lệ"),
        ("unit=KHONG.CO", 404, "Không có đơn vị mã"),
    ],
)
def test_bad_input_is_a_vietnamese_message(office, query, status, message):
    for url in ("/bao-cao/", "/bao-cao/bang/", "/bao-cao/xuat.xlsx", "/bao-cao/ho-so/"):
        page = office.get(f"{url}?{query}&o=overdue")
        assert page.status_code == status, (url, query)
        assert message in page.content.decode(), (url, query)


def test_readers_only_and_units_in_scope(client, march):
    client.force_login(march["clerk"])
    assert client.get(MARCH).status_code == 403
    client.force_login(march["leader"])  # Tư pháp's leader reads Tư pháp, not the counter
    page = client.get(MARCH)
    assert page.status_code == 403 and "ngoài phạm vi" in page.content.decode()
    assert client.get("/bao-cao/?month=2025-03").status_code == 200
    other = staff(march["land"], "leader", username="ld.tnmt")
    client.force_login(other)
    assert client.get("/bao-cao/ho-so/?unit=H50.22.02&month=2025-03&o=overdue").status_code == 403


def test_an_empty_month_is_a_table_of_zeros_not_an_error(office):
    page = office.get("/bao-cao/bang/?unit=H50.22.02&month=2024-01")
    assert page.status_code == 200
    assert 'data-total="received">0<' in page.content.decode()


def test_drilldown_lists_exactly_the_dossiers_behind_a_number(office, march):
    page = office.get("/bao-cao/ho-so/?unit=H50.22.02&month=2025-03&o=overdue")
    html = page.content.decode()
    assert march["d"].code in html and march["f"].code not in html
    assert page.context["page"].paginator.count == 1
    page = office.get("/bao-cao/ho-so/?unit=H50.22.02&month=2025-03&o=received")
    assert page.context["page"].paginator.count == 6
    assert office.get("/bao-cao/ho-so/?unit=H50.22.02&month=2025-03&o=xyz").status_code == 400


def test_xlsx_has_the_numbers_of_the_page(office, march):
    page = office.get("/bao-cao/bang/?unit=H50.22.02&month=2025-03")
    row = page.context["table"].rows[0]
    data = office.get("/bao-cao/xuat.xlsx?unit=H50.22.02&month=2025-03").content
    ws = load_workbook(io.BytesIO(data)).active
    assert [ws["D5"].value, ws["E5"].value, ws["F5"].value, ws["H5"].value, ws["J5"].value] == [
        row["carried"],
        row["new_online"],
        row["new_direct"],
        row["early"],
        row["late"],
    ]
    assert office.get("/bao-cao/xuat.doc?unit=H50.22.02&month=2025-03").status_code == 404


def test_send_freezes_and_regeneration_shows_the_difference(office, march):
    response = office.post("/bao-cao/gui/", {"unit": "H50.22.02", "month": "2025-03"})
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302 and response.url == f"/bao-cao/da-gui/{snapshot.pk}/"
    assert "Không có thay đổi" in office.get(response.url).content.decode()
    again = office.post("/bao-cao/gui/", {"unit": "H50.22.02", "month": "2025-03"})
    assert again.status_code == 409 and "đã gửi" in again.content.decode()
    # A correction after sending: F is withdrawn, back-dated into March.
    services.withdraw(march["f"].pk, actor=march["clerk"], reason="Rút", at=at("03-30"))
    html = office.get(f"/bao-cao/da-gui/{snapshot.pk}/").content.decode()
    assert "Không có thay đổi" not in html and "Rút hồ sơ, trả lại" in html
    snapshot.refresh_from_db()
    assert snapshot.rows[0]["counts"]["within"] == 1  # the sent numbers never change
    assert (
        office.post("/bao-cao/gui/", {"unit": "H50.22.02", "month": "2099-01"}).status_code == 400
    )


def test_an_account_without_a_unit_gets_a_message_not_an_error(client, db):
    from .factories import UserFactory

    client.force_login(UserFactory(role="district_office", username="khong.don.vi"))
    page = client.get("/bao-cao/")
    assert page.status_code == 403 and "chưa được gán đơn vị" in page.content.decode()
    assert client.get("/api/v1/indicators/").status_code == 403
