"""Dossiers citizens submitted on the national portal (DVCQG) reach the portal, against the
real counterpart over HTTP: pulled (by the service and by the beat task in a real worker, the
files OCR'd by a real OCR worker) or pushed signed to the live server. Each is one dossier,
submitted at its unit's counter like an online submission; forged, stale, replayed pushes
and another province's dossiers are refused with a log line; no identity number is logged."""

import base64
import logging
import time

import pytest
from django.conf import settings
from django.urls import reverse

from digitization.models import ScannedFile
from dossiers.models import AuditEvent, Dossier
from integrations.inbound import pull_new
from integrations.models import InboundDossier
from integrations.tasks import pull_national_dossiers

from .scan_files import PAGE_ONE, PAGE_TWO, image_bytes, pdf_bytes

ID_NUMBER = "014190005678"
NATIONAL = "H50.99-251202-0001"


@pytest.fixture
def national(district, counterpart, caplog):
    """The district's procedure offered online, the counterpart emptied, logs captured."""
    caplog.set_level(logging.INFO)
    district["procedure"].online_level = "full"
    district["procedure"].save()
    counterpart.control("POST", "reset")
    yield district
    counterpart.control("POST", "reset")
    assert ID_NUMBER not in caplog.text  # whatever the test did, no identity number logged
    assert ID_NUMBER not in counterpart.log_path.read_text(errors="replace")


def submitted(district, code=NATIONAL, unit=None, **fields):
    """A dossier as a citizen submits it on DVCQG: two scanned papers."""
    return {
        "MaHoSoQG": code,
        "MaTTHC": district["procedure"].national_code,
        "MaDonViNhan": unit or district["counter"].code,
        "ChuHoSo": "Lò Thị Hoa",
        "SoDinhDanh": ID_NUMBER,
        "SoDienThoai": "0987654321",
        "Email": "hoa@example.vn",
        "DiaChi": "Bản Nà, xã Phiêng Ban",
        "TrichYeu": "Chứng thực hợp đồng chuyển nhượng",
        "NgayNop": "20251202080000",
        "TepDinhKem": [
            {
                "TenTep": "phieu-yeu-cau.pdf",
                "MaThanhPhan": "TP1",
                "NoiDungBase64": base64.b64encode(pdf_bytes(PAGE_ONE)).decode(),
            },
            {
                "TenTep": "du-thao.png",
                "MaThanhPhan": "TP2",
                "NoiDungBase64": base64.b64encode(image_bytes(PAGE_TWO)).decode(),
            },
        ],
        **fields,
    }


def assert_submitted(district, code=NATIONAL, via="pull"):
    dossier = Dossier.objects.get(national_inbound__national_code=code)
    assert (dossier.state, dossier.channel) == ("submitted", "dvcqg")
    assert dossier.receiving_unit == district["counter"] and dossier.received_at is None
    assert dossier.applicant.id_number == ID_NUMBER and dossier.applicant.name == "Lò Thị Hoa"
    files = ScannedFile.objects.filter(dossier=dossier)
    assert sorted(f.original_name for f in files) == ["du-thao.png", "phieu-yeu-cau.pdf"]
    assert {f.source for f in files} == {"online"} and all(f.component_id for f in files)
    assert dossier.components.filter(received=True).count() == 2
    assert dossier.national_inbound.received_via == via
    assert "TepDinhKem" in dossier.national_inbound.payload
    assert "NoiDungBase64" not in str(dossier.national_inbound.payload)
    return dossier


# --- pull ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pulled_dossier_is_submitted_at_its_counter_with_its_files(national, counterpart):
    counterpart.control("POST", "offer", json=submitted(national))
    assert pull_new() == {"taken": 1, "duplicates": 0, "refused": 0, "acknowledged": 1}
    dossier = assert_submitted(national)
    assert dossier.national_inbound.acknowledged_at is not None
    acknowledged = counterpart.control("GET", "offered")
    assert acknowledged[0]["MaHoSo"] == dossier.code and acknowledged[0]["acknowledged_at"]
    assert pull_new()["taken"] == 0  # acknowledged: not listed again


@pytest.mark.django_db
def test_pulling_twice_before_the_acknowledgement_is_one_dossier(national, counterpart):
    counterpart.control("POST", "offer", json=submitted(national))
    counterpart.control(
        "POST", "faults", json={"mode": "reject", "count": 1, "services": ["XacNhanDaNhanHoSo"]}
    )
    assert pull_new() == {"taken": 1, "duplicates": 0, "refused": 0, "acknowledged": 0}
    assert InboundDossier.objects.get().acknowledged_at is None
    assert pull_new() == {"taken": 0, "duplicates": 1, "refused": 0, "acknowledged": 1}
    assert Dossier.objects.count() == 1 and ScannedFile.objects.count() == 2


@pytest.mark.django_db
def test_files_are_fetched_from_the_platform_with_a_session(national, counterpart):
    offered = submitted(national)
    for attachment in offered["TepDinhKem"]:
        attachment.pop("NoiDungBase64")  # the counterpart draws a page for each
    offered["TepDinhKem"][0]["TenTep"] = "to-khai.pdf"
    counterpart.control("POST", "offer", json=offered)
    counterpart.control("POST", "expire-sessions")
    assert pull_new()["taken"] == 1
    files = ScannedFile.objects.filter(dossier__national_inbound__national_code=NATIONAL)
    assert sorted(f.original_name for f in files) == ["du-thao.png", "to-khai.pdf"]


@pytest.mark.django_db
def test_pulled_dossiers_we_cannot_take_are_refused_and_say_why(national, counterpart, caplog):
    counterpart.control("POST", "offer", json=submitted(national, code="H51.99-1", unit="H51.01"))
    bad = submitted(national, code="H50.99-2")
    bad["TepDinhKem"][1]["NoiDungBase64"] = base64.b64encode(b"MZ\x90 not a scan" * 20).decode()
    counterpart.control("POST", "offer", json=bad)
    assert pull_new() == {"taken": 0, "duplicates": 0, "refused": 2, "acknowledged": 0}
    assert not Dossier.objects.exists() and not ScannedFile.objects.exists()
    rows = {row.national_code: row.error for row in InboundDossier.objects.all()}
    assert "không thuộc tỉnh Sơn La" in rows["H51.99-1"]
    assert "không hợp lệ" in rows["H50.99-2"]
    assert pull_new()["refused"] == 2  # waiting for a person, not tried again
    assert "DVCQG dossier H51.99-1 (pull) refused" in caplog.text


@pytest.mark.django_db
def test_the_platform_down_loses_nothing(national, counterpart):
    counterpart.control("POST", "offer", json=submitted(national))
    counterpart.control("POST", "faults", json={"mode": "error_500", "count": 1})
    assert "unavailable" in pull_national_dossiers.apply().get()
    assert not Dossier.objects.exists()
    assert pull_national_dossiers.apply().get()["taken"] == 1


@pytest.mark.django_db
def test_the_clerk_accepts_it_like_an_online_dossier(national, counterpart, client):
    counterpart.control("POST", "offer", json=submitted(national))
    pull_new()
    dossier = Dossier.objects.get()
    client.force_login(national["clerk"])
    assert dossier.code in client.get("/ho-so/", {"state": "submitted"}).content.decode()
    client.post(reverse("dossier-action", args=[dossier.code, "accept"]))
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.due_at > dossier.received_at
    assert dossier.national_inbound.national_code == NATIONAL  # what the outbound sync sends


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_the_beat_task_in_a_worker_pulls_and_the_ocr_worker_reads_the_files(
    national, counterpart, celery_worker_process, ocr_workers
):
    from bacyen_portal.celery import app

    ocr_workers()
    counterpart.control("POST", "offer", json=submitted(national))
    result = app.send_task("integrations.pull_national_dossiers")
    assert result.get(timeout=60)["taken"] == 1
    dossier = assert_submitted(national)
    deadline = time.monotonic() + 120
    while ScannedFile.objects.filter(dossier=dossier, state="done").count() < 2:
        assert time.monotonic() < deadline, list(ScannedFile.objects.values("state", "last_error"))
        time.sleep(0.3)
    texts = " ".join(
        page.text for f in ScannedFile.objects.filter(dossier=dossier) for page in f.page_set.all()
    )
    assert "Phiêng Ban" in texts
    logs = list(settings.VAR_DIR.glob("*worker*.log"))
    assert len(logs) >= 2  # the default worker's and the OCR worker's
    for log in logs:
        assert ID_NUMBER not in log.read_text(errors="replace"), log


# --- push ---------------------------------------------------------------------------------


def push_url(live_server):
    return f"{live_server.url}{reverse('dvcqg-push')}"


@pytest.mark.django_db(transaction=True)
def test_a_signed_push_creates_it_and_a_pull_after_it_is_the_same(
    national, counterpart, live_server
):
    offered = submitted(national) | {"push": True, "url": push_url(live_server)}
    pushed = counterpart.control("POST", "offer", json=offered)["push"]
    assert pushed["status"] == 201, pushed
    dossier = assert_submitted(national, via="push")
    assert pushed["answer"] == {"MaHoSoQG": NATIONAL, "MaHoSo": dossier.code, "duplicate": False}
    again = counterpart.control("POST", "push", json={"MaHoSoQG": NATIONAL, "url": offered["url"]})
    assert again["status"] == 200 and again["answer"]["duplicate"] is True
    assert pull_new() == {"taken": 0, "duplicates": 1, "refused": 0, "acknowledged": 1}
    assert Dossier.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_pulled_dossier_pushed_later_is_the_same(national, counterpart, live_server):
    counterpart.control("POST", "offer", json=submitted(national))
    pull_new()
    pushed = counterpart.control(
        "POST", "push", json={"MaHoSoQG": NATIONAL, "url": push_url(live_server)}
    )
    assert pushed["status"] == 200 and pushed["answer"]["duplicate"] is True
    assert Dossier.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_forged_stale_and_replayed_pushes_are_refused(national, counterpart, live_server, caplog):
    url = push_url(live_server)
    counterpart.control("POST", "offer", json=submitted(national))
    answers = {}
    for forge in ("bad_signature", "stale_timestamp", "unsigned"):
        answers[forge] = counterpart.control(
            "POST", "push", json={"MaHoSoQG": NATIONAL, "url": url, "forge": forge}
        )
    assert not Dossier.objects.exists()
    genuine = counterpart.control("POST", "push", json={"MaHoSoQG": NATIONAL, "url": url})
    assert genuine["status"] == 201
    answers["replay"] = counterpart.control(
        "POST", "push", json={"MaHoSoQG": NATIONAL, "url": url, "forge": "replay"}
    )
    statuses = {forge: answer["status"] for forge, answer in answers.items()}
    assert statuses == {
        "bad_signature": 401,
        "stale_timestamp": 401,
        "unsigned": 401,
        "replay": 409,
    }
    assert answers["bad_signature"]["answer"]["detail"] == "Chữ ký của Cổng DVCQG không hợp lệ."
    assert "quá hạn" in answers["stale_timestamp"]["answer"]["detail"]
    assert "trùng" in answers["replay"]["answer"]["detail"]
    assert Dossier.objects.count() == 1
    assert caplog.text.count("DVCQG push refused") == 4
    refused = AuditEvent.objects.filter(action="integrations.dvcqg_push_refused")
    assert sorted(refused.values_list("data__status", flat=True)) == [401, 401, 401, 409]


@pytest.mark.django_db(transaction=True)
def test_another_provinces_dossier_is_refused(national, counterpart, live_server, caplog):
    offered = submitted(national, code="H51.99-0001", unit="H51.01.02")
    pushed = counterpart.control(
        "POST", "offer", json=offered | {"push": True, "url": push_url(live_server)}
    )
    assert pushed["push"]["status"] == 403
    assert "không thuộc tỉnh Sơn La" in pushed["push"]["answer"]["detail"]
    assert not Dossier.objects.exists()
    assert InboundDossier.objects.get().error
    assert "DVCQG push refused (403)" in caplog.text
    assert AuditEvent.objects.filter(action="integrations.dvcqg_push_refused").count() == 1


@pytest.mark.django_db
def test_what_a_client_can_send_wrong_is_a_vietnamese_refusal(national, client):
    url = reverse("dvcqg-push")
    unsigned = client.post(url, b"{}", content_type="application/json")
    assert unsigned.status_code == 401 and unsigned.json() == {
        "detail": "Thiếu chữ ký của Cổng DVCQG."
    }
    odd = client.post(
        url,
        b"not json",
        content_type="application/json",
        headers={"X-DVCQG-Timestamp": "abc", "X-DVCQG-Nonce": "n", "X-DVCQG-Signature": "s"},
    )
    assert odd.status_code == 401 and odd.json()["detail"]
    assert client.get(url).status_code == 405


def test_a_platform_that_keeps_failing_is_not_pulled_from_until_the_breaker_allows(
    national, counterpart
):
    counterpart.control("POST", "offer", json=submitted(national))
    counterpart.control("POST", "faults", json={"mode": "error_500", "count": 100})
    for _ in range(settings.DVCQG_BREAKER_FAILURES):
        assert "unavailable" in pull_national_dossiers.apply().get()
    asked = counterpart.control("GET", "stats")["requests"]
    stopped = pull_national_dossiers.apply().get()
    assert "tạm ngừng nhận hồ sơ" in stopped["unavailable"]
    assert counterpart.control("GET", "stats")["requests"] == asked  # not even asked
    assert not Dossier.objects.exists()
