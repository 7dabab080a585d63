"""What people see of the DVCQG sync (issue #18): the dossier page's panel, the
reconciliation page, the API and ``manage.py sync_national``, each within the user's scope and
role, each saying why a dossier is not in sync."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from dossiers.models import AuditEvent
from integrations import sync
from integrations.models import DossierSync, NationalMessage
from integrations.platforms import RejectedError, TransientError

from .factories import staff
from .test_national_sync import Recording
from .workflow_fixtures import receive

AT = datetime(2026, 3, 2, 7, 45, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def three(district):
    """One dossier synced, one waiting after a time-out, one rejected."""
    synced, waiting, rejected = (receive(district, at=AT) for _ in range(3))
    rows = {d.code: DossierSync.objects.get(dossier=d) for d in (synced, waiting, rejected)}
    sync.deliver(rows[synced.code].pk, client=Recording())
    sync.deliver(
        rows[waiting.code].pk,
        client=Recording({1: TransientError("Không kết nối được Cổng DVCQG (ConnectError).")}),
    )
    sync.deliver(
        rows[rejected.code].pk,
        client=Recording({1: RejectedError("Cổng DVCQG từ chối: NgayHenTra không hợp lệ")}),
    )
    return {"synced": synced, "waiting": waiting, "rejected": rejected, **district}


def panel(client, dossier):
    return client.get(f"/dong-bo/ho-so/{dossier.code}/").content.decode()


def test_the_dossier_panel_says_where_each_dossier_stands(client, three):
    client.force_login(three["clerk"])
    page = panel(client, three["synced"])
    assert "Đã đồng bộ" in page and "Cổng đã nhận đủ 2 thông điệp" in page
    assert "Gửi" not in page.split("</p>")[-1]  # nothing to resend
    page = panel(client, three["waiting"])
    assert "Chưa đồng bộ" in page and "Sẽ tự gửi lại: Không kết nối được" in page
    assert "Gửi ngay" in page
    page = panel(client, three["rejected"])
    assert "Lỗi" in page and "Cổng từ chối, chờ cán bộ xem lại" in page
    assert "NgayHenTra không hợp lệ" in page and "Gửi lại sau khi đã sửa" in page
    # The dossier page loads the panel.
    detail = client.get(f"/ho-so/{three['rejected'].code}/").content.decode()
    assert f"/dong-bo/ho-so/{three['rejected'].code}/" in detail


def test_scope_and_roles(client, three):
    outsider = staff(three["land"], "clerk", username="motcua.khac")
    client.force_login(outsider)
    assert client.get(f"/dong-bo/ho-so/{three['rejected'].code}/").status_code == 404
    assert client.post(f"/dong-bo/ho-so/{three['rejected'].code}/gui-lai/").status_code == 404
    client.force_login(three["specialist"])  # sees the panel, may not resend
    assert "Gửi lại sau khi đã sửa" not in panel(client, three["rejected"])
    assert client.post(f"/dong-bo/ho-so/{three['rejected'].code}/gui-lai/").status_code == 403
    assert client.get("/dong-bo/").status_code == 403


def test_the_reconciliation_page_lists_what_is_not_in_sync_and_resends(client, three):
    client.force_login(three["clerk"])
    page = client.get("/dong-bo/").content.decode()
    assert three["waiting"].code in page and three["rejected"].code in page
    assert three["synced"].code not in page
    assert page.index(three["rejected"].code) < page.index(three["waiting"].code)  # errors first
    only_errors = client.get("/dong-bo/?trang_thai=error").content.decode()
    assert three["waiting"].code not in only_errors and three["rejected"].code in only_errors
    response = client.post(f"/dong-bo/ho-so/{three['rejected'].code}/gui-lai/", {"back": "list"})
    assert response.status_code == 302 and response["Location"] == "/dong-bo/"
    message = NationalMessage.objects.get(sync__dossier=three["rejected"], seq=1)
    assert message.state == "pending" and message.last_error == ""
    audit = AuditEvent.objects.get(action="national_sync.resend")
    assert audit.actor == three["clerk"] and audit.object_id == str(three["rejected"].pk)
    assert "Không có hồ sơ nào khớp" in client.get("/dong-bo/?ma=KHONG-CO").content.decode()
    # Nothing out of sync: the empty state.
    DossierSync.objects.update(state="synced")
    assert "Mọi hồ sơ trong phạm vi đơn vị đã đồng bộ" in client.get("/dong-bo/").content.decode()


def test_the_api_gives_each_dossiers_sync_state(client, three):
    client.force_login(three["clerk"])
    body = client.get(f"/api/v1/national-sync/{three['rejected'].code}/").json()
    assert body["state"] == "error" and "NgayHenTra" in body["last_error"]
    assert [m["state"] for m in body["open_messages"]] == ["rejected", "pending"]
    listing = client.get("/api/v1/national-sync/?state=pending").json()
    assert [r["code"] for r in listing["results"]] == [three["waiting"].code]
    assert client.get("/api/v1/national-sync/H50.22.02-000000-0000/").status_code == 404
    assert client.get("/api/v1/national-sync/<script>/").status_code == 404
    response = client.post(f"/api/v1/national-sync/{three['rejected'].code}/resend/")
    assert response.status_code == 202 and response.json()["resent"] == 1
    client.force_login(three["specialist"])
    assert client.post(f"/api/v1/national-sync/{three['waiting'].code}/resend/").status_code == 403


def test_the_command_checks_and_resends(three):
    out = StringIO()
    with pytest.raises(CommandError, match="1 hồ sơ bị Cổng từ chối"):
        call_command("sync_national", "--check", stdout=out)
    text = out.getvalue()
    assert "Đã đồng bộ: 1" in text and "Chưa đồng bộ: 1" in text and "Lỗi: 1" in text
    assert three["rejected"].code in text and "NgayHenTra không hợp lệ" in text
    call_command("sync_national", "--resend", three["rejected"].code, stdout=StringIO())
    assert DossierSync.objects.get(dossier=three["rejected"]).state == "pending"
    call_command("sync_national", "--check", stdout=StringIO())  # no error left: exit 0
    with pytest.raises(CommandError, match="Không có hồ sơ"):
        call_command("sync_national", "--resend", "H50.22.02-000000-0000", stdout=StringIO())
