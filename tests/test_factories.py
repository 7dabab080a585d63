"""The test data factories keep up with the workflow: a trait for every state."""

import pytest

from dossiers.public_lookup import clean
from dossiers.workflow import FINISHED_STATES, State

from .factories import DossierFactory


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_a_trait_that_builds_a_dossier_in_it(db, state):
    dossier = DossierFactory(**{state.value: True})
    dossier.refresh_from_db()
    assert dossier.state == state
    # A result, or the decision not to resolve it (decline), sets the finish moment.
    assert (dossier.finished_at is not None) == (state in {*FINISHED_STATES, State.DECLINED})
    assert clean(dossier.code, dossier.check_code) is not None  # a code the public site accepts
