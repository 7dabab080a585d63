"""The attack suite of the hardening review, kept in `make test`: every API operation fuzzed
from its OpenAPI schema (schemathesis, anonymous and as a clerk, with real ids), a control
character in every URL pattern, a hostile-upload corpus through every way in, oversized and
deep bodies, unknown hosts. Each fails on any answer of 5xx; the counts are printed."""

import io
import json
import re
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from PIL import Image
from rest_framework.authtoken.models import Token
from schemathesis.generation import GenerationMode

from digitization.services import hot_folder

from .scan_files import bomb_png, truncated_jpeg
from .workflow_fixtures import receive

EXAMPLES_PER_OPERATION = 6  # × 2 modes × 2 identities × 35 operations: ~840 requests


def fuzz_operation(operation, call, real):
    """``EXAMPLES_PER_OPERATION`` positive and negative cases of ``operation``, each sent by
    ``call``; path parameters take real values of the test data half of the time. Returns the
    status codes seen."""
    seen = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), use_real=st.booleans())
        def run(case, use_real):
            if use_real and case.path_parameters:
                for name in case.path_parameters:
                    if name in real:
                        case.path_parameters[name] = real[name]
            status = call(case)
            seen.append(status)
            assert status < 500, f"{case.method} {case.formatted_path}: {status}"

        try:
            run()
        except Unsatisfiable:
            pass  # nothing in the operation can be made invalid (no parameters, no body)
    return seen


def django_call(client, headers):
    """Send a schemathesis case through Django's test client (the whole middleware stack)."""

    def call(case):
        kwargs = case.as_transport_kwargs()
        url = kwargs["url"].split("://", 1)[-1].split("/", 1)[-1]
        body, content_type = b"", None
        if kwargs.get("json") is not None:
            body, content_type = json.dumps(kwargs["json"]).encode(), "application/json"
        elif kwargs.get("data") is not None:
            data = kwargs["data"]
            body = data if isinstance(data, bytes) else str(data).encode()
            content_type = (kwargs.get("headers") or {}).get("Content-Type", "text/plain")
        response = client.generic(
            case.method,
            "/" + url,
            body,
            content_type=content_type or "application/octet-stream",
            QUERY_STRING=_query(kwargs.get("params")),
            **headers,
        )
        return response.status_code

    return call


def _query(params):
    from urllib.parse import urlencode

    return urlencode(params or {}, doseq=True)


@pytest.fixture
def real_ids(district):
    dossier = receive(district)
    return {
        "code": dossier.code,
        "id": "1",
        "national_code": district["procedure"].national_code,
        "action_code": "assign",
        "form_code": "01",
    }


def test_no_api_operation_answers_5xx_to_anyone(client, district, real_ids, capsys):
    raw = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schema = schemathesis.openapi.from_dict(raw)
    token = Token.objects.create(user=district["clerk"])
    identities = {"anonymous": {}, "clerk": {"HTTP_AUTHORIZATION": f"Token {token.key}"}}
    counts = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    for name, headers in identities.items():
        call = django_call(Client(), headers)
        for operation in operations:
            for status in fuzz_operation(operation, call, real_ids):
                counts[(name, status // 100)] = counts.get((name, status // 100), 0) + 1
    total = sum(counts.values())
    with capsys.disabled():
        print(f"\nschemathesis: {len(operations)} operations, {total} cases, {counts}")
    assert len(operations) >= 30 and total >= len(operations) * 2 * 2
    assert not any(kind == 5 for _, kind in counts)


def url_samples():
    """One concrete path per URL pattern of the portal, with a NUL in one of its parameters
    when it has any (and as it is otherwise)."""
    samples = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith("quan-tri/"):
                    continue  # Django's admin: its own code, behind the superuser login
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                path = prefix + route
                if path.startswith("^") or "(?P" in path:
                    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path).strip("^$").replace("\\", "")
                samples.append("/" + re.sub(r"<(?:\w+:)?\w+>", "a%00b", path))

    walk(get_resolver().url_patterns, "")
    return sorted(set(samples))


def test_a_control_character_anywhere_never_answers_5xx(client, district):
    samples = url_samples()
    assert len(samples) >= 60
    statuses = {}
    clients = {"anonymous": Client(), "clerk": Client()}
    clients["clerk"].force_login(district["clerk"])
    for who, c in clients.items():
        for path in samples:
            for method, kwargs in (
                ("get", {"QUERY_STRING": "q=%00&page=%01&unit=a%00"}),
                (
                    "post",
                    {"data": "ma=%00&kt=x%1f", "content_type": "application/x-www-form-urlencoded"},
                ),
                ("post", {"data": '{"a": "\\u0000"}', "content_type": "application/json"}),
            ):
                response = getattr(c, method)(path, **kwargs)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                assert response.status_code < 500, f"{who} {method} {path}: {response.status_code}"
    print(
        f"control-character sweep: {len(samples)} URL patterns, "
        f"{sum(statuses.values())} requests, {statuses}"
    )
    assert statuses == {400: len(samples) * 6}  # refused at the edge, every one


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/nop-truc-tuyen/", {"q": "\x00"}),
        ("/api/v1/fields/a\x00b/", {}),
        ("/xep-hang/XYZ\x00/", {}),
        ("/so-hoa/tim-kiem/", {"q": "\x00"}),
        ("/tiep-nhan/tim-thu-tuc/", {"q": "\x00"}),
        ("/bao-cao/", {"unit": "\x00"}),
        ("/api/v1/dossiers/", {"state": "\x00", "q": "\x00"}),
        ("/api/v1/archive/records/", {"q": "\x00"}),
    ],
)
def test_the_reviews_nul_requests_get_a_vietnamese_400(client, district, url, params):
    client.force_login(district["clerk"])
    answer = client.get(url, params)
    assert answer.status_code == 400 and "ký tự điều khiển" in answer.content.decode()


def test_a_nul_in_a_json_value_is_refused_before_the_database(client, district):
    client.force_login(district["clerk"])
    body = '{"procedure": "a\\u0000b", "applicant": {}}'
    answer = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert answer.status_code == 400 and "ký tự điều khiển" in answer.json()["detail"]
    escaped = '{"procedure": "a\\\\u0000b"}'  # a backslash and "u0000": text, not a NUL
    assert (
        client.post("/api/v1/dossiers/", escaped, content_type="application/json").status_code
        == 400
    )
    assert (
        "ký tự điều khiển"
        not in client.post(
            "/api/v1/dossiers/", escaped, content_type="application/json"
        ).content.decode()
    )


def test_deep_json_is_refused_before_parsing_on_the_api_and_pages(client, db):
    deep = "[" * 5000 + "]" * 5000
    for url in ("/api/v1/public/rating/", "/api/v1/dossiers/", "/danh-gia/"):
        answer = client.post(url, deep, content_type="application/json")
        assert answer.status_code == 400 and "lồng nhau quá 64 cấp" in answer.content.decode()
    shallow = client.post(
        "/api/v1/public/rating/", json.dumps({"code": [[["x"]]]}), content_type="application/json"
    )
    assert shallow.status_code == 400 and "lồng nhau" not in shallow.content.decode()


def test_oversized_bodies_and_too_many_fields_or_files_name_the_limit(client, db):
    url = "/api/v1/public/submissions/"
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    answer = client.post("/api/v1/public/rating/", big, content_type="application/json")
    assert answer.status_code == 400 and "2,5 MB" in answer.json()["detail"]
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    answer = client.post(url, fields)
    assert answer.status_code == 400 and "1.000 trường" in answer.json()["detail"]
    files = {
        "files": [io.BytesIO(b"%PDF-1.4") for _ in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    }
    for f in files["files"]:
        f.name = "a.pdf"
    answer = client.post(url, files)
    assert answer.status_code == 400 and "tối đa 100 tệp" in answer.json()["detail"]
    for f in files["files"]:
        f.seek(0)
    page = client.post("/bo-sung/", files)
    assert page.status_code == 400 and "tối đa 100 tệp" in page.content.decode()


def test_an_unknown_host_is_refused_on_every_path(client, db):
    for url in ("/tra-cuu/", "/tra-cuu/?ma=H50.22.02-260101-0001&kt=AAAAAA", "/", "/api/v1/units/"):
        answer = client.get(url, HTTP_HOST="evil.example")
        assert answer.status_code == 400 and "Tên miền" in answer.content.decode()


def test_a_forged_post_gets_the_vietnamese_csrf_page(db):
    forged = Client(enforce_csrf_checks=True).post(
        "/dang-nhap/", {"username": "a", "password": "b"}
    )
    body = forged.content.decode()
    assert forged.status_code == 403 and "Phiên làm việc đã hết hạn" in body and "CSRF" not in body


def test_the_throttled_api_and_a_bad_json_body_answer_in_vietnamese(client, db):
    for _ in range(settings.PUBLIC_SUBMISSIONS_PER_HOUR):
        client.post("/api/v1/public/submissions/", {})
    throttled = client.post("/api/v1/public/submissions/", {})
    assert throttled.status_code == 429 and "thử lại sau" in throttled.json()["detail"]
    assert "Expected" not in throttled.content.decode() and int(throttled["Retry-After"]) > 0
    broken = client.post("/api/v1/public/rating/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and "JSON hợp lệ" in broken.json()["detail"]
    assert "parse error" not in broken.content.decode()


def hostile_corpus():
    """(name, bytes, the words its refusal must contain) for each kind of bad file."""
    tall = io.BytesIO()
    Image.new("L", (100, 60_000), 255).save(tall, "PNG")
    many = io.BytesIO()
    frames = [Image.new("L", (10, 10), 255) for _ in range(settings.SCAN_MAX_PAGES + 1)]
    frames[0].save(many, "TIFF", save_all=True, append_images=frames[1:])
    return [
        ("rong.pdf", b"", "tệp rỗng"),
        ("mot-byte.png", b"\x89", "không phải tệp PDF"),
        ("trang.html.pdf", b"<html><script>alert(1)</script></html>", "không phải tệp PDF"),
        ("hong.jpg", truncated_jpeg().read(), "cắt cụt"),
        ("bom.png", bomb_png().read(), "triệu điểm ảnh"),
        ("dai.png", tall.getvalue(), "32.767 điểm ảnh"),
        ("nhieu-trang.tif", many.getvalue(), "vượt quá giới hạn"),
        (
            "hong.pdf",
            b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF",
            "PDF",
        ),
        ("../../etc/passwd.png", b"\x00" * 2048, "không phải tệp PDF"),
        ("a" * 300 + ".png", b"GIF89a" + b"\x00" * 100, "không phải tệp PDF"),
    ]


def test_hostile_uploads_are_refused_with_their_reason_everywhere(client, district, tmp_path):
    from dossiers.models import Procedure

    d = receive(district)
    corpus = hostile_corpus()
    clerk = Client()
    clerk.force_login(district["clerk"])
    component = d.components.first()
    Procedure.objects.filter(pk=district["procedure"].pk).update(online_level="full")
    counted = 0
    positions = list(range(1, district["procedure"].components.count() + 1))
    for name, data, reason in corpus:
        upload = io.BytesIO(data)
        upload.name = name
        page = clerk.post(
            f"/so-hoa/ho-so/{d.code}/tai-len/", {"component": component.pk, "files": upload}
        )
        assert page.status_code < 500 and reason in page.content.decode(), name
        uploads = []
        for _ in positions:  # the hostile file for every component, so none is missing
            uploads.append(io.BytesIO(data))
            uploads[-1].name = name
        api = client.post(
            "/api/v1/public/submissions/",
            {
                "procedure": district["procedure"].national_code,
                "unit": district["counter"].code,
                "id_number": "014090001234",
                "name": "Lò Văn Sinh",
                "phone": "0912345678",
                "files": uploads,
                "components": positions,
            },
            REMOTE_ADDR=f"10.7.0.{counted}",
        )
        assert api.status_code == 400 and reason in api.content.decode(), (name, api.content)
        counted += 2
    inbox = tmp_path / district["counter"].code
    inbox.mkdir()
    for i, (name, data, _) in enumerate(corpus):
        (inbox / f"{i:02d}-{Path(name).name[:100]}").write_bytes(data)
    (inbox / ".an-tep-tam.pdf").write_bytes(b"%PDF")
    old = 1_000_000_000
    for path in inbox.iterdir():
        import os

        os.utime(path, (old, old))
    collected = hot_folder.collect_all(tmp_path)
    refused = inbox / hot_folder.REFUSED
    assert collected.refused == len(corpus) + 1 and not [p for p in inbox.iterdir() if p.is_file()]
    reasons = sorted(p.name for p in refused.glob("*.txt"))
    assert len(reasons) == len(corpus) + 1 and "_an-tep-tam.pdf.txt" in reasons
    assert "tệp ẩn" in (refused / "_an-tep-tam.pdf.txt").read_text(encoding="utf-8")
    print(
        f"hostile uploads: {len(corpus)} kinds × 3 ways in "
        f"({counted + len(corpus) + 1} files), 0 × 5xx"
    )
