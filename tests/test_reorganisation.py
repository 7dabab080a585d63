"""Units with validity and succession, and the merge of 1/7/2025 as a service (issue #16):
what moves (open dossiers, staff, counter lines, unassigned scans), what stays (closed
dossiers), the successor's staff reading its predecessors' dossiers, a re-run that changes
nothing, and the refusals that leave nothing half-moved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from counter.models import ServiceArea
from digitization.models import ScannedFile
from dossiers import queries, services
from dossiers.models import AuditEvent, Dossier, DossierEvent, StaffProfile, Succession, Unit
from dossiers.services import WorkflowError, apply_reorganisation
from dossiers.workflow import State
from feedback.models import Feedback
from tests.factories import DossierFactory, UnitFactory, UnitLevelFactory, staff

pytestmark = pytest.mark.django_db

BASIS = "Nghị quyết 1681/NQ-UBTVQH15"
MERGE_DAY = date(2025, 7, 1)


@pytest.fixture
def old_map():
    """A province with a district (an agency, two communes) and, from 1/7/2025, a commune
    directly under the province that succeeds all of them, and the province's office."""
    province = UnitFactory(
        code="P14", name="Tỉnh Sơn La", level=UnitLevelFactory(code="province", rank=1)
    )
    district_level = UnitLevelFactory(code="district", name="Huyện", rank=2)
    district = UnitFactory(
        code="P14.D1", name="UBND huyện Bắc Yên", level=district_level, parent=province
    )
    agency = UnitFactory(
        code="P14.D1.G",
        name="Phòng Tư pháp huyện Bắc Yên",
        level=UnitLevelFactory(code="agency", rank=3, is_area=False),
        parent=district,
        has_counter=False,
    )
    a = UnitFactory(code="P14.D1.A", name="UBND thị trấn Bắc Yên", parent=district)
    b = UnitFactory(code="P14.D1.B", name="UBND xã Hồng Ngài", parent=district)
    new = UnitFactory(
        code="P14.N1",
        name="UBND xã Bắc Yên",
        parent=province,
        valid_from=MERGE_DAY,
        counter_name="Trung tâm Phục vụ hành chính công xã Bắc Yên",
    )
    office = UnitFactory(code="P14.VP", name="Văn phòng UBND tỉnh", parent=province)
    return {
        "province": province,
        "district": district,
        "agency": agency,
        "a": a,
        "b": b,
        "new": new,
        "office": office,
    }


def mapping(m, **overrides):
    plan = {"a": "new", "b": "new", "agency": "new", "district": "office", **overrides}
    return {m[old].code: m[new].code for old, new in plan.items() if new}


def test_the_merge_hands_open_dossiers_over_and_keeps_closed_ones(old_map):
    m = old_map
    running = DossierFactory(in_progress=True, receiving_unit=m["a"])
    waiting = DossierFactory(result_ready=True, receiving_unit=m["b"])
    at_agency = DossierFactory(in_progress=True, receiving_unit=m["a"], current_unit=m["agency"])
    closed = DossierFactory(returned=True, receiving_unit=m["a"])
    due = running.due_at

    done = apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))

    assert done.dossiers == 3 and not done.already_applied
    assert sorted(done.ended) == sorted([m[k].code for k in ("a", "b", "agency", "district")])
    for key in ("a", "b", "agency", "district"):
        unit = Unit.objects.get(pk=m[key].pk)
        assert (unit.valid_to, unit.ended_basis) == (date(2025, 6, 30), BASIS)
    assert Succession.objects.filter(successor=m["new"], basis=BASIS).count() == 3
    for dossier in (running, waiting, at_agency):
        dossier.refresh_from_db()
        assert (dossier.current_unit, dossier.counter_unit) == (m["new"], m["new"])
        event = dossier.events.get(action="handover")
        assert event.from_state == event.to_state == dossier.state
        assert "1681" in event.note
    running.refresh_from_db()
    assert running.due_at == due and running.receiving_unit == m["a"]  # history and deadline
    at_agency.refresh_from_db()
    assert at_agency.events.get(action="handover").from_unit == m["agency"]
    closed.refresh_from_db()
    assert (closed.current_unit, closed.return_unit) == (m["a"], None)
    assert not closed.events.filter(action="handover").exists()
    audit = AuditEvent.objects.get(action="dossier.handover", object_id=str(running.pk))
    assert audit.data["current_unit"] == {"old": m["a"].pk, "new": m["new"].pk}
    assert AuditEvent.objects.get(action="units.reorganise").data["dossiers"] == 3


def test_staff_move_to_the_successor_and_read_what_their_old_unit_did(old_map):
    m = old_map
    clerk = staff(m["a"], "clerk")
    closed = DossierFactory(returned=True, receiving_unit=m["a"])
    waiting = DossierFactory(result_ready=True, receiving_unit=m["b"])
    elsewhere = DossierFactory(returned=True, receiving_unit=m["office"])

    done = apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))

    assert done.staff == 1
    clerk = type(clerk).objects.get(pk=clerk.pk)  # a fresh request's user
    assert StaffProfile.objects.get(user=clerk).unit == m["new"]
    seen = set(queries.scoped_dossiers(clerk).values_list("pk", flat=True))
    assert {closed.pk, waiting.pk} <= seen and elsewhere.pk not in seen
    audit = AuditEvent.objects.get(action="staff.reassign")
    assert audit.data["unit"] == {"old": m["a"].pk, "new": m["new"].pk}
    # The successor's counter returns the result the merged commune had ready.
    services.return_result(waiting.pk, actor=clerk)
    waiting.refresh_from_db()
    assert waiting.state == State.RETURNED


def test_higher_apps_move_their_rows_in_the_same_transaction(old_map):
    m = old_map
    ServiceArea.objects.create(unit=m["a"], letter="A", name="Hộ tịch")
    ServiceArea.objects.create(unit=m["b"], letter="A", name="Hộ tịch")  # the letter is taken
    ServiceArea.objects.create(unit=m["b"], letter="B", name="Đất đai")
    tray = ScannedFile.objects.create(
        unit=m["b"],
        source="upload",
        original="x.pdf",
        original_name="x.pdf",
        sha256="0" * 64,
        size=1,
    )

    now = timezone.now()
    open_pakn, answered_pakn = (
        Feedback.objects.create(
            code=f"PAKN-250630-000{n}",
            channel="web",
            unit=m["a"],
            content="Chờ lâu tại quầy.",
            sender_name="Lò Văn Sinh",
            received_at=now,
            due_at=now,
            **extra,
        )
        for n, extra in (
            (1, {}),
            (2, {"state": "answered", "answer": "Đã xử lý.", "answered_at": now}),
        )
    )

    done = apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))

    # The unanswered PAKN go to the successor, which must answer them; answered ones stay.
    assert done.moved == {"service_areas": 2, "scans": 1, "feedback": 1}
    assert Feedback.objects.get(pk=open_pakn.pk).unit == m["new"]
    assert Feedback.objects.get(pk=answered_pakn.pk).unit == m["a"]
    assert sorted(m["new"].service_areas.values_list("letter", flat=True)) == ["A", "B"]
    assert ServiceArea.objects.filter(unit=m["b"], letter="A").exists()  # history kept
    tray.refresh_from_db()
    assert tray.unit == m["new"]


def test_a_second_run_of_the_same_reorganisation_changes_nothing(old_map):
    m = old_map
    DossierFactory(in_progress=True, receiving_unit=m["a"])
    apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))
    counts = (DossierEvent.objects.count(), AuditEvent.objects.count(), Succession.objects.count())

    again = apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))

    assert again.already_applied and again.dossiers == 0
    assert counts == (
        DossierEvent.objects.count(),
        AuditEvent.objects.count(),
        Succession.objects.count(),
    )


def _nothing_moved(m, dossier):
    dossier.refresh_from_db()
    assert dossier.current_unit == m["a"] and dossier.return_unit is None
    assert not Succession.objects.exists()
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0
    assert not AuditEvent.objects.filter(action__in=["units.reorganise", "staff.reassign"])


@pytest.mark.parametrize(
    "change, message",
    [
        ({"agency": None}, "chưa có đơn vị kế thừa: Phòng Tư pháp huyện Bắc Yên"),
        ({"a": "b"}, "«UBND xã Hồng Ngài» cũng chấm dứt"),
        ({"district": "missing"}, "Không có đơn vị mã ZZ9"),
    ],
)
def test_a_refused_reorganisation_moves_nothing(old_map, change, message):
    m = old_map
    m["missing"] = Unit(code="ZZ9")
    clerk = staff(m["a"], "clerk")
    dossier = DossierFactory(in_progress=True, receiving_unit=m["a"])

    with pytest.raises(WorkflowError) as refused:
        apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m, **change))

    assert message in refused.value.message
    _nothing_moved(m, dossier)
    assert StaffProfile.objects.get(user=clerk).unit == m["a"]


def test_a_successor_must_be_in_force_on_the_day(old_map):
    m = old_map
    Unit.objects.filter(pk=m["new"].pk).update(valid_from=date(2025, 8, 1))
    dossier = DossierFactory(in_progress=True, receiving_unit=m["a"])
    with pytest.raises(WorkflowError, match="chưa có hiệu lực vào ngày 01/07/2025"):
        apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))
    _nothing_moved(m, dossier)


def test_a_reorganisation_needs_its_legal_basis(old_map):
    with pytest.raises(WorkflowError, match="căn cứ"):
        apply_reorganisation(basis=" ", date=MERGE_DAY, mapping=mapping(old_map))


def test_validity_and_succession_rules_speak_vietnamese(old_map):
    m = old_map
    unit = m["a"]
    unit.valid_from, unit.valid_to, unit.ended_basis = date(2025, 7, 1), date(2025, 6, 30), BASIS
    with pytest.raises(ValidationError) as bad:
        unit.full_clean()
    assert "không thể trước ngày bắt đầu hiệu lực (01/07/2025)" in str(bad.value)
    unit.valid_from, unit.ended_basis = None, ""
    with pytest.raises(ValidationError, match="Ghi văn bản làm đơn vị chấm dứt"):
        unit.full_clean()

    apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))
    back = Succession(
        predecessor=m["new"], successor=m["a"], kind="renamed", date=MERGE_DAY, basis="x"
    )
    with pytest.raises(ValidationError, match="vòng lặp"):
        back.full_clean()


def test_the_tree_as_of_a_date_is_one_query(old_map, django_assert_num_queries):
    m = old_map
    apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))
    with django_assert_num_queries(1):  # SELECT … FROM dossiers_unit WHERE (valid_from …)
        before = [u.code for u in queries.units_in_force(date(2025, 6, 30))]
    after = [u.code for u in queries.units_in_force(date(2025, 7, 1))]
    assert m["a"].code in before and m["new"].code not in before
    assert m["new"].code in after and m["a"].code not in after
    assert {m["province"].code, m["office"].code} <= set(before) & set(after)
    assert before == sorted(before, key=lambda c: Unit.objects.get(code=c).path)


def test_the_api_lists_the_units_in_force_on_a_date(old_map, client):
    m = old_map
    apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))
    client.force_login(staff(m["office"], "district_office"))
    old = client.get("/api/v1/units/", {"ngay": "2025-06-30", "page_size": 100}).json()
    new = client.get("/api/v1/units/", {"ngay": "01/07/2025", "page_size": 100}).json()
    old_codes = {u["code"] for u in old["results"]}
    new_codes = {u["code"] for u in new["results"]}
    assert m["a"].code in old_codes and m["a"].code not in new_codes
    a = next(u for u in old["results"] if u["code"] == m["a"].code)
    assert a["successors"] == [m["new"].code] and a["ended_basis"] == BASIS
    bad = client.get("/api/v1/units/", {"ngay": "31/02/2025"})
    assert bad.status_code == 400 and "ngày" in str(bad.json()).lower()
    assert Dossier.objects.count() == 0


def test_a_unit_remembers_all_it_took_over_so_scoping_needs_no_query(
    old_map, django_assert_num_queries
):
    m = old_map
    apply_reorganisation(basis=BASIS, date=MERGE_DAY, mapping=mapping(m))
    new = Unit.objects.get(pk=m["new"].pk)
    assert new.took_over == sorted([m["a"].pk, m["b"].pk, m["agency"].pk])
    renamed = UnitFactory(code="P14.N2", name="UBND xã Bắc Yên mới", parent=m["province"])
    renamed.valid_from = date(2026, 1, 1)
    renamed.save()
    Succession.objects.create(
        predecessor=new, successor=renamed, kind="renamed", date=date(2026, 1, 1), basis="x"
    )
    renamed.refresh_from_db()
    assert renamed.took_over == sorted([m["a"].pk, m["b"].pk, m["agency"].pk, new.pk])
    closed = DossierFactory(returned=True, receiving_unit=m["a"])
    clerk = staff(renamed, "clerk")
    clerk = type(clerk).objects.select_related("staff__unit").get(pk=clerk.pk)
    queries.user_roles(clerk)  # the roles are read once a request, before any list
    with django_assert_num_queries(1):  # the dossiers alone: the lineage is on the unit
        seen = list(queries.scoped_dossiers(clerk).values_list("pk", flat=True))
    assert closed.pk in seen
    Succession.objects.get(successor=renamed).delete()
    renamed.refresh_from_db()
    assert renamed.took_over == []
