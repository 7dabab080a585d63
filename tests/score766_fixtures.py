"""A province with two communes and a hand-built October 2026 whose every QĐ 766 figure is
known (tests/test_score766.py spells them out): dossiers, ratings, PAKN, payments, population
checks and the sync with DVCQG, written as rows (factories), not walked through services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dossiers.models import Rating
from feedback.models import Feedback
from integrations.models import (
    DossierSync,
    NationalMessage,
    Payment,
    PopulationCheck,
    PopulationLookup,
)

from .factories import DossierFactory, ProcedureFactory, UnitFactory, UnitLevelFactory, staff

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = "month=2026-10"


def oct_(day, hour=9):
    return datetime(2026, 10, day, hour, 0, tzinfo=ZONE)


def _dossier(unit, procedure, received, due, finished=None, channel="direct"):
    traits = {"returned": True, "returned_at": finished} if finished else {"in_progress": True}
    return DossierFactory(
        receiving_unit=unit,
        procedure=procedure,
        received_at=received,
        due_at=due,
        finished_at=finished,
        channel=channel,
        **traits,
    )


def _pakn(n, unit, due, answered=None, score=None, dossier=None):
    return Feedback.objects.create(
        code=f"PAKN-2610-{n:04d}",
        channel=Feedback.Channel.WEB,
        unit=unit,
        dossier=dossier,
        content="Hồ sơ chậm trả kết quả.",
        sender_name="Lò Văn Sinh",
        received_at=due - timedelta(days=14),
        due_at=due,
        answer="Đơn vị đã xử lý." if answered else "",
        answered_at=answered,
        answer_score=score,
        rated_at=answered if score else None,
    )


def _verified(dossier, clerk, waived):
    lookup = PopulationLookup.objects.create(
        actor=clerk,
        unit=dossier.receiving_unit,
        id_number=dossier.applicant.id_number,
        full_name=dossier.applicant.name,
        birth_date="1990-01-01",
        dossier=dossier,
        result="match",
    )
    PopulationCheck.objects.create(
        dossier=dossier, applicant=dossier.applicant, lookup=lookup, state="verified", waived=waived
    )


def _synced(dossier, delay_minutes, state=DossierSync.State.SYNCED):
    sync = DossierSync.objects.create(dossier=dossier, state=state)
    queued = dossier.received_at
    sent = queued + timedelta(minutes=delay_minutes) if state == DossierSync.State.SYNCED else None
    NationalMessage.objects.create(
        sync=sync,
        seq=1,
        service=NationalMessage.Service.DOSSIER,
        payload={},
        state="sent" if sent else "pending",
        queued_at=queued,
        sent_at=sent,
    )


@pytest.fixture
def score_province(db):
    """Tỉnh H50 with communes Tà Xùa (H50.30) and Xím Vàng (H50.33).

    Tà Xùa, October 2026 (fee procedure P1 at 20.000 đ, free procedure P2):
      d1 P1 online, due 10/10, finished 10/10 (on time), rated 4, paid online, verified with
         a paper waived, synced 5 min after it was queued
      d2 P1 direct, due 5/10, finished 8/10 (late), rated 2, paid at the counter, verified
         with nothing waived, synced 2 h after (not in real time)
      d3 P2 direct, due 20/10, finished 12/10 (early), a PAKN about it, sync pending
      d4 P2 direct, in progress, no sync row
      PAKN f1 due 15/10 answered 14/10 rated 4; f2 due 20/10 answered 25/10 rated 3;
           f3 (about d3) due 28/10 unanswered
    Xím Vàng: x1 P2 direct, due 6/10, finished 9/10 (late).
    """
    province_level = UnitLevelFactory(code="province", name="Tỉnh", rank=1)
    province = UnitFactory(
        code="H50", name="UBND tỉnh Sơn La", level=province_level, kind="province"
    )
    ta_xua = UnitFactory(code="H50.30", name="UBND xã Tà Xùa", parent=province)
    xim_vang = UnitFactory(code="H50.33", name="UBND xã Xím Vàng", parent=province)
    clerk = staff(ta_xua, "clerk", username="motcua-taxua")
    fee = ProcedureFactory(name="Cấp bản sao trích lục hộ tịch", fee_vnd=20000)
    free = ProcedureFactory(name="Đăng ký khai sinh", fee_vnd=0)
    d1 = _dossier(ta_xua, fee, oct_(6), oct_(10), oct_(10, 15), channel="online")
    d2 = _dossier(ta_xua, fee, oct_(1), oct_(5), oct_(8))
    d3 = _dossier(ta_xua, free, oct_(7), oct_(20), oct_(12))
    d4 = _dossier(ta_xua, free, oct_(27), oct_(31))
    x1 = _dossier(xim_vang, free, oct_(1), oct_(6), oct_(9))
    Rating.objects.create(dossier=d1, score=4, channel="kiosk")
    Rating.objects.create(dossier=d2, score=2, channel="kiosk")
    f1 = _pakn(1, ta_xua, oct_(15), answered=oct_(14), score=4)
    f2 = _pakn(2, ta_xua, oct_(20), answered=oct_(25), score=3)
    f3 = _pakn(3, ta_xua, oct_(28), dossier=d3)
    Payment.objects.create(
        dossier=d1, amount=20000, reference="TT-D1", state="paid", channel="online"
    )
    Payment.objects.create(
        dossier=d2, amount=20000, reference="TT-D2", state="paid", channel="counter"
    )
    _verified(d1, clerk, ["Bản sao Căn cước"])
    _verified(d2, clerk, [])
    _synced(d1, 5)
    _synced(d2, 120)
    _synced(d3, 0, state=DossierSync.State.PENDING)
    return {
        "province": province,
        "ta_xua": ta_xua,
        "xim_vang": xim_vang,
        "office": staff(province, "district_office", username="vanphong-tinh"),
        "leader": staff(ta_xua, "leader", username="lanhdao-taxua"),
        **dict(d1=d1, d2=d2, d3=d3, d4=d4, x1=x1, f1=f1, f2=f2, f3=f3),
    }
