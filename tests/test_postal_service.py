"""The public postal service (bưu chính công ích, QĐ 45/2016/QĐ-TTg) over real HTTP: the
applicant's choice at reception, the shipment order the local counterpart (counterpart/post)
takes, its refusals and outages, the signed tracking updates it pushes to the portal's
callback, and the delivery that returns the dossier at the hand-over moment."""

import time
from datetime import timedelta

import httpx
import pytest
from django.http import QueryDict
from django.utils import timezone

from dossiers import services
from dossiers.models import AuditEvent, Dossier, PrintedForm
from dossiers.services import receive_dossier
from dossiers.services.errors import WorkflowError
from dossiers.workflow import State
from integrations import postal
from integrations.models import PostalChoice, Shipment, ShipmentUpdate

from .test_printed_forms import pdf_text
from .workflow_fixtures import CITIZEN, all_components

pytestmark = [pytest.mark.django_db(transaction=True)]
STREET = "Bản Hua Cà, số nhà 12"


@pytest.fixture
def post(counterpart):
    counterpart.post_control("POST", "reset")
    yield counterpart
    counterpart.post_control("POST", "faults", json={"mode": "none"})


def choice(province, **extra):
    data = QueryDict(mutable=True)
    data.update(
        {
            "postal_return": "post",
            "postal_street": STREET,
            "postal_commune": province["ta_xua"].code,
            "postal_phone": "0987 654 321",
            **extra,
        }
    )
    return data


def receive_by_post(province, **extra):
    procedure = province["commune_procedure"]
    return receive_dossier(
        actor=province["clerk_bac_yen"],
        procedure=procedure,
        applicant=CITIZEN,
        components=all_components(procedure),
        form_data=choice(province, **extra),
    )


def to_result_ready(province, dossier):
    services.assign(dossier.pk, actor=province["clerk_bac_yen"])
    services.propose_result(dossier.pk, actor=province["specialist_bac_yen"])
    services.approve(dossier.pk, actor=province["leader_bac_yen"])
    return Dossier.objects.get(pk=dossier.pk)


def ordered(province, dossier):
    """«Gửi kết quả qua bưu chính» by the clerk: the order is written, not yet sent."""
    services.take_action("send_by_post", dossier.pk, actor=province["clerk_bac_yen"])
    return Shipment.objects.get(dossier=dossier)


def orders(post):
    return post.post_control("GET", "orders")


def test_the_order_names_the_counter_the_applicant_todays_units_the_fee_and_the_code(
    post, province
):
    procedure = province["commune_procedure"]
    procedure.fee_vnd = 50000
    procedure.save()
    dossier = to_result_ready(province, receive_by_post(province, postal_cod="1"))
    shipment = ordered(province, dossier)
    assert shipment.state == Shipment.State.PENDING and orders(post) == []
    assert postal.send_shipment(shipment.pk) == Shipment.State.SENT
    shipment.refresh_from_db()
    [taken] = orders(post)
    assert shipment.tracking_code == taken["itemCode"] and len(taken["itemCode"]) == 13
    info = taken["payload"]["informationOrder"]
    ta_xua, centre = province["ta_xua"], province["bac_yen"]
    assert info["saleOrderCode"] == f"{dossier.code}-KQ" == shipment.order_code
    assert info["senderName"] == centre.counter_label
    assert (info["receiverName"], info["receiverPhone"]) == (CITIZEN["name"], "0987654321")
    assert info["receiverAddress"] == STREET
    assert info["receiverCommuneCode"] == (ta_xua.statistical_code or ta_xua.code)
    assert info["receiverCommuneName"] == ta_xua.name
    province_unit = province["province"]
    assert info["receiverProvinceCode"] == (province_unit.statistical_code or province_unit.code)
    assert info["addonService"] == [{"code": "COD", "propValue": "COD:50000"}]
    assert shipment.cod_amount == 50000 and dossier.code in info["contentNote"]
    # The step is in the history; the dossier waits for the hand-over.
    assert Dossier.objects.get(pk=dossier.pk).state == State.RESULT_READY
    assert dossier.events.filter(action="send_by_post").count() == 1
    # Pressed twice: refused, one order.
    with pytest.raises(WorkflowError, match="đã có đơn"):
        services.take_action("send_by_post", dossier.pk, actor=province["clerk_bac_yen"])
    assert postal.send_shipment(shipment.pk) == "done"
    assert len(orders(post)) == 1


def test_an_applicant_who_chose_the_counter_has_no_order(post, province):
    procedure = province["commune_procedure"]
    dossier = receive_dossier(
        actor=province["clerk_bac_yen"],
        procedure=procedure,
        applicant=CITIZEN,
        components=all_components(procedure),
        form_data=QueryDict("postal_return=counter"),
    )
    dossier = to_result_ready(province, dossier)
    with pytest.raises(WorkflowError, match="không chọn nhận kết quả qua bưu chính"):
        services.take_action("send_by_post", dossier.pk, actor=province["clerk_bac_yen"])
    assert not Shipment.objects.exists()
    assert not dossier.events.filter(action="send_by_post").exists()


def test_an_address_in_no_commune_of_todays_map_is_refused_before_anything_is_sent(post, province):
    # At reception: the whole dossier is refused, with the reason in Vietnamese.
    with pytest.raises(WorkflowError) as refused:
        receive_by_post(province, postal_commune="H50.99999")
    assert refused.value.message == postal.NO_UNIT and refused.value.field == "postal_commune"
    assert not Dossier.objects.exists() and not PostalChoice.objects.exists()
    # The commune ended (merged) after the choice: the order is refused before sending.
    dossier = to_result_ready(province, receive_by_post(province))
    ta_xua = province["ta_xua"]
    ta_xua.valid_to = timezone.localdate() - timedelta(days=1)
    ta_xua.save()
    with pytest.raises(WorkflowError) as refused:
        services.take_action("send_by_post", dossier.pk, actor=province["clerk_bac_yen"])
    assert refused.value.message == postal.NO_UNIT
    assert not Shipment.objects.exists() and orders(post) == []
    assert not dossier.events.filter(action="send_by_post").exists()


def test_a_refused_order_shows_its_reason_and_goes_again_once_corrected(post, province, client):
    dossier = to_result_ready(province, receive_by_post(province))
    shipment = ordered(province, dossier)
    message = "Không tìm thấy địa chỉ người nhận"
    post.post_control("POST", "faults", json={"mode": "refuse", "count": 1, "message": message})
    assert postal.send_shipment(shipment.pk) == Shipment.State.REJECTED
    shipment.refresh_from_db()
    assert message in shipment.last_error and shipment.tracking_code == ""
    assert postal.due_shipments() == []  # a refusal waits for a person, not the sweeper
    client.force_login(province["clerk_bac_yen"])
    panel = client.get(f"/dong-bo/buu-chinh/ho-so/{dossier.code}/").content.decode()
    assert "Bưu chính từ chối đơn" in panel and message in panel
    answer = client.post(
        f"/dong-bo/buu-chinh/ho-so/{dossier.code}/gui-lai/",
        {
            "postal_street": "Bản Hua Cà, nhà văn hóa",
            "postal_commune": province["ta_xua"].code,
            "postal_phone": "0987654321",
        },
    )
    assert answer.status_code == 302
    shipment.refresh_from_db()
    assert shipment.state == Shipment.State.PENDING
    assert shipment.payload["informationOrder"]["receiverAddress"] == "Bản Hua Cà, nhà văn hóa"
    assert postal.send_shipment(shipment.pk) == Shipment.State.SENT
    [taken] = orders(post)
    assert taken["payload"]["informationOrder"]["receiverAddress"] == "Bản Hua Cà, nhà văn hóa"


def test_a_service_that_is_down_or_slow_is_tried_again_and_takes_the_order_once(post, province):
    dossier = to_result_ready(province, receive_by_post(province))
    shipment = ordered(province, dossier)
    post.post_control("POST", "faults", json={"mode": "down", "count": 1})
    assert postal.send_shipment(shipment.pk) == Shipment.State.PENDING
    shipment.refresh_from_db()
    assert "HTTP 503" in shipment.last_error and shipment.next_attempt_at > timezone.now()
    assert postal.due_shipments() == []  # its retry is not due yet
    assert postal.send_shipment(shipment.pk) == "waiting"  # a second hand-over waits too
    Shipment.objects.filter(pk=shipment.pk).update(next_attempt_at=timezone.now())
    assert postal.due_shipments() == [shipment.pk]
    # The service takes the order but answers after the portal stopped waiting (3 s).
    post.post_control("POST", "faults", json={"mode": "timeout", "count": 1, "delay_seconds": 5})
    assert postal.send_shipment(shipment.pk) == Shipment.State.PENDING
    assert len(orders(post)) == 1
    time.sleep(2.5)  # the counterpart's slow answer ends
    Shipment.objects.filter(pk=shipment.pk).update(next_attempt_at=None)
    assert postal.send_shipment(shipment.pk) == Shipment.State.SENT
    shipment.refresh_from_db()
    [taken] = orders(post)
    assert taken["duplicates"] == 1 and shipment.tracking_code == taken["itemCode"]
    assert shipment.attempts == 3


def sent(post, province):
    dossier = to_result_ready(province, receive_by_post(province))
    shipment = ordered(province, dossier)
    assert postal.send_shipment(shipment.pk) == Shipment.State.SENT
    shipment.refresh_from_db()
    return dossier, shipment


def deliver(post, shipment, live_server, **extra):
    url = f"{live_server.url}/api/v1/integrations/buu-chinh/hanh-trinh/"
    body = {"itemCode": shipment.tracking_code, "url": url, **extra}
    return post.post_control("POST", "deliver", json=body)


def test_pushed_updates_need_the_signature_and_count_once(post, province, live_server):
    dossier, shipment = sent(post, province)
    for forge in ("bad_signature", "unsigned", "stale_timestamp"):
        pushed = deliver(post, shipment, live_server, status="12", forge=forge)["push"]
        assert pushed["status"] == 401, (forge, pushed)
        assert (
            "chữ ký" in pushed["answer"]["detail"].lower()
            or "quá hạn" in pushed["answer"]["detail"]
        )
    assert not ShipmentUpdate.objects.exists()
    note = "Bưu tá đang đi phát"
    pushed = deliver(post, shipment, live_server, status="12", note=note)["push"]
    assert pushed["status"] == 200 and pushed["answer"]["duplicate"] is False
    replayed = deliver(post, shipment, live_server, forge="replay")["push"]
    assert replayed["status"] == 200 and replayed["answer"]["duplicate"] is True
    assert ShipmentUpdate.objects.filter(status="12").count() == 1
    shipment.refresh_from_db()
    assert shipment.status_label == "Đang phát" and shipment.delivered_at is None
    # Garbage and an unknown tracking code: a clear refusal, never a 500.
    url = f"{live_server.url}/api/v1/integrations/buu-chinh/hanh-trinh/"
    assert httpx.post(url, content=b"{", timeout=10).status_code == 401
    assert Dossier.objects.get(pk=dossier.pk).state == State.RESULT_READY


def test_the_delivery_returns_the_dossier_at_the_hand_over_moment(post, province, live_server):
    dossier, shipment = sent(post, province)
    result = deliver(post, shipment, live_server)
    assert result["push"]["status"] == 200, result
    handed_over = ShipmentUpdate.objects.get(status="14").at
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    assert dossier.returned_at == handed_over
    assert (
        handed_over.isoformat()
        == timezone.datetime.fromisoformat(result["step"]["time"]).isoformat()
    )
    event = dossier.events.get(action="return_result")
    assert event.actor is None and event.at == handed_over
    assert shipment.tracking_code in event.note
    shipment.refresh_from_db()
    assert shipment.delivered_at == handed_over
    # The same delivery pushed again changes nothing.
    again = deliver(post, shipment, live_server, forge="replay")["push"]
    assert again["answer"]["duplicate"] is True
    assert dossier.events.filter(action="return_result").count() == 1


def test_tracking_pulled_when_nothing_is_pushed_returns_the_dossier_too(post, province):
    dossier, shipment = sent(post, province)
    post.post_control("POST", "deliver", json={"itemCode": shipment.tracking_code, "push": False})
    counts = postal.pull_tracking()
    assert counts["asked"] == 1 and counts["recorded"] == 2  # created, delivered
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    assert dossier.returned_at == ShipmentUpdate.objects.get(status="14").at
    assert postal.pull_tracking()["asked"] == 0


def test_the_receipt_prints_the_return_by_post(post, province):
    dossier = receive_by_post(province)
    receipt = PrintedForm.objects.get(dossier=dossier, kind="receipt")
    text = pdf_text(receipt.pdf.read())
    assert "Hình thức nhận kết quả: qua dịch vụ bưu chính công ích" in text
    assert STREET in text and province["ta_xua"].name in text
    counter_only = receive_dossier(
        actor=province["clerk_bac_yen"],
        procedure=province["commune_procedure"],
        applicant={**CITIZEN, "id_number": "014090001235"},
        components=[],
        form_data=QueryDict("postal_return=counter"),
    )
    other = PrintedForm.objects.get(dossier=counter_only, kind="receipt")
    assert "bưu chính" not in pdf_text(other.pdf.read())


def test_reports_count_dossiers_by_post_as_direct_and_the_postal_share(post, province):
    from reporting.periods import month
    from reporting.postal import postal_dossiers, postal_share
    from reporting.tables import monthly_table

    procedure = province["commune_procedure"]
    papers_by_post = receive_dossier(
        actor=province["clerk_bac_yen"],
        procedure=procedure,
        applicant={**CITIZEN, "id_number": "014090001236"},
        components=[],
        channel="post",
    )
    assert papers_by_post.channel == "post"
    counter = receive_dossier(
        actor=province["clerk_bac_yen"],
        procedure=procedure,
        applicant={**CITIZEN, "id_number": "014090001237"},
        components=[],
    )
    returned_by_post = receive_by_post(province)
    dossier = to_result_ready(province, returned_by_post)
    shipment = ordered(province, dossier)
    postal.send_shipment(shipment.pk)
    shipment.refresh_from_db()
    post.post_control("POST", "deliver", json={"itemCode": shipment.tracking_code, "push": False})
    postal.pull_tracking()
    to_result_ready(province, counter)
    services.return_result(counter.pk, actor=province["clerk_bac_yen"])
    today = timezone.localdate()
    period = month(today.year, today.month)
    unit = province["province"]
    total = monthly_table(unit, period).total
    assert total["new_direct"] == 3 and total["new_online"] == 0
    share = postal_share(unit, period)
    assert (share.received, share.received_by_post) == (3, 1)
    assert (share.returned, share.returned_by_post) == (2, 1)
    assert (share.received_rate, share.returned_rate) == (33.3, 50.0)
    assert [d.code for d in postal_dossiers(unit, period, "received_by_post")] == [
        papers_by_post.code
    ]
    assert [d.code for d in postal_dossiers(unit, period, "returned_by_post")] == [dossier.code]
    # Another commune's share does not see them.
    assert postal_share(province["ta_xua"], period).received == 0


def test_the_reception_form_posts_the_choice_and_the_papers_by_post(post, province, client):
    clerk = province["clerk_bac_yen"]
    client.force_login(clerk)
    code = province["commune_procedure"].national_code
    page = client.get("/tiep-nhan/", {"thu_tuc": code}).content.decode()
    assert 'name="channel"' in page and "/dong-bo/buu-chinh/chon/" in page
    panel = client.get("/dong-bo/buu-chinh/chon/", {"procedure": code}).content.decode()
    assert 'name="postal_return"' in panel and province["ta_xua"].name in panel
    assert province["so"].name not in panel  # a department is no address
    form = {
        "kind": "person",
        "id_number": CITIZEN["id_number"],
        "name": CITIZEN["name"],
        "phone": CITIZEN["phone"],
        "procedure": code,
        "idempotency_key": "k1",
        "channel": "post",
        "postal_return": "post",
        "postal_street": STREET,
        "postal_commune": "KHONG.CO",
    }
    bad = client.post("/tiep-nhan/", form)
    assert bad.status_code == 200 and postal.NO_UNIT in bad.content.decode()
    assert not Dossier.objects.exists()
    posted = client.post("/tiep-nhan/", {**form, "postal_commune": province["ta_xua"].code})
    assert posted.status_code == 302, posted.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.channel == "post"
    chosen = PostalChoice.objects.get(dossier=dossier)
    assert chosen.return_by_post and chosen.phone == "0912345678"  # the applicant's own
    # The panel on the dossier page: within the unit's scope, its reads logged.
    shown = client.get(f"/dong-bo/buu-chinh/ho-so/{dossier.code}/").content.decode()
    assert STREET in shown and "Chưa có đơn gửi" in shown
    assert AuditEvent.objects.filter(action="postal.view", actor=clerk).count() == 1
    client.force_login(province["clerk_ta_xua"])  # another commune's counter
    assert client.get(f"/dong-bo/buu-chinh/ho-so/{dossier.code}/").status_code == 404
    assert client.post(f"/dong-bo/buu-chinh/ho-so/{dossier.code}/gui-lai/").status_code == 404


def test_the_status_page_says_where_a_result_by_post_is(post, province, client, live_server):
    def page(dossier):
        dossier.refresh_from_db()
        answer = client.get("/tra-cuu/", {"ma": dossier.code, "kt": dossier.check_code})
        assert answer.status_code == 200
        return answer.content.decode()

    dossier = to_result_ready(province, receive_by_post(province))
    assert "sẽ được gửi đến địa chỉ đã đăng ký" in page(dossier)
    shipment = ordered(province, dossier)
    assert "đang được chuyển cho bưu chính" in page(dossier)
    assert postal.send_shipment(shipment.pk) == Shipment.State.SENT
    shipment.refresh_from_db()
    shown = page(dossier)
    assert f"mã vận đơn {shipment.tracking_code}" in shown and "không cần đến" in shown
    assert STREET not in shown and "0987" not in shown  # no address or phone on a public page
    deliver(post, shipment, live_server)
    assert "Bưu chính đã phát kết quả cho người nhận ngày" in page(dossier)
    # An applicant who collects at the counter gets no such line.
    counter = to_result_ready(province, receive_by_post(province, postal_return="counter"))
    assert "bưu chính" not in page(counter)
