"""Dossiers over the API and on the clerk's pages: the same services, the same scoping."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import AuditEvent, Dossier

from .workflow_fixtures import CITIZEN, all_components, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def api():
    return APIClient()


def test_a_clerk_receives_through_the_api_and_acts(api, district):
    api.force_login(district["clerk"])
    body = {
        "procedure": district["procedure"].national_code,
        "applicant": CITIZEN,
        "components": [
            {"component": c.component_id, "copies": c.copies}
            for c in all_components(district["procedure"])
        ],
        "idempotency_key": "api-1",
    }
    created = api.post("/api/v1/dossiers/", body, format="json")
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert {a["code"] for a in created.json()["allowed_actions"]} >= {"assign", "withdraw"}
    assert api.post("/api/v1/dossiers/", body, format="json").json()["code"] == code  # absorbed
    assigned = api.post(f"/api/v1/dossiers/{code}/actions/assign/", {}, format="json")
    assert assigned.status_code == 200 and assigned.json()["state"] == "in_progress"
    assert assigned.json()["current_unit"] == "H50.22.03"
    history = api.get(f"/api/v1/dossiers/{code}/history/").json()
    assert [h["action"] for h in history] == ["receive", "assign"]
    pdf = api.get(f"/api/v1/dossiers/{code}/forms/01/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="dossier.form_download", object_id=str(Dossier.objects.get(code=code).pk)
    ).exists()


def test_api_refusals_are_vietnamese_with_the_right_status(api, district):
    dossier = receive(district)
    api.force_login(district["specialist"])
    # Tư pháp has not been handed it yet: not in its scope at all.
    assert api.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    api.force_login(district["clerk"])
    wrong_state = api.post(f"/api/v1/dossiers/{dossier.code}/actions/approve/", {}, format="json")
    assert (
        wrong_state.status_code == 409
        and "Không thể «Phê duyệt kết quả»" in wrong_state.json()["detail"]
    )
    no_reason = api.post(f"/api/v1/dossiers/{dossier.code}/actions/withdraw/", {}, format="json")
    assert no_reason.status_code == 400 and "lý do" in no_reason.json()["detail"]
    services.assign(dossier.pk, actor=district["clerk"])
    api.force_login(district["land_specialist"])
    assert api.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    api.force_login(district["specialist"])
    forbidden = api.post(f"/api/v1/dossiers/{dossier.code}/actions/approve/", {}, format="json")
    assert forbidden.status_code == 409
    bad = api.post("/api/v1/dossiers/", {"procedure": "9.999999"}, format="json")
    assert bad.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).state == "in_progress"


def test_invalid_cccd_over_the_api_is_a_400_naming_the_field(api, district):
    api.force_login(district["clerk"])
    body = {
        "procedure": district["procedure"].national_code,
        "applicant": {**CITIZEN, "id_number": "12ab"},
        "components": [
            {"component": c.component_id} for c in all_components(district["procedure"])
        ],
    }
    response = api.post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "id_number" and "12 chữ số" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_list_filters_and_query_count_do_not_grow_with_the_page(
    api, district, django_assert_max_num_queries
):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    for i in range(3):
        receive(
            district,
            at=at + timedelta(minutes=i),
            applicant={**CITIZEN, "id_number": f"01409000{i:04d}"},
        )
    api.force_login(district["clerk"])
    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/dossiers/")
    for i in range(3, 30):
        receive(
            district,
            at=at + timedelta(minutes=i),
            applicant={**CITIZEN, "id_number": f"01409000{i:04d}"},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/dossiers/").json()
    assert body["count"] == 30
    assert api.get("/api/v1/dossiers/", {"q": "-0003"}).json()["count"] == 1
    assert api.get("/api/v1/dossiers/", {"state": "returned"}).json()["count"] == 0
    bad = api.get("/api/v1/dossiers/", {"received_from": "2026-03-05", "received_to": "2026-03-01"})
    assert bad.status_code == 400 and "sau ngày bắt đầu" in str(bad.json())


def test_clerk_pages_list_show_and_act(client, district, django_assert_max_num_queries):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    dossiers = [
        receive(
            district,
            at=at + timedelta(minutes=i),
            applicant={**CITIZEN, "id_number": f"01409100{i:04d}"},
        )
        for i in range(5)
    ]
    client.force_login(district["clerk"])
    with django_assert_max_num_queries(16) as few:
        page = client.get("/ho-so/")
    for i in range(5, 30):
        receive(
            district,
            at=at + timedelta(minutes=i),
            applicant={**CITIZEN, "id_number": f"01409100{i:04d}"},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/ho-so/")
    assert page.status_code == 200 and "Hồ sơ của đơn vị" in page.content.decode()
    detail = client.get(f"/ho-so/{dossiers[0].code}/").content.decode()
    assert "Chuyển xử lý" in detail and "Phê duyệt kết quả" not in detail
    response = client.post(f"/ho-so/{dossiers[0].code}/thao-tac/assign/", {"to_unit": ""})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossiers[0].pk).current_unit == district["justice"]
    refused = client.post(f"/ho-so/{dossiers[0].code}/thao-tac/approve/", {}, follow=True)
    assert "Không thể «Phê duyệt kết quả»" in refused.content.decode()
    client.force_login(district["land_specialist"])
    assert client.get(f"/ho-so/{dossiers[0].code}/").status_code == 404


def test_the_reception_page_receives_and_shows_the_appointment(client, district):
    client.force_login(district["clerk"])
    found = client.get("/tiep-nhan/tim-thu-tuc/", {"q": "chung thuc hop dong"}).content.decode()
    assert district["procedure"].national_code in found
    page = client.get(
        "/tiep-nhan/", {"thu_tuc": district["procedure"].national_code}
    ).content.decode()
    assert "ngày hẹn trả là" in page
    form = {
        "procedure": district["procedure"].national_code,
        "idempotency_key": "page-1",
        "kind": "person",
        **{k: v for k, v in CITIZEN.items() if k != "kind"},
    }
    for c in district["procedure"].components.all():
        form[f"c{c.pk}"] = "1"
        form[f"n{c.pk}"] = str(c.copies)
    response = client.post("/tiep-nhan/", form)
    assert response.status_code == 302 and "?moi=1" in response["Location"]
    assert client.post("/tiep-nhan/", form).status_code == 302  # double submit absorbed
    assert Dossier.objects.count() == 1
    missing = {**form, "idempotency_key": "page-2"}
    del missing[f"c{district['procedure'].components.first().pk}"]
    page = client.post("/tiep-nhan/", missing).content.decode()
    assert "Thiếu thành phần bắt buộc" in page and Dossier.objects.count() == 1
    lookup = client.get(
        "/tiep-nhan/tim-nguoi-nop/", {"id_number": CITIZEN["id_number"]}
    ).content.decode()
    assert "Lò Văn Sinh" in lookup


def test_only_counter_clerks_open_the_reception_page(client, district):
    client.force_login(district["specialist"])
    assert client.get("/tiep-nhan/").status_code == 403


def test_the_register_form_06_for_a_period(client, api, district):
    receive(district, at=datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    client.force_login(district["clerk"])
    pdf = client.get("/ho-so/so-theo-doi.pdf", {"tu": "2026-03-01", "den": "2026-03-31"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    backwards = client.get(
        "/ho-so/so-theo-doi.pdf", {"tu": "2026-03-31", "den": "2026-03-01"}, follow=True
    )
    assert "Ngày kết thúc phải sau ngày bắt đầu." in backwards.content.decode()
    api.force_login(district["clerk"])
    future = api.get("/api/v1/dossiers/register/", {"start": "2099-01-01", "end": "2099-01-31"})
    assert future.status_code == 400 and "tương lai" in future.json()["detail"]
    assert api.get("/api/v1/dossiers/register/", {"start": "x"}).status_code == 400
    ok = api.get("/api/v1/dossiers/register/", {"start": "2026-03-01", "end": "2026-03-02"})
    assert ok.status_code == 200
    assert AuditEvent.objects.filter(action="register.download").count() == 2


def test_dossier_endpoints_are_in_the_openapi_schema(api, db):
    paths = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()[
        "paths"
    ]
    expected = [
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{code}/",
        "/api/v1/dossiers/{code}/history/",
        "/api/v1/dossiers/{code}/actions/{action_code}/",
        "/api/v1/dossiers/{code}/forms/{form_code}/",
        "/api/v1/dossiers/register/",
    ]
    assert [p for p in expected if p not in paths] == []


def test_sort_links_and_pager_keep_the_filters(client, district):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    for i in range(27):
        applicant = {**CITIZEN, "id_number": f"01409200{i:04d}"}
        receive(district, at=at + timedelta(minutes=i), applicant=applicant)
    client.force_login(district["clerk"])
    body = client.get("/ho-so/", {"state": "received", "sort": "due"}).content.decode()
    assert 'href="?state=received&amp;sort=code"' in body
    assert 'href="?state=received&amp;sort=due&amp;page=2"' in body
    second = client.get("/ho-so/", {"state": "received", "sort": "due", "page": 2}).content.decode()
    assert second.count('<td class="mono" data-label="Mã">') == 2  # 27 rows, 25 a page
