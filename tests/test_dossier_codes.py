"""Dossier codes in force (issue 17 item 4): the shape of the reception day's legal basis —
TT 01/2018 (the receiving unit, four digits) until 14/9/2025, TT 03/2025 (the handling agency,
at least four digits) from 15/9/2025, TT 04/2025 (…-AAXXXX) for procedures on a centralised
system from 25/01/2026 — gap-free per prefix, never rewritten, a prefix that is not an
electronic identification code refused, and every shape found by the status page and API."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import Dossier, DossierCounter, Unit
from dossiers.services import WorkflowError
from dossiers.services.numbering import code_rule

from .factories import ProcedureFactory, UserFactory
from .workflow_fixtures import CITIZEN, receive

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TA_XUA_ADDRESS = "Tiểu khu 1, xã Bắc Yên, tỉnh Sơn La"  # received at Tà Xùa, handled by Bắc Yên


def at(y, m, d):
    return datetime(y, m, d, 9, 0, tzinfo=VN)


def receive_at_ta_xua(p, when, procedure="commune_procedure"):
    return services.receive_dossier(
        actor=p["clerk_ta_xua"],
        procedure=p[procedure],
        applicant={**CITIZEN, "address": TA_XUA_ADDRESS},
        components=[],
        at=when,
    )


@pytest.fixture
def centralised(province):
    """The commune procedure's twin handled on a ministry's centralised system (owner 10)."""
    procedure = ProcedureFactory(
        level=province["commune_procedure"].level, centralised_system=True, system_owner_code="10"
    )
    procedure.handling_units.set([province["ta_xua"], province["bac_yen"]])
    return {**province, "centralised": procedure}


def test_before_15_9_2025_the_receiving_units_code_leads(province):
    dossier = receive_at_ta_xua(province, at(2025, 8, 4))
    assert dossier.competent_unit == province["bac_yen"]
    assert dossier.code == "H50.03868-250804-0001"  # Tà Xùa's, as TT 01/2018 Điều 19 reads


def test_from_15_9_2025_the_handling_agencys_code_leads(province):
    last_old = receive_at_ta_xua(province, at(2025, 9, 12))
    first_new = receive_at_ta_xua(province, at(2025, 9, 15))
    assert last_old.code == "H50.03868-250912-0001"
    assert first_new.code == "H50.03856-250915-0001"  # Bắc Yên handles it


def test_the_handling_agency_is_the_receiving_unit_when_it_resolves_the_dossier_itself(district):
    assert receive(district, at=at(2026, 3, 2)).code == "H50.22.02-260302-0001"


def test_a_centralised_procedure_takes_tt_04_from_25_1_2026_with_its_own_sequence(centralised):
    p = centralised
    before = receive_at_ta_xua(p, at(2026, 1, 23), "centralised")
    assert before.code == "H50.03856-260123-0001"  # TT 03/2025 until TT 04/2025 is in force
    day = at(2026, 3, 2)
    first = receive_at_ta_xua(p, day, "centralised")
    plain = receive_at_ta_xua(p, day)
    second = receive_at_ta_xua(p, day, "centralised")
    assert (first.code, second.code) == ("H50.03856-260302-100001", "H50.03856-260302-100002")
    assert plain.code == "H50.03856-260302-0001"  # another prefix, another sequence


def test_the_sequence_grows_past_four_digits_under_tt_03_but_not_under_tt_01(district):
    DossierCounter.objects.create(prefix="H50.22.02-260302-", day=date(2026, 3, 2), last=9999)
    assert receive(district, at=at(2026, 3, 2)).code == "H50.22.02-260302-10000"
    DossierCounter.objects.create(prefix="H50.22.02-250303-", day=date(2025, 3, 3), last=9999)
    with pytest.raises(WorkflowError, match="Đã hết số thứ tự hồ sơ trong ngày"):
        receive(district, at=at(2025, 3, 3))


def test_codes_already_issued_never_change(centralised):
    p = centralised
    old = receive_at_ta_xua(p, at(2025, 8, 4))
    new = receive_at_ta_xua(p, at(2026, 3, 2))
    issued = {old.pk: old.code, new.pk: new.code}
    # The unit is given another code, the procedure goes onto a centralised system, the
    # dossier moves on: its code stays as printed on the receipt.
    Unit.objects.filter(pk=p["bac_yen"].pk).update(code="H50.03856.01")
    p["commune_procedure"].centralised_system = True
    p["commune_procedure"].system_owner_code = "10"
    p["commune_procedure"].save()
    services.take_action("assign", new.pk, actor=p["clerk_ta_xua"])
    assert dict(Dossier.objects.values_list("pk", "code")) == issued
    again = receive_at_ta_xua(p, at(2026, 3, 2))
    assert again.code == "H50.03856.01-260302-100001"  # only new dossiers take the change


@pytest.mark.parametrize("bad", ["xa-bac-yen", "BACYEN", "h50.03856", "H50..1", "H5.03856"])
def test_a_prefix_that_is_no_electronic_identification_code_is_refused(province, bad):
    Unit.objects.filter(pk=province["bac_yen"].pk).update(code=bad)  # as a careless import
    with pytest.raises(WorkflowError) as err:
        receive_at_ta_xua(province, at(2026, 3, 2))
    assert "UBND xã Bắc Yên chưa có mã định danh điện tử hợp lệ" in err.value.message
    assert "Quyết định 20/2020/QĐ-TTg" in err.value.message
    assert not Dossier.objects.exists()
    assert not DossierCounter.objects.exists()


def test_the_admins_unit_form_refuses_a_code_that_is_not_one(province):
    request = RequestFactory().get("/quan-tri/dossiers/unit/add/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    form_class = admin.site._registry[Unit].get_form(request, province["bac_yen"])
    data = {"code": "Bac-Yen", "name": "UBND xã Bắc Yên", "level": province["bac_yen"].level_id}
    form = form_class(data=data, instance=province["bac_yen"])
    assert not form.is_valid()
    assert (
        "không phải mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg" in form.errors["code"][0]
    )
    with pytest.raises(ValidationError):
        Unit(code="H50.03856-01").clean_fields(exclude=["name", "level", "parent", "path"])


def test_a_centralised_procedure_without_its_owners_digits_is_refused(centralised):
    p = centralised
    p["centralised"].system_owner_code = ""
    p["centralised"].save()
    with pytest.raises(WorkflowError, match="chưa có mã cơ quan chủ quản hệ thống"):
        receive_at_ta_xua(p, at(2026, 3, 2), "centralised")
    with pytest.raises(ValidationError) as err:
        p["centralised"].clean()
    assert "system_owner_code" in err.value.message_dict


def test_two_bases_shaping_codes_on_one_day_or_none_is_a_clear_error():
    rule = {"agency": "handling", "template": "{agency}-{day}-{sequence}", "sequence_digits": 4}
    texts = {
        "a": {"in_force": "2025-01-01", "rules": {"dossier_code": {**rule, "applies_to": "all"}}},
        "b": {"in_force": "2025-06-01", "rules": {"dossier_code": {**rule, "applies_to": "all"}}},
    }
    assert code_rule(date(2025, 5, 31), among=texts).basis == "a"
    with pytest.raises(WorkflowError, match="có hai văn bản cùng quy định mã số hồ sơ"):
        code_rule(date(2025, 6, 1), among=texts)
    with pytest.raises(WorkflowError, match="không có văn bản nào quy định mã số hồ sơ"):
        code_rule(date(2024, 12, 31), among=texts)


def test_the_data_file_gives_one_shape_a_day(centralised):
    assert code_rule(date(2025, 9, 14)).basis == "tt-01-2018"
    assert code_rule(date(2025, 9, 15)).basis == "tt-03-2025"
    assert code_rule(date(2026, 1, 24), centralised=True).basis == "tt-03-2025"
    assert code_rule(date(2026, 1, 25), centralised=True).basis == "tt-04-2025"
    assert code_rule(date(2026, 1, 25)).basis == "tt-03-2025"


@pytest.fixture
def every_shape(centralised):
    """A dossier of each shape: TT 01/2018, TT 03/2025 with five digits, TT 04/2025."""
    p = centralised
    DossierCounter.objects.create(prefix="H50.03856-260302-", day=date(2026, 3, 2), last=9999)
    return [
        receive_at_ta_xua(p, at(2025, 8, 4)),
        receive_at_ta_xua(p, at(2026, 3, 2)),
        receive_at_ta_xua(p, at(2026, 3, 2), "centralised"),
    ]


def test_the_status_page_and_public_api_find_every_shape(client, every_shape):
    codes = [d.code for d in every_shape]
    assert codes == ["H50.03868-250804-0001", "H50.03856-260302-10000", "H50.03856-260302-100001"]
    for dossier in every_shape:
        page = client.get("/tra-cuu/", {"ma": dossier.code.lower(), "kt": dossier.check_code})
        assert page.status_code == 200 and "Các bước đã thực hiện" in page.content.decode()
        api = client.get(
            "/api/v1/public/status/", {"code": dossier.code, "factor": dossier.check_code}
        )
        assert api.status_code == 200 and api.json()["code"] == dossier.code


@pytest.mark.parametrize(
    "code",
    ["H50.03856-260302-100", "H50.03856-2603-0001", "H50.03856-260302-0001-1", "-260302-0001"],
)
def test_a_malformed_code_gets_the_neutral_message_not_an_error(client, every_shape, code):
    page = client.get("/tra-cuu/", {"ma": code, "kt": every_shape[0].check_code})
    assert page.status_code == 200
    assert "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập." in page.content.decode()
    api = client.get("/api/v1/public/status/", {"code": code, "factor": "0000"})
    assert api.status_code == 404 and "Không tìm thấy hồ sơ" in api.json()["detail"]


def test_the_staff_api_finds_every_shape_and_answers_404_to_a_malformed_one(
    centralised, every_shape
):
    api = APIClient()
    api.force_login(centralised["clerk_ta_xua"])
    for dossier in every_shape:
        found = api.get(f"/api/v1/dossiers/{dossier.code}/")
        assert found.status_code == 200 and found.json()["code"] == dossier.code
        assert api.get(f"/api/v1/dossiers/{dossier.code}/history/").status_code == 200
    assert api.get("/api/v1/dossiers/H50.03856-260302-100/").status_code == 404
    assert api.get("/api/v1/dossiers/H50.03856-260302-1000000000/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_each_units_counter_over_to_its_prefix(district):
    """A day's counter of the receiving unit (before 0015) becomes the counter of the prefix
    its codes were made with, so that day's next code continues the sequence."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("dossiers", "0014_stop_at_request")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app, whatever came after 0014
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_counter = old_apps.get_model("dossiers", "DossierCounter")
    old_counter.objects.create(unit_id=district["counter"].pk, day=date(2026, 3, 2), last=7)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert list(DossierCounter.objects.values_list("prefix", "day", "last")) == [
        ("H50.22.02-260302-", date(2026, 3, 2), 7)
    ]
    assert receive(district, at=at(2026, 3, 2)).code == "H50.22.02-260302-0008"
