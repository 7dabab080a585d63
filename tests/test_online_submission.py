"""Online submission with uploads, the counter's answer (accept, refuse with Mẫu 03, ask for
supplements with Mẫu 02) and the citizen's online supplement — pages, services and the
public API over the same service."""

import pytest
from django.urls import reverse

from digitization.models import ScannedFile
from digitization.services.online import OnlineRefused, submit_with_files
from dossiers import services
from dossiers.models import AuditEvent, Dossier, DossierEvent, Notification, PrintedForm
from dossiers.services.errors import WorkflowError

from .factories import UnitFactory
from .scan_files import PAGE_ONE, PAGE_TWO, image_bytes, pdf_bytes, upload
from .workflow_fixtures import CITIZEN

pytestmark = pytest.mark.django_db
APPLICANT = {**CITIZEN, "email": "sinh@example.vn"}


@pytest.fixture
def online(district):
    district["procedure"].online_level = "full"
    district["procedure"].save()
    return district


def page_url(district):
    return reverse("online-submit", args=[district["procedure"].national_code])


def two_uploads():
    return (
        upload("phieu-yeu-cau.pdf", pdf_bytes(PAGE_ONE), "application/pdf"),
        upload("du-thao.png", image_bytes(PAGE_TWO), "image/png"),
    )


def form_data(district, **overrides):
    parts = list(district["procedure"].components.order_by("order"))
    first, second = two_uploads()
    data = {
        "unit": district["counter"].code,
        "kind": "person",
        "id_number": CITIZEN["id_number"],
        "name": CITIZEN["name"],
        "phone": CITIZEN["phone"],
        "email": APPLICANT["email"],
        "address": "Bản Phiêng Ban",
        "pledge": "on",
        "token": "t" * 32,
        f"thanh_phan_{parts[0].pk}": [first],
        f"thanh_phan_{parts[1].pk}": [second],
    }
    data.update(overrides)
    return data


def submit(district, **kwargs):
    parts = list(district["procedure"].components.order_by("order"))
    first, second = two_uploads()
    return submit_with_files(
        procedure=district["procedure"],
        unit=district["counter"],
        applicant=APPLICANT,
        files={parts[0].pk: [first], parts[1].pk: [second]},
        **kwargs,
    )


def test_the_list_offers_online_procedures_only_found_without_diacritics(client, online):
    from .factories import ProcedureFactory

    ProcedureFactory(name="Cấp giấy phép xây dựng", online_level="none")
    body = client.get(reverse("online-procedures"), {"q": "chung thuc"}).content.decode()
    assert "Chứng thực hợp đồng" in body
    assert "giấy phép xây dựng" not in client.get(reverse("online-procedures")).content.decode()
    none = client.get(reverse("online-submit", args=["1.999999"]))
    assert none.status_code == 404


def test_submit_with_two_uploads_gives_the_code_and_check_code(client, online):
    response = client.post(page_url(online), form_data(online))
    assert response.status_code == 302 and response["Location"] == reverse("online-submitted")
    dossier = Dossier.objects.get()
    assert (dossier.state, dossier.channel, dossier.received_at) == ("submitted", "online", None)
    body = client.get(response["Location"]).content.decode()
    assert dossier.code in body and dossier.check_code in body
    files = ScannedFile.objects.filter(dossier=dossier)
    assert sorted(f.original_name for f in files) == ["du-thao.png", "phieu-yeu-cau.pdf"]
    assert {f.source for f in files} == {"online"} and all(f.component_id for f in files)
    assert dossier.components.filter(received=True).count() == 2
    mail = Notification.objects.get(dossier=dossier, channel="email")
    assert mail.event == "submitted" and dossier.check_code in mail.body
    assert AuditEvent.objects.filter(action="dossier.submit", object_id=str(dossier.pk)).exists()
    # The same form sent twice (a double click) is one dossier.
    again = client.post(page_url(online), form_data(online))
    assert again.status_code == 302 and Dossier.objects.count() == 1
    assert ScannedFile.objects.count() == 2


def test_a_missing_required_paper_is_named_and_nothing_is_written(client, online):
    parts = list(online["procedure"].components.order_by("order"))
    data = form_data(online)
    data.pop(f"thanh_phan_{parts[1].pk}")
    response = client.post(page_url(online), data)
    assert response.status_code == 400
    assert "Chưa tải lên giấy tờ bắt buộc" in response.content.decode()
    assert not Dossier.objects.exists() and not ScannedFile.objects.exists()
    with pytest.raises(OnlineRefused, match="Dự thảo hợp đồng"):
        submit_with_files(
            procedure=online["procedure"],
            unit=online["counter"],
            applicant=APPLICANT,
            files={parts[0].pk: [two_uploads()[0]]},
        )


def test_an_upload_that_is_not_what_it_claims_is_refused_in_vietnamese(client, online):
    parts = list(online["procedure"].components.order_by("order"))
    fake = upload("<b>hop-dong<b>.pdf", b"MZ\x90\x00 this is a program, not a PDF" * 10)
    response = client.post(
        page_url(online), form_data(online, **{f"thanh_phan_{parts[1].pk}": [fake]})
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "không phải tệp PDF hoặc ảnh quét" in html
    assert "&lt;b&gt;hop-dong&lt;b&gt;.pdf" in html and "<b>hop-dong" not in html
    assert not Dossier.objects.exists() and not ScannedFile.objects.exists()


INJECTIONS = ["'; DROP TABLE dossiers_dossier; --", "<script>alert(1)</script>", "\x00", "ä" * 400]


@pytest.mark.parametrize(
    "field", ["unit", "kind", "id_number", "name", "phone", "email", "address", "token", "pledge"]
)
@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_and_html_in_every_field_is_never_a_500(client, online, field, value):
    response = client.post(page_url(online), form_data(online, **{field: value}))
    assert response.status_code in (302, 400), response.status_code
    assert b"<script>alert(1)</script>" not in response.content
    if response.status_code == 302:  # accepted as text (a name, an address): stored verbatim
        assert Dossier.objects.count() == 1


def test_submissions_are_limited_per_client_and_hour(client, online, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    for _ in range(2):
        client.post(page_url(online), form_data(online, id_number="x"))  # refused, but counted
    blocked = client.post(page_url(online), form_data(online))
    assert blocked.status_code == 429 and "quá nhiều hồ sơ trực tuyến" in blocked.content.decode()
    assert not Dossier.objects.exists()


def test_a_counter_that_does_not_receive_the_procedure_is_not_offered(client, online):
    elsewhere = UnitFactory(code="H50.30.01", name="Bộ phận Một cửa huyện khác")
    assert elsewhere.name not in client.get(page_url(online)).content.decode()
    refused = client.post(page_url(online), form_data(online, unit=elsewhere.code))
    assert refused.status_code == 400 and not Dossier.objects.exists()
    with pytest.raises(WorkflowError, match="không tiếp nhận thủ tục"):
        services.submit_online(
            procedure=online["procedure"], unit=elsewhere, applicant=CITIZEN, components=[]
        )
    online["procedure"].boundary_free = True
    online["procedure"].save()
    assert elsewhere.name in client.get(page_url(online)).content.decode()
    assert client.post(page_url(online), form_data(online, unit=elsewhere.code)).status_code == 302
    assert Dossier.objects.get().receiving_unit == elsewhere


def test_the_clerk_accepts_and_the_clock_starts_then(client, online):
    dossier, _ = submit(online)
    client.force_login(online["clerk"])
    assert dossier.code in client.get("/ho-so/", {"state": "submitted"}).content.decode()
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Tiếp nhận" in page and "Từ chối tiếp nhận" in page
    client.post(reverse("dossier-action", args=[dossier.code, "accept"]))
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.received_at > dossier.submitted_at
    assert dossier.due_at > dossier.received_at
    assert PrintedForm.objects.filter(dossier=dossier, code="01").exists()
    assert Notification.objects.filter(dossier=dossier, event="received").exists()


def test_the_clerk_refuses_with_mau_03(online):
    dossier, _ = submit(online)
    services.refuse(dossier.pk, actor=online["clerk"], reason="Không thuộc thẩm quyền")
    dossier.refresh_from_db()
    assert dossier.state == "refused"
    assert PrintedForm.objects.filter(dossier=dossier, code="03").exists()
    assert Notification.objects.filter(dossier=dossier, event="refused").exists()


@pytest.fixture
def waiting(online):
    dossier, _ = submit(online)
    services.accept(dossier.pk, actor=online["clerk"])
    services.request_supplement(
        dossier.pk, actor=online["clerk"], reason="Bổ sung bản sao <b>sổ hộ khẩu</b>"
    )
    dossier.refresh_from_db()
    return dossier


def test_a_supplement_request_issues_mau_02_and_mails_the_online_page(waiting):
    assert PrintedForm.objects.filter(dossier=waiting, code="02").exists()
    mail = Notification.objects.get(dossier=waiting, event="supplement_requested", channel="email")
    assert f"/bo-sung/?ma={waiting.code}" in mail.body


def test_the_citizen_answers_a_supplement_online(client, waiting, online):
    url = reverse("online-supplement")
    status = client.get("/tra-cuu/", {"ma": waiting.code, "kt": waiting.check_code}).content
    assert f'href="{url}?ma={waiting.code}"'.encode() in status  # the way there, no factor
    step = client.get(url, {"ma": waiting.code, "kt": waiting.check_code}).content.decode()
    assert "Bổ sung bản sao &lt;b&gt;sổ hộ khẩu&lt;/b&gt;" in step
    sent = client.post(
        url,
        {
            "ma": waiting.code,
            "kt": waiting.check_code,
            "note": "Bản sao <i>công chứng</i>",
            "thanh_phan_0": [upload("so-ho-khau.jpg", image_bytes(PAGE_ONE, "JPEG"), "image/jpeg")],
        },
    )
    assert sent.status_code == 200 and "Đã gửi giấy tờ bổ sung" in sent.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "supplement_requested"  # the counter confirms with «supplied»
    event = DossierEvent.objects.get(dossier=waiting, action="supplement_online")
    assert "so-ho-khau.jpg" in event.note
    assert ScannedFile.objects.filter(
        dossier=waiting, original_name="so-ho-khau.jpg", source="online"
    ).exists()
    status = client.get("/tra-cuu/", {"ma": waiting.code, "kt": waiting.check_code})
    assert "Đã gửi giấy tờ bổ sung trực tuyến" in status.content.decode()
    services.supplied(waiting.pk, actor=online["clerk"])
    waiting.refresh_from_db()
    assert waiting.state == "in_progress"


def test_supplement_page_bad_input(client, waiting, online):
    url = reverse("online-supplement")
    for params in ({"ma": waiting.code, "kt": "0000"}, {"ma": "' OR 1=1 --", "kt": "<x>"}):
        body = client.get(url, params).content.decode()
        assert "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập." in body
    fake = upload("giay.png", b"%PDF-1.4 but cut" * 2, "image/png")
    refused = client.post(
        url, {"ma": waiting.code, "kt": waiting.check_code, "thanh_phan_0": [fake]}
    )
    assert refused.status_code == 400 and "giay.png" in refused.content.decode()
    assert not DossierEvent.objects.filter(action="supplement_online").exists()
    nothing = client.post(url, {"ma": waiting.code, "kt": waiting.check_code})
    assert nothing.status_code == 400 and "Chọn ít nhất một tệp" in nothing.content.decode()
    other, _ = submit(online, idempotency_key="other")
    body = client.get(url, {"ma": other.code, "kt": other.check_code}).content.decode()
    assert "không chờ bổ sung" in body


API = "/api/v1/public/submissions/"


def api_data(district, **overrides):
    first, second = two_uploads()
    data = {
        "procedure": district["procedure"].national_code,
        "unit": district["counter"].code,
        "id_number": CITIZEN["id_number"],
        "name": CITIZEN["name"],
        "phone": CITIZEN["phone"],
        "files": [first, second],
        "components": [1, 2],
    }
    data.update(overrides)
    return data


def test_the_public_api_submits_with_files_and_is_in_the_schema(client, online):
    response = client.post(API, api_data(online))
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(code=body["code"])
    assert body["check_code"] == dossier.check_code and body["state"] == "submitted"
    assert sorted(body["files"]) == ["du-thao.png", "phieu-yeu-cau.pdf"]
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/public/submissions/" in schema and "multipart/form-data" in schema


@pytest.mark.parametrize(
    "overrides, status, text",
    [
        ({"components": [1]}, 400, "phải bằng số tệp"),
        ({"components": [1, 9]}, 400, "chỉ có 3 thành phần"),
        ({"components": [1, 1]}, 400, "Dự thảo hợp đồng"),
        ({"procedure": "9.999999"}, 404, "Không có thủ tục trực tuyến"),
        ({"unit": "' OR 1=1"}, 404, "không nhận thủ tục"),
        ({"name": ""}, 400, "Thiếu họ tên"),
        ({"id_number": "<script>"}, 400, ""),
    ],
)
def test_the_public_api_answers_bad_input_in_vietnamese(client, online, overrides, status, text):
    response = client.post(API, api_data(online, **overrides))
    assert response.status_code == status, response.content
    assert text in response.json()["detail"] and not Dossier.objects.exists()


def test_the_public_api_names_a_refused_file_and_is_throttled(client, online, settings):
    fake = upload("virus.pdf", b"MZ" + b"\x00" * 200)
    refused = client.post(API, api_data(online, files=[two_uploads()[0], fake]))
    assert refused.status_code == 400
    assert refused.json()["refused"][0]["file"] == "virus.pdf"
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    from django.core.cache import cache

    cache.clear()
    client.post(API, api_data(online, name=""))
    throttled = client.post(API, api_data(online))
    assert throttled.status_code == 429 and "Quá nhiều yêu cầu" in throttled.json()["detail"]
    assert settings.PUBLIC_SUBMISSIONS_PER_HOUR == 1
