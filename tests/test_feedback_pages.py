"""PAKN pages and API: the public form (by a dossier's code + factor, or about a unit), its
refusals in Vietnamese (never a 500), the rate limit, the citizen's status page and rating,
the leader's queue (fixed query count) and answer form, and the public list without personal
data."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.public_identity import SESSION_KEY
from feedback.models import Feedback
from feedback.services import answer_feedback

from .factories import staff
from .feedback_fixtures import late_dossier, pakn
from .workflow_fixtures import CITIZEN, receive

pytestmark = pytest.mark.django_db
SEND = "/pakn/gui/"


def form(**values):
    return {
        "kind": "complaint",
        "content": "Hồ sơ đã quá hẹn trả mà chưa có kết quả.",
        "sender_name": "Lò Văn Sinh",
        "sender_phone": "0912345678",
        **values,
    }


def test_a_citizen_sends_a_pakn_about_a_dossier_with_its_factor(client, district):
    dossier = late_dossier(district)
    page = client.post(SEND, form(ma=dossier.code, kt=dossier.check_code, publish="1"))
    assert page.status_code == 200
    feedback = Feedback.objects.get()
    assert feedback.dossier == dossier and feedback.unit == district["justice"]
    assert feedback.publish_agreed and feedback.channel == "web"
    text = page.content.decode()
    assert feedback.code in text and feedback.check_code in text


@pytest.mark.parametrize(
    "values, message",
    [
        ({"content": ""}, "Vui lòng nhập nội dung"),
        ({"content": "a" * 10_000}, "vượt quá 5.000 ký tự"),
        ({"kt": ""}, "Không tìm thấy hồ sơ"),  # another citizen's dossier without its factor
        ({"kt": "ZZZZZZ"}, "Không tìm thấy hồ sơ"),
        ({"sender_name": ""}, "họ và tên"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_no_row(client, district, values, message):
    dossier = late_dossier(district)
    values = {"ma": dossier.code, "kt": dossier.check_code, **values}
    page = client.post(SEND, form(**values))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Feedback.objects.exists()


def test_html_in_a_pakn_is_escaped_on_every_page(client, district):
    script = '<script>alert("pakn")</script>'
    client.post(SEND, form(unit=district["counter"].code, content=f"Chờ lâu {script}"))
    feedback = Feedback.objects.get()
    assert feedback.content.endswith(script)
    status = client.get("/pakn/tra-cuu/", {"ma": feedback.code, "kt": feedback.check_code})
    assert script not in status.content.decode()
    assert "&lt;script&gt;" in status.content.decode()
    leader = Client()
    leader.force_login(staff(district["counter"], "leader", username="ld.motcua"))
    detail = leader.get(f"/pakn/lanh-dao/{feedback.code}/")
    assert detail.status_code == 200 and script not in detail.content.decode()


def test_the_public_form_is_rate_limited(client, district, settings):
    settings.PAKN_SUBMISSIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(SEND, form(unit=district["counter"].code)).status_code == 200
    refused = client.post(SEND, form(unit=district["counter"].code))
    assert refused.status_code == 429
    assert "quá nhiều phản ánh" in refused.content.decode()
    assert Feedback.objects.count() == 2


def test_kiosk_sends_to_its_centre(client, district):
    page = client.post(f"/pakn/ki-ot/{district['counter'].code}/", form())
    assert page.status_code == 200
    feedback = Feedback.objects.get()
    assert feedback.unit == district["counter"] and feedback.channel == "kiosk"


def test_status_page_and_rating_once(client, district):
    feedback = pakn(late_dossier(district))
    wrong = client.get("/pakn/tra-cuu/", {"ma": feedback.code, "kt": "AAAAAA"})
    assert "Không tìm thấy PAKN" in wrong.content.decode()
    answer_feedback(feedback.pk, actor=district["leader"], answer="Đã trả kết quả hôm nay.")
    page = client.get("/pakn/tra-cuu/", {"ma": feedback.code, "kt": feedback.check_code})
    assert "Đã trả kết quả hôm nay." in page.content.decode()
    rating = {"ma": feedback.code, "kt": feedback.check_code, "score": "4"}
    assert "Cảm ơn" in client.post("/pakn/danh-gia/", rating).content.decode()
    again = client.post("/pakn/danh-gia/", {**rating, "score": "1"})
    assert again.status_code == 200
    assert "chỉ được đánh giá một lần" in again.content.decode()
    assert Feedback.objects.get().answer_score == 4


def test_leader_pages_are_scoped_and_role_checked(client, district, django_assert_max_num_queries):
    dossier = late_dossier(district)
    mine = [pakn(dossier) for _ in range(3)]
    other = pakn(unit=district["land"])
    Feedback.objects.filter(pk=mine[0].pk).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(district["specialist"])
    assert client.get("/pakn/lanh-dao/").status_code == 403
    client.force_login(district["leader"])
    # session, user, groups, staff+unit, scoped units, count, page, tab counts + savepoints
    with django_assert_max_num_queries(10):
        queue = client.get("/pakn/lanh-dao/")
    text = queue.content.decode()
    assert all(f.code in text for f in mine) and other.code not in text
    overdue = client.get("/pakn/lanh-dao/ds/overdue/").content.decode()
    assert mine[0].code in overdue and mine[1].code not in overdue
    assert client.get(f"/pakn/lanh-dao/{other.code}/").status_code == 404
    answered = client.post(f"/pakn/lanh-dao/{mine[1].code}/", {"answer": "Đã xử lý xong."})
    assert answered.status_code == 302
    assert Feedback.objects.get(pk=mine[1].pk).answer == "Đã xử lý xong."
    late = client.post(f"/pakn/lanh-dao/{mine[1].code}/", {"answer": "Lần hai."}, follow=True)
    assert "đã được trả lời" in late.content.decode()


PERSONAL = {
    "name": "Hoàng Thị Mai",
    "phone": "0987654321",
    "id_number": "014190001234",
    "address": "số nhà 15 đường Trường Chinh",
}


def test_the_public_list_runs_a_fixed_number_of_queries(
    client, district, django_assert_max_num_queries
):
    for n in range(6):
        row = pakn(unit=district["justice"], publish_agreed=True, content=f"Góp ý số {n} về quầy.")
        answer_feedback(row.pk, actor=district["leader"], answer="Đã tiếp thu.", publish=True)
    # the page's count, the page's rows with their units (one join)
    with django_assert_max_num_queries(2):
        page = client.get("/pakn/cong-khai/")
    assert page.content.decode().count('class="pakn-public"') == 6


def test_the_public_list_shows_agreed_answers_without_personal_data(client, district):
    content = (
        f"Tôi là {PERSONAL['name']}, ở {PERSONAL['address']}, CCCD {PERSONAL['id_number']}, "
        f"điện thoại {PERSONAL['phone']}. Cán bộ tiếp nhận thái độ chưa tốt."
    )
    both = pakn(
        unit=district["justice"],
        content=content,
        sender_name=PERSONAL["name"],
        sender_phone=PERSONAL["phone"],
        publish_agreed=True,
    )
    unit_only = pakn(unit=district["justice"], content="Không đồng ý công khai nội dung này.")
    for feedback in (both, unit_only):
        answer_feedback(
            feedback.pk,
            actor=district["leader"],
            answer=f"Gửi bà Mai ({PERSONAL['phone']}): đã chấn chỉnh cán bộ.",
            publish=True,
        )
    for page in (client.get("/pakn/cong-khai/"), APIClient().get("/api/v1/pakn/public/")):
        text = page.content.decode()
        assert "thái độ chưa tốt" in text and "đã chấn chỉnh" in text
        assert "Không đồng ý công khai" not in text
        for value in (*PERSONAL.values(), "0987 654 321", "Mai", "Trường Chinh"):
            assert value not in text, value


def test_api_send_status_rate_and_answer(district):
    dossier = late_dossier(district)
    api = APIClient()
    body = {
        "content": "Hồ sơ quá hạn chưa có kết quả.",
        "sender_name": "Lò Văn Sinh",
        "sender_phone": "0912345678",
        "dossier_code": dossier.code,
        "dossier_factor": dossier.check_code,
    }
    made = api.post("/api/v1/pakn/", body, format="json")
    assert made.status_code == 201, made.content
    code, check = made.json()["code"], made.json()["check_code"]
    assert made.json()["unit"] == district["justice"].name
    refused = api.post("/api/v1/pakn/", {**body, "dossier_factor": ""}, format="json")
    assert refused.status_code == 404 and "Không tìm thấy hồ sơ" in refused.json()["detail"]
    empty = api.post("/api/v1/pakn/", {**body, "content": ""}, format="json")
    assert empty.status_code == 400 and "nội dung" in empty.json()["detail"]
    leader = APIClient()
    leader.force_login(district["leader"])
    assert [r["code"] for r in leader.get("/api/v1/pakn/queue/").json()["results"]] == [code]
    answered = leader.post(f"/api/v1/pakn/{code}/answer/", {"answer": "Đã có kết quả."})
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    status = api.get("/api/v1/pakn/status/", {"code": code, "check": check}).json()
    assert status["answer"] == "Đã có kết quả."
    rate = {"code": code, "check": check, "score": 3}
    assert api.post("/api/v1/pakn/rating/", rate, format="json").status_code == 201
    twice = api.post("/api/v1/pakn/rating/", rate, format="json")
    assert twice.status_code == 409 and "một lần" in twice.json()["detail"]
    closed = leader.post(f"/api/v1/pakn/{code}/answer/", {"answer": "Thêm."})
    assert closed.status_code == 409 and "đã kết thúc" in closed.json()["detail"]


def test_a_citizen_signed_in_with_vneid_needs_no_factor_for_their_own_dossier(client, district):
    own = late_dossier(district)
    other = receive(
        district,
        applicant={**CITIZEN, "id_number": "001090001111", "name": "Hà Văn Khác"},
    )
    session = client.session
    session[SESSION_KEY] = {"id_number": CITIZEN["id_number"], "name": CITIZEN["name"]}
    session.save()
    refused = client.post(SEND, form(ma=other.code, kt=""))
    assert "không phải của ông/bà" in refused.content.decode()
    assert not Feedback.objects.exists()
    sent = client.post(SEND, form(ma=own.code, kt=""))
    assert sent.status_code == 200
    feedback = Feedback.objects.get()
    assert feedback.dossier == own and feedback.channel == "vneid"
    assert feedback.sender_id_number == CITIZEN["id_number"]
    assert CITIZEN["id_number"] not in sent.content.decode()


def test_the_dossier_page_and_the_status_page_lead_to_its_pakn(client, district):
    dossier = late_dossier(district)
    feedback = pakn(dossier)
    status = client.get("/tra-cuu/", {"ma": dossier.code, "kt": dossier.check_code})
    assert f"/pakn/gui/?ma={dossier.code}" in status.content.decode()
    assert dossier.check_code not in status.content.decode().split("/pakn/gui/")[1][:60]
    client.force_login(district["leader"])
    detail = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/pakn/ho-so/{dossier.code}/" in detail
    panel = client.get(f"/pakn/ho-so/{dossier.code}/").content.decode()
    assert feedback.code in panel and "Lò Văn Sinh" not in panel
    client.force_login(district["land_specialist"])  # the dossier is not in their scope
    assert client.get(f"/pakn/ho-so/{dossier.code}/").status_code == 404


@pytest.mark.parametrize(
    "url, body",
    [
        ("/api/v1/pakn/", ["not", "an", "object"]),
        ("/api/v1/pakn/rating/", ["x"]),
        ("/api/v1/pakn/rating/", {"code": "PAKN-1", "check": "AAAAAA", "score": "bốn"}),
        ("/api/v1/pakn/", {"content": {"nested": 1}, "sender_name": "A"}),
    ],
)
def test_odd_api_bodies_get_a_vietnamese_4xx(db, url, body):
    answer = APIClient().post(url, body, format="json")
    assert 400 <= answer.status_code < 500
    assert answer.json()["detail"]
