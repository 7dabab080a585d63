"""The public rating endpoint: the page's service over JSON, throttled with the status
lookups, in the OpenAPI schema; bad input gets a Vietnamese answer, never a 500."""

import json

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from dossiers.models import Rating

from .factories import staff
from .test_rating import returned
from .workflow_fixtures import receive

URL = "/api/v1/public/rating/"


@pytest.fixture
def api():
    return APIClient()


def post(api, body):
    return api.post(URL, body, format="json")


def test_a_returned_dossier_is_rated_once(api, district):
    d = returned(district)
    body = {"code": d.code, "factor": d.check_code, "level": "very_satisfied", "comment": "Nhanh"}
    first = post(api, body)
    assert first.status_code == 201, first.content
    assert first.json() == {
        "detail": "Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn.",
        "code": d.code,
        "level": "very_satisfied",
        "level_label": "Rất hài lòng",
    }
    rating = Rating.objects.get(dossier=d)
    assert (rating.score, rating.channel, rating.comment) == (4, "web", "Nhanh")
    twice = post(api, {**body, "level": "very_dissatisfied", "factor": "5678"})  # phone digits
    assert twice.status_code == 409 and "đã được đánh giá" in twice.json()["detail"]
    assert Rating.objects.get(dossier=d).score == 4


def test_a_dossier_not_yet_returned_cannot_be_rated(api, district):
    d = receive(district)
    early = post(api, {"code": d.code, "factor": d.check_code, "level": "satisfied"})
    assert early.status_code == 409 and "chưa trả kết quả" in early.json()["detail"]
    assert not Rating.objects.exists()


def test_a_wrong_factor_and_a_wrong_code_get_the_same_neutral_answer(api, district):
    d = returned(district)
    answers = [
        post(api, {"code": d.code, "factor": "ZZZZZZ", "level": "satisfied"}),
        post(api, {"code": d.code[:-4] + "9999", "factor": d.check_code, "level": "satisfied"}),
        post(api, {"code": "' OR 1=1 --", "factor": "' OR '1", "level": "satisfied"}),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.json()["detail"] for a in answers}) == 1
    assert "Không tìm thấy hồ sơ" in answers[0].json()["detail"]
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"level": "excellent"}, "level"),
        ({"level": 4}, "level"),
        ({"level": None}, "level"),
        ({"code": ""}, "code"),
        ({"factor": "X" * 50}, "factor"),
        ({"comment": "x" * 2001}, "comment"),
        ({"code": ["list"]}, "code"),
    ],
)
def test_invalid_input_is_a_vietnamese_400(api, district, change, field):
    d = returned(district)
    body = {"code": d.code, "factor": d.check_code, "level": "satisfied", **change}
    answer = post(api, body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field and answer.json()["detail"]
    assert not Rating.objects.exists()


def test_a_nul_in_the_json_body_is_refused_at_the_edge_in_vietnamese(api, district):
    d = returned(district)
    answer = post(
        api,
        {"code": d.code, "factor": d.check_code, "level": "satisfied", "comment": "NUL \x00 byte"},
    )
    assert answer.status_code == 400 and "ký tự điều khiển" in answer.json()["detail"]
    assert not Rating.objects.exists()


def test_html_and_sql_in_the_comment_are_stored_as_text_and_shown_escaped(api, client, district):
    d = returned(district)
    comment = "<script>alert('x')</script>'); DROP TABLE dossiers_rating; --"
    answer = post(
        api,
        {"code": d.code, "factor": d.check_code, "level": "very_dissatisfied", "comment": comment},
    )
    assert answer.status_code == 201
    assert "<script>" not in answer.content.decode()
    rating = Rating.objects.get(dossier=d)
    assert rating.comment == comment and rating.flagged  # as typed: parameters, not SQL
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_rating")
        assert cursor.fetchone()[0] == 1
    client.force_login(staff(district["counter"], "leader", username="ld.motcua"))
    home = client.get("/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in home
    assert "<script>alert" not in home


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"code": "X", "factor": "\\ud800AB", "level": "satisfied"}',
    ],
)
def test_malformed_bodies_never_give_a_500(api, district, raw):
    answer = api.generic("POST", URL, raw, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["detail"]


def test_unencodable_text_is_a_vietnamese_400(api, district):
    d = returned(district)
    for field in ("factor", "comment"):
        body = {"code": d.code, "factor": d.check_code, "level": "satisfied", field: "\ud800AB"}
        raw = json.dumps(body)  # a lone surrogate: valid JSON, not encodable text
        answer = api.generic("POST", URL, raw, content_type="application/json")
        assert answer.status_code == 400
        assert answer.json() == {"detail": "Trường này chứa ký tự không hợp lệ.", "field": field}
    not_json = api.generic("POST", URL, b"{oops", content_type="application/json")
    assert not_json.json()["detail"] == "Nội dung gửi lên phải là một đối tượng JSON hợp lệ."
    assert not Rating.objects.exists()


def test_control_characters_in_the_page_form_are_dropped_not_a_500(client, district):
    d = returned(district)
    form = {"ma": d.code, "kt": d.check_code, "score": "2", "comment": "Chờ\x00 lâu\x07\nquá"}
    answer = client.post("/danh-gia/", form)
    assert answer.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in answer.content.decode()
    assert Rating.objects.get(dossier=d).comment == "Chờ lâu\nquá"


def test_ratings_share_the_status_lookups_budget(api, district):
    d = returned(district)
    for i in range(settings.PUBLIC_LOOKUPS_PER_MINUTE):  # no dossier's lock: other codes
        api.get("/api/v1/public/status/", {"code": f"H50.22.02-260101-{i:04d}", "factor": "0000"})
    throttled = post(api, {"code": d.code, "factor": d.check_code, "level": "satisfied"})
    assert throttled.status_code == 429 and "quá nhiều lần" in throttled.json()["detail"]
    assert not Rating.objects.exists()


def test_the_endpoint_is_in_the_openapi_schema_in_vietnamese(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/public/rating/"]["post"]
    assert operation["summary"] == "Đánh giá mức độ hài lòng"
    assert "Mỗi hồ sơ được đánh giá một lần" in operation["description"]
    assert operation["security"] == [{}] or operation.get("security") in (None, [])
    assert set(operation["responses"]) == {"201", "400", "404", "409", "429"}
    assert "hồ sơ đã trả kết quả" in operation["description"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert "Mã tra cứu" in fields["factor"]["description"]
    assert set(fields) == {"code", "factor", "level", "comment"}
