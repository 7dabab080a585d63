"""The demo: Sơn La on today's map, the Bắc Yên district before 1/7/2025 merged into it by
the reorganisation service, accounts per role, dossiers in every state."""

import re
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dossiers.demo import DEMO_PASSWORD, load_demo
from dossiers.models import Dossier, DossierEvent, StaffProfile, Succession, Unit
from dossiers.roles import Role
from dossiers.validators import DOSSIER_CODE
from dossiers.workflow import OPEN_STATES, State
from feedback import demo as feedback_demo
from feedback.models import Feedback, RatingSentiment


@pytest.fixture
def demo(db):
    return load_demo()


def test_demo_district_maps_accounts_and_dossiers(demo, client):
    # Loading the demo takes ~10 s; one test checks all it made, another its idempotency.
    _both_maps_of_bac_yen()
    _accounts_cover_every_role_and_log_in(client)
    _dossiers_in_every_state_with_valid_codes()
    _pakn_open_overdue_answered_and_rated()


def _pakn_open_overdue_answered_and_rated():
    rows = Feedback.objects.all()
    assert rows.count() == len(feedback_demo.CASES)
    states = set(rows.values_list("state", flat=True))
    assert states == {"received", "answered", "closed"}
    assert rows.filter(state="received", due_at__lt=timezone.now()).exists()  # overdue
    assert rows.filter(publish_agreed=True, published=True).exists()
    assert not rows.filter(dossier=None)
    assert RatingSentiment.objects.filter(mismatch=True).exists()  # the quality page's example
    assert RatingSentiment.objects.filter(label="positive").exists()  # the demo's own comments


def _both_maps_of_bac_yen():
    district = Unit.objects.get(code="H50.22")
    assert district.name == "UBND huyện Bắc Yên" and district.valid_to == date(2025, 6, 30)
    district_communes = Unit.objects.filter(parent__code="H50.22", level__code="commune")
    assert district_communes.count() == 16
    assert all(u.valid_to == date(2025, 6, 30) and u.ended_basis for u in district_communes)
    today = Unit.objects.filter(parent__code="H50", level__code="commune")
    assert today.count() == 75 and all(u.valid_from == date(2025, 7, 1) for u in today)
    assert Unit.objects.filter(is_remote=True).exists()
    # Merged by the service on the timeline, not written: successions, hand-overs.
    assert Succession.objects.filter(predecessor__code__startswith="H50.22").count() == 30
    assert DossierEvent.objects.filter(action="handover").exists()
    assert not Dossier.objects.filter(state__in=OPEN_STATES, current_unit__valid_to__isnull=False)
    before = Dossier.objects.filter(received_at__date__lt=date(2025, 7, 1))
    after = Dossier.objects.filter(received_at__date__gte=date(2025, 7, 1))
    assert before.exists() and not before.exclude(receiving_unit__code__startswith="H50.22")
    assert after.exists() and not after.filter(receiving_unit__valid_to__isnull=False)
    assert after.exclude(competent_unit=None).exists()  # received for another commune


def _accounts_cover_every_role_and_log_in(client):
    users = get_user_model().objects.all()
    roles = Counter(g for u in users for g in u.groups.values_list("name", flat=True))
    assert set(roles) == {r.value for r in Role}
    assert StaffProfile.objects.count() == users.count()  # every staff member in a unit
    response = client.post("/dang-nhap/", {"username": "motcua.huyen1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/").content.decode()  # the district's clerk now serves xã Bắc Yên
    assert "UBND xã Bắc Yên" in home
    assert "Trung tâm Phục vụ hành chính công xã Bắc Yên" in home


def _dossiers_in_every_state_with_valid_codes():
    states = Counter(Dossier.objects.values_list("state", flat=True))
    assert set(states) == set(State.values)
    assert 300 <= sum(states.values()) <= 600
    pattern = re.compile(rf"^{DOSSIER_CODE}$")
    rows = Dossier.objects.values_list(
        "code", "receiving_unit__code", "competent_unit__code", "received_at", "submitted_at"
    )
    for code, receiving, competent, received_at, submitted_at in rows:
        assert pattern.match(code), code
        day = timezone.localdate(submitted_at or received_at)
        # TT 01/2018: the receiving unit's code; TT 03/2025: the handling agency's.
        leading = receiving if day < date(2025, 9, 15) else competent or receiving
        assert code.startswith(f"{leading}-{day:%y%m%d}-"), (code, leading)
    spread = Dossier.objects.exclude(received_at=None).values_list("received_at", flat=True)
    assert (max(spread) - min(spread)).days > 600  # about 24 months


def test_demo_is_idempotent(demo):
    counts = (Unit.objects.count(), get_user_model().objects.count(), Dossier.objects.count())
    pakn = Feedback.objects.count()
    again = load_demo()
    assert again["dossiers_created"] == 0
    users = get_user_model().objects.count()
    assert counts == (Unit.objects.count(), users, Dossier.objects.count())
    assert Feedback.objects.count() == pakn
