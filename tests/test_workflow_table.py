"""workflow.ACTIONS is the only description of an action: each has exactly one service, which
takes exactly the inputs the table names; the reports' state groups are the workflow's."""

import inspect

from dossiers import services
from dossiers.workflow import (
    ACTIONS,
    DROPPED_STATES,
    FINISHED_STATES,
    OPEN_STATES,
    UNCLOSED_STATES,
    State,
)
from reporting import tables

COMMON = {"actor", "at", "request"}


def test_every_action_has_exactly_one_service_taking_exactly_its_inputs():
    assert set(services.ACTION_SERVICES) == set(ACTIONS)
    for code, action in ACTIONS.items():
        service = services.ACTION_SERVICES[code]
        assert service.__name__ == code
        keywords = {
            name
            for name, p in inspect.signature(service).parameters.items()
            if p.kind is p.KEYWORD_ONLY
        }
        assert keywords - COMMON == set(action.inputs), code
        assert not (action.needs_reason and "reason" not in action.inputs), code


def test_the_state_groups_cover_every_state_once_and_reports_use_them():
    assert UNCLOSED_STATES | FINISHED_STATES | DROPPED_STATES == set(State)
    assert not UNCLOSED_STATES & FINISHED_STATES and not FINISHED_STATES & DROPPED_STATES
    assert OPEN_STATES - {State.RESULT_READY} <= UNCLOSED_STATES
    assert set(tables.UNCLOSED) == UNCLOSED_STATES and set(tables.DROPPED) == DROPPED_STATES
    assert set(tables.FINISHED) == FINISHED_STATES


def test_every_action_records_the_old_and_new_value_of_each_field_it_changed(district):
    from datetime import timedelta

    from dossiers.models import AuditEvent

    from .factories import staff
    from .workflow_fixtures import receive

    d = receive(district)
    services.assign(d.pk, actor=district["clerk"])
    d.refresh_from_db()
    audit = AuditEvent.objects.get(action="dossier.assign")
    assert audit.data["state"] == {"old": "received", "new": "in_progress"}
    assert audit.data["current_unit"] == {"old": district["counter"].pk, "new": d.current_unit_id}
    leader = staff(d.current_unit, "leader", username="ld.giahan")
    old = d.appointment_at
    new = old + timedelta(days=5)
    services.take_action("extend", d.pk, actor=leader, reason="Chờ xác minh", new_appointment=new)
    extended = AuditEvent.objects.get(action="dossier.extend").data
    assert extended["appointment_at"] == {"old": old.isoformat(), "new": new.isoformat()}
    assert extended["was_extended"] == {"old": False, "new": True}
    assert "state" not in extended and "updated_at" not in extended
