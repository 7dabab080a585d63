"""The stored closing moment (``Dossier.closed_at``, issue #16): written by the action that
closes a dossier, never moved afterwards, present exactly when the state is closed — the
column the monthly report bounds "not closed before the period" with."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from dossiers import services
from dossiers.models import Dossier
from dossiers.workflow import ACTIONS, CLOSED_STATES, UNCLOSED_STATES, State
from reporting import periods
from reporting.tables import monthly_table

from .factories import DossierFactory
from .workflow_fixtures import receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 8, 0, tzinfo=VN)
HOUR = timedelta(hours=1)


def test_no_action_leads_from_a_closed_state_back_to_an_unclosed_one():
    # Were there one, a reopened dossier would keep a closing moment it no longer has.
    reopening = [
        code
        for code, action in ACTIONS.items()
        if action.target in UNCLOSED_STATES and set(action.sources) & CLOSED_STATES
    ]
    assert reopening == []
    assert CLOSED_STATES and not CLOSED_STATES & UNCLOSED_STATES


def test_the_result_closes_the_dossier_and_returning_it_keeps_the_moment(district):
    dossier = receive(district, at=AT)
    assert dossier.closed_at is None
    services.assign(dossier.pk, actor=district["clerk"], at=AT + HOUR)
    services.propose_result(dossier.pk, actor=district["specialist"], at=AT + 2 * HOUR)
    assert Dossier.objects.get(pk=dossier.pk).closed_at is None
    services.approve(dossier.pk, actor=district["leader"], at=AT + 3 * HOUR)
    approved = Dossier.objects.get(pk=dossier.pk)
    assert approved.closed_at == approved.finished_at == AT + 3 * HOUR
    services.return_result(dossier.pk, actor=district["clerk"], at=AT + 4 * HOUR)
    returned = Dossier.objects.get(pk=dossier.pk)
    assert returned.state == State.RETURNED and returned.closed_at == AT + 3 * HOUR


def test_a_withdrawal_closes_the_dossier_at_its_own_moment(district):
    dossier = receive(district, at=AT)
    services.withdraw(dossier.pk, actor=district["clerk"], reason="Đơn rút hồ sơ", at=AT + HOUR)
    withdrawn = Dossier.objects.get(pk=dossier.pk)
    assert withdrawn.closed_at == AT + HOUR == withdrawn.events.get(action="withdraw").at


@pytest.mark.parametrize(
    "kwargs",
    [
        {"returned": True, "closed_at": None},  # closed without its moment
        {"withdrawn": True, "closed_at": None},
        {"in_progress": True, "closed_at": AT},  # open with one
    ],
)
def test_the_database_refuses_a_closing_moment_that_does_not_match_the_state(db, kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierFactory(**kwargs)


def test_the_report_reads_the_closing_moment_not_the_last_change_of_the_row(district):
    """A dossier withdrawn on 30 March and touched in April (a note, an archive sweep) is
    withdrawn in March and not carried into April."""
    dossier = receive(district, at=AT)
    services.withdraw(
        dossier.pk,
        actor=district["clerk"],
        reason="Đơn rút hồ sơ",
        at=datetime(2026, 3, 30, 9, 0, tzinfo=VN),
    )
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=datetime(2026, 4, 10, tzinfo=VN))
    parent = district["counter"].parent
    march = monthly_table(parent, periods.month(2026, 3), group_by="unit").total
    april = monthly_table(parent, periods.month(2026, 4), group_by="unit").total
    assert (march["received"], march["withdrawn"], march["in_progress"]) == (1, 1, 0)
    assert (april["carried"], april["received"], april["withdrawn"]) == (0, 0, 0)
