"""The DVCQG outbox (issue #18): what each step of a dossier owes the platform, written in the
step's transaction, and the order, retry and rejection rules of its delivery. The delivery is
driven here through the adapter's interface with a recording client; the same rules over real
HTTP against the local counterpart, with a real worker, are in test_national_sync_http.py."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.models import Dossier, Procedure
from dossiers.services.catalogue_rules import record_revision, snapshot
from dossiers.services.errors import WorkflowError
from integrations import dvcqg_messages, sync
from integrations.models import DossierSync, NationalMessage
from integrations.platforms import Ack, RejectedError, TransientError

from .test_reception_workflow import walk
from .workflow_fixtures import receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 7, 45, tzinfo=VN)


class Recording:
    """The NationalPortal interface, answering from a script: (service, MaHoSo, seq) sent."""

    def __init__(self, faults=None):
        self.sent = []
        self.faults = dict(faults or {})  # seq -> exception to raise once

    def send(self, service, item, *, is_updating=False):
        seq = self._seq(item)
        if seq in self.faults:
            raise self.faults.pop(seq)
        self.sent.append((service, item["MaHoSo"], seq, is_updating))
        return Ack(answer={"error_code": 0})

    @staticmethod
    def _seq(item):
        return NationalMessage.objects.get(message_id=item["MaThongDiep"]).seq


def rows(dossier):
    return list(NationalMessage.objects.filter(sync__dossier=dossier).order_by("seq"))


def test_each_step_writes_its_message_and_the_whole_dossier_goes_first(district):
    dossier = walk(district, receive(district, at=AT), AT)
    messages = rows(dossier)
    services_in_order = [(m.seq, m.service, m.is_updating) for m in messages]
    assert services_in_order == [
        (1, "DongBoHoSoMC", False),
        (2, "CapNhatTienDoHoSoMC", False),  # receive
        (3, "CapNhatTienDoHoSoMC", False),  # assign
        (4, "CapNhatTienDoHoSoMC", False),  # transfer
        (5, "CapNhatTienDoHoSoMC", False),  # transfer back
        (6, "CapNhatTienDoHoSoMC", False),  # propose
        (7, "CapNhatTienDoHoSoMC", False),  # approve: result ready ...
        (8, "DongBoHoSoMC", True),  # ... so the whole dossier again
        (9, "CapNhatTienDoHoSoMC", False),  # returned ...
        (10, "DongBoHoSoMC", True),  # ... and again
    ]
    first = messages[0].payload
    assert first["MaHoSo"] == dossier.code
    assert first["MaTTHC"] == district["procedure"].national_code
    assert first["NgayTiepNhan"] == "20260302074500"  # yyyyMMddHHmmss, Vietnam's time
    assert first["TrangThaiHoSo"] == "2"  # được tiếp nhận
    assert first["HinhThuc"] == "0"  # trực tiếp
    assert [c["TenTepDinhKem"] for c in first["TaiLieuNop"]] == [
        "Phiếu yêu cầu",
        "Dự thảo hợp đồng",
        "Giấy tờ khác",
    ]
    assert first["MaThongDiep"] == str(messages[0].message_id)
    steps = [m.payload for m in messages if m.service == "CapNhatTienDoHoSoMC"]
    assert [s["TrangThai"] for s in steps] == ["2", "4", "4", "4", "4", "9", "10"]
    assert [s["SoThuTu"] for s in steps] == [2, 3, 4, 5, 6, 7, 9]
    assert steps[2]["PhongBanXuLy"] == "Phòng Tư pháp"
    assert steps[3]["NoiDungXuLy"].endswith("Gửi bản giấy")
    assert messages[-1].payload["TrangThaiHoSo"] == "10"
    assert messages[-1].payload["NgayTra"] == "20260302194500"
    assert DossierSync.objects.get(dossier=dossier).next_seq == 11
    assert {m.state for m in messages} == {"pending"}


def test_a_refused_action_writes_no_message(district):
    dossier = receive(district, at=AT)
    before = len(rows(dossier))
    with pytest.raises(WorkflowError):
        services.approve(dossier.pk, actor=district["leader"])  # not pending approval
    assert len(rows(dossier)) == before == 2


def test_delivery_goes_in_order_and_stops_at_a_transient_fault(district):
    dossier = walk(district, receive(district, at=AT), AT)
    sync_row = DossierSync.objects.get(dossier=dossier)
    client = Recording({4: TransientError("Cổng DVCQG không trả lời trong thời hạn chờ.")})
    assert sync.deliver(sync_row.pk, client=client) == "waiting"
    assert [seq for _, _, seq, _ in client.sent] == [1, 2, 3]
    sync_row.refresh_from_db()
    assert sync_row.state == "pending" and sync_row.sent_seq == 3
    assert "thời hạn chờ" in sync_row.last_error
    fourth = NationalMessage.objects.get(sync=sync_row, seq=4)
    assert fourth.state == "pending" and fourth.attempts == 1
    assert fourth.next_attempt_at > timezone.now()
    # Not due yet: nothing is sent, the dossier is not taken out of turn.
    assert sync.deliver(sync_row.pk, client=client) == "waiting"
    assert len(client.sent) == 3
    assert sync_row.pk not in sync.due_for_sweep()
    NationalMessage.objects.filter(pk=fourth.pk).update(next_attempt_at=timezone.now())
    assert sync_row.pk in sync.due_for_sweep()
    assert sync.deliver(sync_row.pk, client=client) == "synced"
    assert [seq for _, _, seq, _ in client.sent] == list(range(1, 11))
    sync_row.refresh_from_db()
    assert (sync_row.state, sync_row.sent_seq, sync_row.last_error) == ("synced", 10, "")


def test_a_rejected_message_waits_for_a_person_and_is_resent_rebuilt(district):
    dossier = receive(district, at=AT)
    sync_row = DossierSync.objects.get(dossier=dossier)
    client = Recording({1: RejectedError("Cổng DVCQG từ chối: Thiếu MaTTHC")})
    assert sync.deliver(sync_row.pk, client=client) == "error"
    assert client.sent == []  # the step never overtakes the dossier it belongs to
    sync_row.refresh_from_db()
    assert sync_row.state == "error" and "Thiếu MaTTHC" in sync_row.last_error
    first = NationalMessage.objects.get(sync=sync_row, seq=1)
    assert first.state == "rejected" and first.next_attempt_at is None
    assert sync_row.pk not in sync.due_for_sweep()  # never retried on its own
    assert sync.deliver(sync_row.pk, client=client) == "error"  # nor by a stray task
    Dossier.objects.filter(pk=dossier.pk).update(note="Trích yếu đã sửa")
    old_id = first.message_id
    assert sync.resend(sync_row, actor=district["clerk"]) == 1
    first.refresh_from_db()
    assert first.message_id != old_id and first.payload["TrichYeuHoSo"] == "Trích yếu đã sửa"
    assert first.payload["MaThongDiep"] == str(first.message_id)
    assert sync.deliver(sync_row.pk, client=client) == "synced"
    assert [seq for _, _, seq, _ in client.sent] == [1, 2]


def test_a_dossier_held_by_another_worker_is_left_alone(district):
    dossier = receive(district, at=AT)
    sync_row = DossierSync.objects.get(dossier=dossier)
    DossierSync.objects.filter(pk=sync_row.pk).update(
        lease_until=timezone.now() + timedelta(seconds=60)
    )
    client = Recording()
    assert sync.deliver(sync_row.pk, client=client) == "busy"
    assert client.sent == [] and sync_row.pk not in sync.due_for_sweep()
    DossierSync.objects.filter(pk=sync_row.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert sync.deliver(sync_row.pk, client=client) == "synced"


def test_the_dossier_message_keeps_the_fee_of_the_day_it_was_received(district):
    """Issue 17: a fee raised after reception changes neither what the applicant owes nor
    what DVCQG is told they owe; a dossier received after the change carries the new fee."""
    procedure = district["procedure"]
    Procedure.objects.filter(pk=procedure.pk).update(fee_vnd=8000, fee_note="Lệ phí cũ")
    procedure.refresh_from_db()
    old = snapshot(procedure)
    record_revision(procedure, None, old, effective_from=date(2026, 1, 1))
    before = receive(district, at=AT)
    dearer = {**old, "fee_vnd": 10000, "fee_note": "Lệ phí mới"}
    record_revision(procedure, old, dearer, effective_from=date(2026, 3, 3))
    Procedure.objects.filter(pk=procedure.pk).update(fee_vnd=10000, fee_note="Lệ phí mới")
    after = receive(district, at=AT + timedelta(days=1))

    def fee(dossier):
        dossier = Dossier.objects.select_related("procedure", "rules").get(pk=dossier.pk)
        return [
            (f["TenPhiLePhi"], f["Gia"])
            for f in dvcqg_messages.dossier_message(dossier)["DanhSachLePhi"]
        ]

    assert fee(before) == [("Lệ phí cũ", "8000")]
    assert fee(after) == [("Lệ phí mới", "10000")]
