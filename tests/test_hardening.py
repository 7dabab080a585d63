"""Each of these would have caught a defect found in review: forged client addresses, paging
rows without a date, a commune's inter-agency dossier, lateness shown to citizens, the clock
during a supplement, Mẫu 01 after online acceptance, bad input that reached the database,
idempotency keys across units, refusal after reception, diacritics in applicant search."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import AuditEvent, Dossier, PrintedForm
from dossiers.services import ReceivedComponent, WorkflowError

from .factories import ProcedureFactory, UnitFactory, UnitLevelFactory, staff
from .workflow_fixtures import CITIZEN, all_components, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


def test_a_forged_forwarded_address_neither_resets_the_limit_nor_breaks_the_audit(client, district):
    d = receive(district)
    url = "/api/v1/public/status/"
    for i in range(settings.PUBLIC_LOOKUPS_PER_MINUTE):  # codes of no dossier: no lock
        client.get(
            url,
            {"code": f"H50.22.02-260101-{i:04d}", "factor": "0000"},
            HTTP_X_FORWARDED_FOR=f"10.1.1.{i}",
        )
    forged = client.get(
        url, {"code": d.code, "factor": d.check_code}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert forged.status_code == 429 and "quá nhiều lần" in forged.json()["detail"]
    client.force_login(district["clerk"])
    page = client.get(f"/ho-so/{d.code}/", HTTP_X_FORWARDED_FOR="not-an-ip, 1.1.1.1")
    assert page.status_code == 200
    view = AuditEvent.objects.filter(action="dossier.view").latest("id")
    assert view.ip_address == "127.0.0.1"  # REMOTE_ADDR: no proxy is configured


def test_rows_without_a_sort_key_page_without_repeats(client, district):
    district["procedure"].online_level = "full"
    district["procedure"].save()
    for i in range(30):
        services.submit_online(
            procedure=district["procedure"],
            unit=district["counter"],
            at=AT + timedelta(minutes=i),
            applicant={**CITIZEN, "id_number": f"01409300{i:04d}"},
            components=all_components(district["procedure"]),
        )
    client.force_login(district["clerk"])
    codes = []
    for page in (1, 2):
        body = client.get("/ho-so/", {"state": "submitted", "page": page}).content.decode()
        codes += [c for c in Dossier.objects.values_list("code", flat=True) if f">{c}</a>" in body]
    assert len(codes) == len(set(codes)) == 30


@pytest.fixture
def commune_case(district):
    commune = UnitFactory(
        code="H50.22.21",
        name="UBND thị trấn Bắc Yên",
        parent=district["counter"].parent,
        kind="commune",
    )
    procedure = ProcedureFactory(name="Liên thông khai sinh", level=UnitLevelFactory())
    procedure.handling_units.set([commune])
    procedure.steps.create(order=1, name="Đăng ký khai sinh", unit_kind="commune", working_days=1)
    procedure.steps.create(
        order=2, name="Đăng ký thường trú", unit_kind="phong_tnmt", working_days=1
    )
    component = procedure.components.create(order=1, name="Tờ khai", required=True)
    clerk = staff(commune, "clerk", username="motcua.ttby")
    dossier = services.receive_dossier(
        actor=clerk,
        procedure=procedure,
        applicant=CITIZEN,
        components=[ReceivedComponent(component.pk)],
        at=AT,
    )
    return commune, clerk, dossier


def test_a_commune_hands_its_inter_agency_dossier_to_a_district_agency(district, commune_case):
    commune, clerk, dossier = commune_case
    services.assign(dossier.pk, actor=clerk, at=AT + timedelta(hours=1))
    dossier.refresh_from_db()
    assert dossier.current_unit == commune  # its own step first
    commune_specialist = staff(commune, "specialist", username="cv.ttby")
    services.transfer(
        dossier.pk, actor=commune_specialist, to_unit=district["land"], at=AT + timedelta(hours=2)
    )
    dossier.refresh_from_db()
    assert (
        dossier.current_unit == district["land"]
        and dossier.current_step.name == "Đăng ký thường trú"
    )


def test_citizens_are_not_told_late_when_waiting_for_collection_or_supplement(client, district):
    d = receive(district, at=AT)
    services.assign(d.pk, actor=district["clerk"], at=AT + timedelta(hours=1))
    services.request_supplement(
        d.pk, actor=district["specialist"], reason="Thiếu giấy", at=AT + timedelta(hours=2)
    )
    waiting = Dossier.objects.get(pk=d.pk)
    assert not waiting.is_late  # the clock is stopped, months later
    page = client.get("/tra-cuu/", {"ma": d.code, "kt": d.check_code}).content.decode()
    assert "quá hạn" not in page
    _, supplied = services.supplied(d.pk, actor=district["clerk"], at=AT + timedelta(days=3))
    assert supplied.on_time is None  # nobody's step was running
    with pytest.raises(WorkflowError):  # no extension while waiting for the applicant
        services.request_supplement(
            d.pk, actor=district["specialist"], reason="Lần 2", at=AT + timedelta(days=3, hours=1)
        )
        services.extend(
            d.pk, actor=district["leader"], reason="x", new_appointment=AT + timedelta(days=30)
        )
    other = receive(district, at=AT, applicant={**CITIZEN, "id_number": "014090009999"})
    services.assign(other.pk, actor=district["clerk"], at=AT + timedelta(hours=1))
    services.propose_result(other.pk, actor=district["specialist"], at=AT + timedelta(hours=2))
    services.approve(other.pk, actor=district["leader"], at=AT + timedelta(hours=3))
    ready = Dossier.objects.get(pk=other.pk)
    assert ready.state == "result_ready" and not ready.is_late


def test_accepting_an_online_dossier_issues_its_receipt(district):
    district["procedure"].online_level = "full"
    district["procedure"].save()
    d = services.submit_online(
        procedure=district["procedure"],
        unit=district["counter"],
        applicant=CITIZEN,
        components=all_components(district["procedure"]),
    )
    services.accept(d.pk, actor=district["clerk"])
    assert PrintedForm.objects.filter(dossier=d, code="01").exists()
    with pytest.raises(WorkflowError) as err:  # refusal is before reception only
        services.refuse(d.pk, actor=district["clerk"], reason="Sai thẩm quyền")
    assert err.value.status == 409


def test_bad_input_never_reaches_the_database_as_a_500(client, district):
    client.force_login(district["clerk"])
    assert (
        client.get("/ho-so/so-theo-doi.pdf", {"tu": "2025-02-30", "den": "2025-03-01"}).status_code
        == 302
    )
    # A NUL anywhere in the address is refused at the edge, before any view (core/edge.py).
    for url, params in (
        ("/ho-so/%00/", {}),
        ("/tiep-nhan/", {"thu_tuc": "\x00"}),
        ("/tiep-nhan/tim-nguoi-nop/", {"id_number": "\x00"}),
    ):
        refused = client.get(url, params)
        assert refused.status_code == 400 and "ký tự điều khiển" in refused.content.decode()
    api = APIClient()
    api.force_login(district["clerk"])
    body = {
        "procedure": district["procedure"].national_code,
        "applicant": CITIZEN,
        "components": [
            {"component": c.component_id, "copies": 40000}
            for c in all_components(district["procedure"])
        ],
    }
    assert api.post("/api/v1/dossiers/", body, format="json").status_code == 400


def test_an_idempotency_key_belongs_to_one_counter(district):
    first = receive(district, idempotency_key="phieu-0001")
    other_counter = UnitFactory(
        code="H50.22.30", name="UBND xã Tà Xùa", parent=district["counter"].parent
    )
    other_counter.procedures.add(district["procedure"])
    other_clerk = staff(other_counter, "clerk", username="motcua.taxua")
    second = services.receive_dossier(
        actor=other_clerk,
        procedure=district["procedure"],
        applicant=CITIZEN,
        components=all_components(district["procedure"]),
        idempotency_key="phieu-0001",
    )
    assert second.pk != first.pk and second.receiving_unit == other_counter
    with pytest.raises(WorkflowError) as err:
        services.receive_dossier(
            actor=district["specialist"],
            procedure=district["procedure"],
            applicant=CITIZEN,
            components=all_components(district["procedure"]),
            idempotency_key="phieu-0001",
        )
    assert err.value.status == 403


def test_applicant_search_ignores_diacritics(client, district):
    receive(district, applicant={**CITIZEN, "name": "Đinh Thị Hương"})
    client.force_login(district["clerk"])
    for text in ("dinh thi huong", "Đinh Thị", "ĐINH"):
        assert "Đinh Thị Hương" in client.get("/ho-so/", {"q": text}).content.decode(), text
