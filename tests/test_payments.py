"""Fee payment over real HTTP: the portal's signed request to the counterpart payment platform,
the platform's confirmation to the portal's callback on the live server (wrong checksum, wrong
amount, unknown reference, replay), the counter's payment, no return before the fee is paid,
refund due on refusal, and the daily reconciliation."""

import json

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone

from dossiers import services
from dossiers.models import AuditEvent
from dossiers.services.errors import WorkflowError
from integrations import payment_messages, payments
from integrations.models import Payment
from integrations.payment_reconciliation import reconcile
from reporting.payment_measures import dossiers_behind, online_payment_share

from .counterpart_fixtures import PAYMENT_SECRET
from .factories import staff
from .payment_fixtures import FEE, sha256_mac, start, submit
from .test_stop_at_request import to_result_ready
from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db(transaction=True)
INIT_ORDER = (
    "LoaiBanTin PhienBan MaDoiTac MaThamChieu SoTien LoaiHinhThanhToan MaKenhThanhToan "
    "MaThietBi NgonNgu MaTienTe MaNganHang ThongTinGiaoDich ThoiGianGD Ip"
).split()
CONFIRM_ORDER = (
    "LoaiBanTin MaLoi MaDoiTac MaThamChieu SoTien MaTienTe MaGiaoDich MaNganHang ThoiGianGD "
    "ThongTinGiaoDich"
).split()


def received(counterpart, reference):
    [row] = counterpart.payment_control("GET", "received", params={"MaThamChieu": reference})
    return row


def pay(counterpart, reference, paid=True):
    return counterpart.payment_control("POST", "pay", json={"MaThamChieu": reference, "paid": paid})


def post_callback(live_server, body, raw=None):
    url = f"{live_server.url}/thanh-toan/api/ket-qua/"
    if raw is not None:
        return httpx.post(url, content=raw, headers={"Content-Type": "application/json"})
    return httpx.post(url, json=body)


def signed(message):
    return {**message, "MaXacThuc": sha256_mac(message, CONFIRM_ORDER, PAYMENT_SECRET)}


def confirmation(payment, **changes):
    return signed(
        {
            "LoaiBanTin": "CONFIRM",
            "MaLoi": "00",
            "MaDoiTac": "SONLA-MOTCUA",
            "MaThamChieu": payment.reference,
            "SoTien": str(payment.amount),
            "MaTienTe": "VND",
            "MaGiaoDich": "GD-FORGED-1",
            "MaNganHang": "PAYMENT",
            "ThoiGianGD": "20261203090000",
            "ThongTinGiaoDich": "x",
            **changes,
        }
    )


def test_the_request_carries_the_platform_message_and_its_checksum(
    live_server, counterpart, fee_district
):
    dossier = submit(fee_district)
    url = start(live_server, dossier)
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.state, payment.amount, payment.channel) == ("pending", FEE, "online")
    assert url.startswith(f"{counterpart.url}/payment/trang/")
    message = received(counterpart, payment.reference)["message"]
    assert {
        k: message[k] for k in ("LoaiBanTin", "PhienBan", "MaDoiTac", "SoTien", "MaTienTe")
    } == {
        "LoaiBanTin": "INIT",
        "PhienBan": "1.0.6",
        "MaDoiTac": "SONLA-MOTCUA",
        "SoTien": "15000",
        "MaTienTe": "VND",
    }
    assert message["MaThamChieu"] == payment.reference
    assert message["MaXacThuc"] == sha256_mac(message, INIT_ORDER, PAYMENT_SECRET)
    receipt = message["ThongTinBienLai"]
    assert receipt["MaHoSo"] == dossier.code
    assert receipt["MaTTHC"] == fee_district["procedure"].national_code
    assert receipt["MaDVC"] == f"{fee_district['procedure'].national_code}.01"
    assert receipt["MaDonVi"] == fee_district["counter"].code
    assert (receipt["TKThuHuong"], receipt["MaNHThuHuong"]) == ("3511.0.1056789", "KBNN")
    assert receipt["KhoBac"] == "Kho bạc Nhà nước Sơn La"
    assert (receipt["HoTenNguoiNop"], receipt["SoCMNDNguoiNop"]) == ("Lò Văn Sinh", "014090001234")
    assert receipt["DSKhoanNop"] == [{"NoiDung": message["ThongTinGiaoDich"], "SoTien": "15000"}]


def test_a_request_signed_with_another_secret_is_refused_and_left_failed(
    live_server, counterpart, fee_district, settings
):
    settings.PAYMENT_SECRET = "not-the-shared-secret"
    dossier = submit(fee_district)
    with pytest.raises(payments.PaymentError) as refused:
        start(live_server, dossier)
    assert "Sai mã xác thực" in refused.value.message
    assert Payment.objects.get(dossier=dossier).state == "failed"


def test_paid_on_the_platform_then_the_same_confirmation_again_changes_nothing(
    live_server, counterpart, fee_district
):
    dossier = submit(fee_district)
    start(live_server, dossier)
    payment = Payment.objects.get(dossier=dossier)
    done = pay(counterpart, payment.reference)
    assert done["callback"]["status"] == 200 and done["callback"]["answer"]["MaLoi"] == "00"
    payment.refresh_from_db()
    assert payment.state == "paid" and payment.receipt_number == done["receipt_number"] != ""
    assert payment.transaction_id.startswith("GD") and payment.paid_at is not None
    before = payment.updated_at
    replay = counterpart.payment_control("POST", "resend", json={"MaThamChieu": payment.reference})
    assert replay["callback"]["status"] == 200
    assert replay["callback"]["answer"] == {"MaLoi": "00", "MoTaLoi": "Đã ghi nhận trước đó."}
    payment.refresh_from_db()
    assert payment.updated_at == before
    # A different confirmation for the paid reference (another transaction id) is refused.
    other = post_callback(live_server, confirmation(payment))
    assert (other.status_code, other.json()["MaLoi"]) == (400, "05")
    payment.refresh_from_db()
    assert payment.transaction_id != "GD-FORGED-1" and payment.updated_at == before
    assert (
        AuditEvent.objects.filter(action="payment.confirmed", object_id=str(dossier.pk)).count()
        == 1
    )


def test_a_confirmation_with_a_wrong_checksum_is_refused(live_server, counterpart, fee_district):
    dossier = submit(fee_district)
    start(live_server, dossier)
    payment = Payment.objects.get(dossier=dossier)
    counterpart.payment_control("POST", "faults", json={"mode": "bad_checksum", "count": 1})
    done = pay(counterpart, payment.reference)
    assert done["callback"]["status"] == 400
    assert done["callback"]["answer"] == {"MaLoi": "02", "MoTaLoi": "Sai mã xác thực (MaXacThuc)."}
    payment.refresh_from_db()
    assert payment.state == "pending" and payment.receipt_number == ""
    # The platform's own confirmation, sent again with its right checksum, is taken.
    again = counterpart.payment_control("POST", "resend", json={"MaThamChieu": payment.reference})
    assert again["callback"]["answer"]["MaLoi"] == "00"
    payment.refresh_from_db()
    assert payment.state == "paid"


def test_wrong_amount_unknown_reference_and_bad_input_are_answered_not_crashed(
    live_server, counterpart, fee_district
):
    dossier = submit(fee_district)
    start(live_server, dossier)
    payment = Payment.objects.get(dossier=dossier)
    cheaper = post_callback(live_server, confirmation(payment, SoTien="1500"))
    assert (cheaper.status_code, cheaper.json()["MaLoi"]) == (400, "04")
    unknown = post_callback(live_server, confirmation(payment, MaThamChieu="KHONGCO123"))
    assert (unknown.status_code, unknown.json()["MaLoi"]) == (400, "03")
    assert "mã tham chiếu" in unknown.json()["MoTaLoi"]
    for raw in (b"{not json", b"[1, 2]", "\u00ff".encode("latin-1"), b'{"MaThamChieu": null}'):
        bad = post_callback(live_server, None, raw=raw)
        assert bad.status_code == 400 and bad.json()["MaLoi"] == "01", raw
    not_a_number = post_callback(live_server, confirmation(payment, SoTien="mười lăm nghìn"))
    assert not_a_number.json()["MaLoi"] == "04"
    payment.refresh_from_db()
    assert payment.state == "pending" and not payment.confirmation


def test_no_return_before_the_fee_is_paid_then_the_counter_records_it(
    live_server, counterpart, fee_district, settings
):
    settings.PAYMENT_REQUIRED_FROM = "2020-01-01"
    d = fee_district
    dossier = to_result_ready(d, receive(d))
    with pytest.raises(WorkflowError) as refused:
        services.return_result(dossier.pk, actor=d["clerk"])
    assert refused.value.status == 409 and "chưa nộp lệ phí (15.000 đồng)" in refused.value.message
    # Another unit's clerk may not record it; the dossier's clerk may, once.
    stranger = staff(d["justice"], "clerk", username="motcua.khac")
    with pytest.raises(payments.PaymentError) as other_unit:
        payments.record_counter_payment(dossier.pk, receipt_number="BL-0001", actor=stranger)
    assert other_unit.value.status == 403
    with pytest.raises(payments.PaymentError):
        payments.record_counter_payment(dossier.pk, receipt_number="số <b>", actor=d["clerk"])
    paid = payments.record_counter_payment(dossier.pk, receipt_number="BL-0001", actor=d["clerk"])
    assert (paid.state, paid.channel, paid.receipt_number, paid.amount) == (
        "paid",
        "counter",
        "BL-0001",
        FEE,
    )
    with pytest.raises(payments.PaymentError) as twice:
        payments.record_counter_payment(dossier.pk, receipt_number="BL-0002", actor=d["clerk"])
    assert twice.value.status == 409
    audit = AuditEvent.objects.get(action="payment.counter")
    assert audit.actor == d["clerk"] and audit.data["receipt_number"] == "BL-0001"
    returned, _ = services.return_result(dossier.pk, actor=d["clerk"])
    assert returned.state == "returned"
    # The same receipt number cannot serve a second dossier.
    second = receive(d, applicant={"kind": "person", "id_number": "014090009999", "name": "A"})
    with pytest.raises(payments.PaymentError) as reused:
        payments.record_counter_payment(second.pk, receipt_number="BL-0001", actor=d["clerk"])
    assert reused.value.status == 409 and Payment.objects.filter(dossier=second).count() == 0


def test_a_procedure_without_a_fee_is_returned_without_payment(fee_district, settings):
    settings.PAYMENT_REQUIRED_FROM = "2020-01-01"
    d = fee_district
    d["procedure"].fee_vnd = 0
    d["procedure"].save()
    dossier = to_result_ready(d, receive(d))
    returned, _ = services.return_result(dossier.pk, actor=d["clerk"])
    assert returned.state == "returned" and not Payment.objects.exists()
    with pytest.raises(payments.PaymentError, match="không thu phí"):
        payments.record_counter_payment(dossier.pk, receipt_number="BL-9", actor=d["clerk"])


def test_a_refused_dossier_paid_online_is_due_a_refund(live_server, counterpart, fee_district):
    d = fee_district
    dossier = submit(d)
    start(live_server, dossier)
    payment = Payment.objects.get(dossier=dossier)
    pay(counterpart, payment.reference)
    services.refuse(dossier.pk, actor=d["clerk"], reason="Không thuộc thẩm quyền")
    payment.refresh_from_db()
    assert payment.state == "refund_due"
    with pytest.raises(payments.PaymentError):  # nothing more to pay on a refused dossier
        start(live_server, dossier)
    assert AuditEvent.objects.filter(action="payment.refund_due").count() == 1


def test_reconciliation_is_clean_then_shows_the_dropped_callback(
    live_server, counterpart, fee_district, capsys
):
    d = fee_district
    first, second = submit(d), submit(d, id_number="014090002222", name="Hà Thị Mai")
    for dossier in (first, second):
        start(live_server, dossier)
        pay(counterpart, Payment.objects.get(dossier=dossier).reference)
    today = timezone.localdate()
    clean = reconcile(today)
    assert (clean.platform_count, clean.portal_count, clean.differences) == (2, 2, [])
    third = submit(d, id_number="014090003333", name="Cầm Văn Ba")
    start(live_server, third)
    dropped = Payment.objects.get(dossier=third)
    counterpart.payment_control("POST", "faults", json={"mode": "drop_callback", "count": 1})
    assert pay(counterpart, dropped.reference)["callback"] == {"sent": False}
    call_command("reconcile_payments", "--date", today.isoformat())
    assert "1 chênh lệch" in capsys.readouterr().out
    row = reconcile(today)
    assert [(x["reference"], x["kind"]) for x in row.differences] == [(dropped.reference, "state")]
    assert row.differences[0]["portal"]["state"] == "pending"
    assert row.differences[0]["platform"] == {
        "amount": "15000",
        "state": "1",
        "state_label": "Thành công",
    }
    # While the platform is down the day's row says so instead of claiming a clean day.
    counterpart.payment_control("POST", "faults", json={"mode": "down"})
    try:
        assert "HTTP 503" in reconcile(today).error
    finally:
        counterpart.payment_control("POST", "faults", json={"mode": "none"})


def test_online_payment_share_per_unit_with_the_dossiers_behind_it(
    live_server, counterpart, fee_district, django_assert_max_num_queries
):
    d = fee_district
    paid, unpaid = submit(d), submit(d, id_number="014090004444", name="Lường Thị Hoa")
    start(live_server, paid)
    pay(counterpart, Payment.objects.get(dossier=paid).reference)
    for dossier in (paid, unpaid):
        services.accept(dossier.pk, actor=d["clerk"])
    start_day = timezone.now() - timezone.timedelta(days=1)
    until = timezone.now() + timezone.timedelta(days=1)
    units = [d["counter"].pk]
    assert online_payment_share(units, start_day, until) == [
        {
            "unit_id": d["counter"].pk,
            "unit": d["counter"].name,
            "with_fee": 2,
            "paid_online": 1,
            "share": 50.0,
        }
    ]
    with django_assert_max_num_queries(1):
        behind = [(x.code, x.fee, x.paid_online) for x in dossiers_behind(units, start_day, until)]
    assert sorted(behind) == sorted([(paid.code, FEE, True), (unpaid.code, FEE, False)])


def test_checksum_helpers_agree_with_an_independent_computation():
    message = {"LoaiBanTin": "CONFIRM", "MaLoi": "00", "SoTien": "1"}
    assert payment_messages.checksum(message, CONFIRM_ORDER, "s") == sha256_mac(
        message, CONFIRM_ORDER, "s"
    )
    assert payment_messages.confirmation_is_signed(signed(message), PAYMENT_SECRET)
    assert not payment_messages.confirmation_is_signed(json.loads(json.dumps(message)), "")


def test_while_the_platform_is_down_the_citizen_is_told_and_nothing_stays_pending(
    live_server, counterpart, fee_district
):
    dossier = submit(fee_district)
    counterpart.payment_control("POST", "faults", json={"mode": "down"})
    try:
        with pytest.raises(payments.PaymentError) as down:
            start(live_server, dossier)
    finally:
        counterpart.payment_control("POST", "faults", json={"mode": "none"})
    assert down.value.status == 503 and "HTTP 503" in down.value.message
    assert Payment.objects.get(dossier=dossier).state == "failed"
    start(live_server, dossier)  # once it is back, a new request is taken
    assert list(Payment.objects.filter(dossier=dossier).values_list("state", flat=True)) == [
        "pending",
        "failed",
    ]


def test_the_nightly_reconciliation_task_is_routed_to_the_default_queue(
    live_server, counterpart, fee_district, settings
):
    from bacyen_portal.celery import app
    from integrations.tasks import reconcile_payments

    assert app.amqp.router.route({}, "integrations.reconcile_payments")["queue"].name == "default"
    assert (
        settings.CELERY_BEAT_SCHEDULE["integrations-reconcile-payments"]["task"]
        == "integrations.reconcile_payments"
    )
    dossier = submit(fee_district)
    start(live_server, dossier)
    pay(counterpart, Payment.objects.get(dossier=dossier).reference)
    today = timezone.localdate().isoformat()
    assert reconcile_payments.apply(args=[today]).get() == {
        "day": today,
        "differences": 0,
        "error": "",
    }


def test_a_payment_given_up_on_the_platform_is_failed_and_the_control_needs_its_token(
    live_server, counterpart, fee_district
):
    dossier = submit(fee_district)
    start(live_server, dossier)
    payment = Payment.objects.get(dossier=dossier)
    done = pay(counterpart, payment.reference, paid=False)
    assert done["callback"]["answer"]["MaLoi"] == "00" and done["receipt_number"] == ""
    payment.refresh_from_db()
    assert (payment.state, payment.receipt_number, payment.paid_at) == ("failed", "", None)
    start(live_server, dossier)  # the citizen may try again
    assert Payment.objects.filter(dossier=dossier, state="pending").count() == 1
    anonymous = httpx.get(f"{counterpart.url}/payment/control/received")
    assert anonymous.status_code == 403
