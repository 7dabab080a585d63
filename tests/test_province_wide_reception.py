"""Province-wide reception since Nghị định 118/2025 (issue #16 item 3): any counter of the
province receives any procedure of its catalogue; the dossier goes to the competent unit (by
the procedure, the applicant's commune — on today's map or the old one — or the clerk's
choice); the applicant collects the result at the counter they chose."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dossiers import queries, services
from dossiers.models import Dossier, DossierEvent
from dossiers.services import WorkflowError
from dossiers.workflow import State
from tests.factories import staff

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def applicant(address):
    return {
        "kind": "person",
        "id_number": "014090001234",
        "name": "Lò Văn Sinh",
        "phone": "0912345678",
        "address": address,
    }


def receive(p, clerk, procedure, address, **kwargs):
    return services.receive_dossier(
        actor=p[clerk],
        procedure=p[procedure],
        applicant=applicant(address),
        components=[],
        **kwargs,
    )


def handle(p, dossier, where):
    """The competent unit's specialist proposes and its leader approves."""
    services.take_action("propose_result", dossier.pk, actor=p[f"specialist_{where}"])
    services.take_action("approve", dossier.pk, actor=p[f"leader_{where}"])
    dossier.refresh_from_db()
    return dossier


def test_a_commune_counter_receives_for_an_applicant_of_another_commune(province):
    p = province
    dossier = receive(p, "clerk_ta_xua", "commune_procedure", "Tiểu khu 1, xã Bắc Yên, tỉnh Sơn La")
    assert (dossier.receiving_unit, dossier.competent_unit) == (p["ta_xua"], p["bac_yen"])

    services.take_action("assign", dossier.pk, actor=p["clerk_ta_xua"])
    dossier.refresh_from_db()
    assert dossier.current_unit == p["bac_yen"] and dossier.state == State.IN_PROGRESS
    handover = dossier.events.get(action="assign")
    assert (handover.to_unit, handover.electronic) == (p["bac_yen"], True)

    dossier = handle(p, dossier, "bac_yen")
    assert dossier.current_unit == p["ta_xua"]  # back where it is collected
    services.take_action("return_result", dossier.pk, actor=p["clerk_ta_xua"])
    assert Dossier.objects.get(pk=dossier.pk).state == State.RETURNED
    leader = staff(p["province"], "district_office")
    assert dossier.pk in set(queries.scoped_dossiers(leader).values_list("pk", flat=True))


def test_an_address_on_the_old_map_finds_todays_commune(province):
    p = province
    old = "Bản Pá Chạn, xã Hồng Ngài, huyện Bắc Yên, tỉnh Sơn La"  # merged into xã Bắc Yên
    dossier = receive(p, "clerk_ta_xua", "commune_procedure", old)
    assert dossier.competent_unit == p["bac_yen"]
    home = receive(p, "clerk_ta_xua", "commune_procedure", "bản Hua Cà, xã Tà Xùa, Sơn La")
    assert home.competent_unit is None  # its own commune: handled where received


def test_a_provincial_procedure_goes_to_the_department_and_back_where_chosen(province):
    p = province
    dossier = receive(
        p, "clerk_ta_xua", "province_procedure", "xã Tà Xùa", return_unit=p["bac_yen"]
    )
    assert (dossier.competent_unit, dossier.return_unit) == (p["so"], p["bac_yen"])
    services.take_action("assign", dossier.pk, actor=p["clerk_ta_xua"])
    dossier = handle(p, dossier, "so")
    assert dossier.current_unit == p["bac_yen"]
    with pytest.raises(WorkflowError, match="nơi trả kết quả người nộp đã chọn"):
        services.take_action("return_result", dossier.pk, actor=p["clerk_ta_xua"])
    services.take_action("return_result", dossier.pk, actor=p["clerk_bac_yen"])
    last = DossierEvent.objects.filter(dossier=dossier).last()
    assert (last.action, last.actor_unit) == ("return_result", p["bac_yen"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"competent_unit": "centre"}, "TTPVHCC tỉnh không giải quyết thủ tục"),
        ({"return_unit": "so"}, "Sở Tư pháp không có nơi trả kết quả đang hoạt động"),
        ({"at": datetime(2025, 6, 20, 9, 0, tzinfo=ZONE)}, "không hoạt động vào ngày 20/06/2025"),
    ],
)
def test_a_reception_that_cannot_be_routed_is_refused_and_nothing_is_made(
    province, kwargs, message
):
    p = province
    given = {k: p[v] if isinstance(v, str) else v for k, v in kwargs.items()}
    with pytest.raises(WorkflowError, match=message):
        receive(p, "clerk_ta_xua", "province_procedure", "xã Tà Xùa", **given)
    assert not Dossier.objects.exists()


def test_the_clerk_chooses_when_the_address_does_not_say(province):
    p = province
    with pytest.raises(WorkflowError, match="Chọn đơn vị có thẩm quyền giải quyết"):
        receive(p, "clerk_centre", "commune_procedure", "Thành phố Hà Nội")
    dossier = receive(
        p, "clerk_centre", "commune_procedure", "Thành phố Hà Nội", competent_unit=p["ta_xua"]
    )
    assert dossier.competent_unit == p["ta_xua"]


def test_the_reception_page_offers_where_it_is_resolved_and_returned(province, client):
    p = province
    client.force_login(p["clerk_ta_xua"])
    code = p["province_procedure"].national_code
    page = client.get("/tiep-nhan/", {"thu_tuc": code}).content.decode()
    assert 'name="competent_unit"' in page and 'name="return_unit"' in page
    assert "Trung tâm Phục vụ hành chính công xã Bắc Yên" in page
    person = applicant("xã Tà Xùa")
    posted = client.post(
        "/tiep-nhan/",
        {**person, "procedure": code, "return_unit": p["bac_yen"].code, "competent_unit": ""},
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert (dossier.competent_unit, dossier.return_unit) == (p["so"], p["bac_yen"])
    shown = client.get(posted["Location"]).content.decode()
    assert "Đơn vị giải quyết" in shown and "Sở Tư pháp" in shown
    assert "Nơi trả kết quả" in shown and "hành chính công xã Bắc Yên" in shown
    bad = client.post("/tiep-nhan/", {**person, "procedure": code, "return_unit": "KHONG.CO"})
    assert (
        bad.status_code == 200 and "Đơn vị đã chọn không có trong danh mục" in bad.content.decode()
    )


def test_the_api_receives_province_wide_with_both_choices(province, client):
    p = province
    client.force_login(p["clerk_ta_xua"])
    body = {
        "procedure": p["commune_procedure"].national_code,
        "applicant": applicant("Thành phố Hà Nội"),
        "components": [],
        "competent_unit": p["bac_yen"].code,
        "return_unit": p["bac_yen"].code,
    }
    made = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert made.status_code == 201, made.json()
    assert (made.json()["competent_unit"], made.json()["return_unit"]) == ("H50.03856", "H50.03856")
    refused = client.post(
        "/api/v1/dossiers/",
        {**body, "competent_unit": p["centre"].code, "idempotency_key": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "không giải quyết thủ tục" in refused.json()["detail"]
