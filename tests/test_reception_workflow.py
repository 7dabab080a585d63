"""Reception and the dossier's life through the services: codes, deadlines, transfers,
the workflow table's rules, history and audit."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from dossiers import services
from dossiers.models import (
    Applicant,
    AuditEvent,
    Dossier,
    DossierCounter,
    DossierEvent,
    PrintedForm,
    ProcedureStep,
)
from dossiers.queries import scoped_dossiers
from dossiers.services import WorkflowError, receive_dossier
from dossiers.workflow import ACTIONS, State, allowed_actions

from .factories import ProcedureFactory
from .workflow_fixtures import CITIZEN, all_components, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_reception_allots_a_code_computes_the_appointment_and_records_everything(district):
    at = datetime(2026, 2, 13, 9, 30, tzinfo=VN)  # Friday before Tết Bính Ngọ
    dossier = receive(district, at=at)
    assert dossier.code == "H50.22.02-260213-0001"
    assert dossier.state == State.RECEIVED
    assert dossier.due_at == dossier.appointment_at == datetime(2026, 2, 25, 9, 30, tzinfo=VN)
    assert dossier.components.count() == 3
    assert dossier.applicant.phone == "0912345678"
    event = dossier.events.get()
    assert (event.action, event.actor, event.to_unit) == (
        "receive",
        district["clerk"],
        district["counter"],
    )
    assert (
        AuditEvent.objects.filter(action="dossier.receive", object_id=str(dossier.pk)).count() == 1
    )
    receipt = PrintedForm.objects.get(dossier=dossier, code="01")
    assert receipt.pdf.read().startswith(b"%PDF")
    second = receive(district, at=at + timedelta(minutes=5))
    assert second.code == "H50.22.02-260213-0002"
    assert second.applicant == dossier.applicant  # found again by ID number


@pytest.mark.parametrize(
    ("applicant", "message"),
    [
        ({**CITIZEN, "id_number": "01409000123"}, "Số CCCD phải gồm đúng 12 chữ số."),
        ({**CITIZEN, "id_number": "999090001234"}, "mã tỉnh"),
        ({**CITIZEN, "phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({**CITIZEN, "kind": "organisation", "id_number": "12345"}, "Mã số thuế"),
    ],
)
def test_invalid_applicant_is_refused_and_nothing_is_saved(district, applicant, message):
    with pytest.raises(WorkflowError) as err:
        receive(district, applicant=applicant)
    assert message in err.value.message
    assert not Dossier.objects.exists() and not Applicant.objects.exists()
    assert not DossierCounter.objects.filter(last__gt=0).exists()


def test_a_missing_required_component_is_named(district):
    partial = all_components(district["procedure"])[:1]
    with pytest.raises(WorkflowError) as err:
        receive(district, components=partial)
    assert "Thiếu thành phần bắt buộc: Dự thảo hợp đồng" in err.value.message
    assert not Dossier.objects.exists()


def test_a_reception_in_the_future_is_refused(district):
    with pytest.raises(WorkflowError, match="tương lai"):
        receive(district, at=timezone.now() + timedelta(days=2))


def test_a_double_submitted_form_is_absorbed(district):
    first = receive(district, idempotency_key="form-123")
    again = receive(district, idempotency_key="form-123")
    assert again.pk == first.pk
    assert Dossier.objects.count() == 1


def test_only_a_counter_clerk_receives(district):
    with pytest.raises(WorkflowError) as err:
        receive_dossier(
            actor=district["specialist"],
            procedure=district["procedure"],
            applicant=CITIZEN,
            components=all_components(district["procedure"]),
        )
    assert err.value.status == 403


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_receptions_of_both_shapes_get_gap_free_codes(district):
    """25 dossiers of a procedure coded under TT 03/2025 and 25 of one on a centralised system
    (TT 04/2025, system owner 10) received at the same instant: each prefix's sequence runs
    1..25 with no gap and no duplicate (tests/test_dossier_codes.py has the shapes)."""
    assert connection.vendor == "postgresql"
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    centralised = ProcedureFactory(centralised_system=True, system_owner_code="10")
    centralised.handling_units.set([district["counter"]])
    codes, errors = [], []
    barrier = threading.Barrier(50)

    def one(i):
        try:
            barrier.wait()
            applicant = {**CITIZEN, "id_number": f"014090{i:06d}"}
            if i % 2:
                dossier = receive(district, at=at, applicant=applicant)
            else:  # no papers listed for this procedure
                dossier = receive(
                    {**district, "procedure": centralised},
                    at=at,
                    applicant=applicant,
                    components=[],
                )
            codes.append(dossier.code)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(codes)) == 50
    assert sorted(codes) == sorted(
        [f"H50.22.02-260302-{n:04d}" for n in range(1, 26)]
        + [f"H50.22.02-260302-10{n:04d}" for n in range(1, 26)]
    )
    counters = dict(DossierCounter.objects.values_list("prefix", "last"))
    assert counters == {"H50.22.02-260302-": 25, "H50.22.02-260302-10": 25}


def walk(d, dossier, at):
    """Receive → hand to Tư pháp → transfer to TN&MT → back → propose → approve → return."""
    step = timedelta(hours=2)
    services.assign(dossier.pk, actor=d["clerk"], at=at + step)
    services.transfer(dossier.pk, actor=d["specialist"], to_unit=d["land"], at=at + 2 * step)
    services.transfer(
        dossier.pk,
        actor=d["land_specialist"],
        to_unit=d["justice"],
        electronic=False,
        note="Gửi bản giấy",
        at=at + 3 * step,
    )
    services.propose_result(dossier.pk, actor=d["specialist"], at=at + 4 * step)
    services.approve(dossier.pk, actor=d["leader"], at=at + 5 * step)
    services.return_result(dossier.pk, actor=d["clerk"], at=at + 6 * step)
    return Dossier.objects.get(pk=dossier.pk)


def test_a_dossier_walks_its_whole_life_with_history_and_scoping(district):
    at = datetime(2026, 3, 2, 7, 45, tzinfo=VN)
    dossier = walk(district, receive(district, at=at), at)
    assert dossier.state == State.RETURNED
    assert dossier.current_unit == district["counter"]
    events = list(dossier.events.order_by("at"))
    assert [e.action for e in events] == [
        "receive",
        "assign",
        "transfer",
        "transfer",
        "propose_result",
        "approve",
        "return_result",
    ]
    assert [e.to_unit.code for e in events] == [
        "H50.22.02",
        "H50.22.03",
        "H50.22.04",
        "H50.22.03",
        "H50.22.03",
        "H50.22.02",
        "H50.22.02",
    ]
    assert [e.electronic for e in events if e.action == "transfer"] == [True, False]
    assert [e.on_time for e in events[1:]] == [True] * 6  # each step closed by its due moment
    assert all(e.step_due_at == dossier.due_at for e in events[1:5])
    assert AuditEvent.objects.filter(object_id=str(dossier.pk), kind="change").count() == 7
    # TN&MT handled it once, so it still sees it; Tài chính never did, so it does not.
    assert scoped_dossiers(district["land_specialist"]).filter(pk=dossier.pk).exists()
    assert not scoped_dossiers(district["finance_specialist"]).filter(pk=dossier.pk).exists()


def test_steps_of_an_inter_agency_procedure_get_their_own_due_moments(district):
    procedure = district["procedure"]
    ProcedureStep.objects.create(
        procedure=procedure, order=1, name="Thẩm định", unit_kind="phong_tu_phap", working_days=1
    )
    ProcedureStep.objects.create(
        procedure=procedure, order=2, name="Xác nhận", unit_kind="phong_tnmt", working_days=2
    )
    at = datetime(2026, 3, 2, 8, 0, tzinfo=VN)  # Monday
    dossier = receive(district, at=at)
    services.assign(dossier.pk, actor=district["clerk"], at=at + timedelta(hours=1))
    dossier.refresh_from_db()
    assert dossier.current_unit == district["justice"]
    assert dossier.step_due_at == datetime(2026, 3, 3, 9, 0, tzinfo=VN)
    late = datetime(2026, 3, 4, 10, 0, tzinfo=VN)  # a day after the step's due moment
    _, event = services.transfer(
        dossier.pk, actor=district["specialist"], to_unit=district["land"], at=late
    )
    assert event.on_time is False and event.step_due_at == datetime(2026, 3, 3, 9, 0, tzinfo=VN)
    dossier.refresh_from_db()
    assert dossier.current_step.name == "Xác nhận"
    assert dossier.step_due_at == datetime(2026, 3, 6, 10, 0, tzinfo=VN)


def test_the_wrong_role_or_state_is_refused_and_the_dossier_unchanged(district):
    dossier = receive(district)
    with pytest.raises(WorkflowError) as err:
        services.approve(dossier.pk, actor=district["leader"])
    assert err.value.status == 409 and "Chờ lãnh đạo duyệt" not in err.value.message
    assert "Đã tiếp nhận" in err.value.message
    with pytest.raises(WorkflowError) as err:
        services.assign(dossier.pk, actor=district["specialist"])
    assert err.value.status == 403
    services.assign(dossier.pk, actor=district["clerk"])
    with pytest.raises(WorkflowError) as err:  # TN&MT is not handling it
        services.propose_result(dossier.pk, actor=district["land_specialist"])
    assert err.value.status == 403
    with pytest.raises(WorkflowError, match="lý do"):
        services.decline(dossier.pk, actor=district["specialist"], reason="  ")
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS and dossier.events.count() == 2


def test_supplement_stops_the_clock_and_restarts_it(district):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    dossier = receive(district, at=at)
    services.assign(dossier.pk, actor=district["clerk"], at=at + timedelta(hours=1))
    _, asked = services.request_supplement(
        dossier.pk,
        actor=district["specialist"],
        reason="Thiếu bản sao sổ hộ khẩu",
        at=at + timedelta(hours=2),
    )
    assert PrintedForm.objects.filter(dossier=dossier, code="02", event=asked).exists()
    back = datetime(2026, 3, 10, 14, 0, tzinfo=VN)
    services.supplied(dossier.pk, actor=district["clerk"], at=back)
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS and dossier.clock_stopped_at is None
    assert dossier.due_at == datetime(2026, 3, 13, 14, 0, tzinfo=VN)


def test_extension_sets_a_new_appointment_but_keeps_the_due_moment(district):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    dossier = receive(district, at=at)
    services.assign(dossier.pk, actor=district["clerk"], at=at)
    due = Dossier.objects.get(pk=dossier.pk).due_at
    with pytest.raises(WorkflowError, match="sau ngày hẹn hiện tại"):
        services.extend(
            dossier.pk, actor=district["leader"], reason="Chờ xác minh", new_appointment=due
        )
    services.extend(
        dossier.pk,
        actor=district["leader"],
        reason="Chờ xác minh",
        new_appointment=due + timedelta(days=3),
        at=at + timedelta(hours=3),
    )
    dossier.refresh_from_db()
    assert dossier.due_at == due and dossier.appointment_at == due + timedelta(days=3)
    assert dossier.was_extended
    assert PrintedForm.objects.filter(dossier=dossier, code="04").exists()


def test_allowed_actions_follow_the_table(district):
    dossier = receive(district)
    clerk_actions = {
        a.code for a in allowed_actions(dossier, roles={"clerk"}, unit_id=district["counter"].pk)
    }
    assert clerk_actions == {"assign", "request_supplement", "withdraw", "stop"}  # no refuse now
    assert allowed_actions(dossier, roles={"specialist"}, unit_id=district["justice"].pk) == []
    assert set(ACTIONS) >= {"accept", "transfer", "approve", "return_result", "decline", "extend"}


def test_history_events_are_what_the_form_05_reads(district):
    at = datetime(2026, 3, 2, 7, 45, tzinfo=VN)
    dossier = walk(district, receive(district, at=at), at)
    assert (
        DossierEvent.objects.filter(dossier=dossier, action="transfer", electronic=True).count()
        == 1
    )
