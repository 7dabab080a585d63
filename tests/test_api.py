"""API v1 base: catalogue read endpoints, filters, auth, Vietnamese errors, the schema."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dossiers.models import Procedure

from .factories import FieldFactory, ProcedureFactory, UnitFactory, UnitLevelFactory, staff


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def catalogue(db):
    district = UnitLevelFactory(code="district", name="Huyện", rank=2)
    commune = UnitLevelFactory()
    justice = UnitFactory(code="H50.22.03", name="Phòng Tư pháp", kind="phong_tu_phap")
    civil, land = FieldFactory(), FieldFactory(code="DD", name="Đất đai")
    birth = ProcedureFactory(
        national_code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field=civil,
        level=commune,
        online_level="full",
        same_day=True,
    )
    ProcedureFactory(
        national_code="1.004227",
        name="Đăng ký biến động quyền sử dụng đất",
        field=land,
        level=district,
        online_level="partial",
        working_days=10,
    )
    birth.handling_units.add(justice)
    return {"justice": justice}


def test_procedures_are_public_and_filterable(api, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/procedures/")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    by_field = api.get("/api/v1/procedures/", {"field": "DD"}).json()
    assert [p["national_code"] for p in by_field["results"]] == ["1.004227"]
    by_level = api.get("/api/v1/procedures/", {"level": "commune"}).json()
    assert [p["national_code"] for p in by_level["results"]] == ["1.001193"]
    online = api.get("/api/v1/procedures/", {"online_level": "full"}).json()
    assert [p["national_code"] for p in online["results"]] == ["1.001193"]
    by_unit = api.get("/api/v1/procedures/", {"unit": "H50.22.03"}).json()
    assert [p["national_code"] for p in by_unit["results"]] == ["1.001193"]


def test_text_search_ignores_diacritics(api, catalogue):
    for query in ("khai sinh", "KHAI SINH", "dang ky bien dong", "đăng ký biến động"):
        results = api.get("/api/v1/procedures/", {"q": query}).json()["results"]
        assert len(results) == 1, query
    assert api.get("/api/v1/procedures/", {"q": "ket hon"}).json()["count"] == 0


def test_procedure_detail_by_national_code(api, catalogue):
    body = api.get("/api/v1/procedures/1.001193/").json()
    assert body["name"] == "Thủ tục đăng ký khai sinh"
    assert body["time_kind"] == Procedure.TimeKind.SAME_DAY
    assert body["field"] == {"code": "HT", "name": "Hộ tịch"}


def test_unknown_codes_get_vietnamese_errors(api, catalogue):
    missing = api.get("/api/v1/procedures/9.999999/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Không tìm thấy đối tượng yêu cầu."}
    bad_unit = api.get("/api/v1/procedures/", {"unit": "KHONG-CO"})
    assert bad_unit.status_code == 400
    assert "lựa chọn" in bad_unit.json()["unit"][0]  # Django's Vietnamese "select a valid choice"


def test_units_need_authentication_and_answer_in_vietnamese(api, catalogue):
    response = api.get("/api/v1/units/")
    assert response.status_code in (401, 403)
    assert "Chưa cung cấp thông tin xác thực" in response.json()["detail"]


def test_token_auth_reads_units_and_unknown_unit_is_404(api, catalogue):
    user = staff(catalogue["justice"], role="specialist")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    unit = api.get("/api/v1/units/H50.22.03/")
    assert unit.status_code == 200
    assert unit.json()["name"] == "Phòng Tư pháp"
    missing = api.get("/api/v1/units/H99.99/")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Không tìm thấy đối tượng yêu cầu."


def test_session_auth_works_for_the_api(api, catalogue):
    api.force_login(staff(catalogue["justice"], role="clerk"))
    assert api.get("/api/v1/units/").status_code == 200


def test_openapi_schema_and_doc_page(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    assert {"/api/v1/procedures/", "/api/v1/units/", "/api/v1/fields/"} <= set(body["paths"])
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/dossiers/{code}/actions/{action_code}/" in out.read_text()
