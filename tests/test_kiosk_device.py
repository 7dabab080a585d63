"""A kiosk device at the counter (issue 21): tickets and ratings with no staff session — an
admin registers the device and reads its token once, the token typed on the device activates
it (a signed cookie after), a clerk invites the citizen to rate on it, a new token revokes
it."""

import pytest
from django.test import Client

from counter import kiosk
from counter.models import KioskDevice, ServiceArea, Ticket
from dossiers.models import AuditEvent, Rating

from .factories import UserFactory
from .test_rating import returned

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(district):
    dev = KioskDevice(unit=district["counter"], name="Máy đánh giá quầy 2")
    token = kiosk.new_token(dev)
    dev.save()
    return dev, token


def test_the_admin_gets_the_token_once_and_only_its_hash_is_kept(client, district):
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.post(
        "/quan-tri/counter/kioskdevice/add/",
        {"unit": district["counter"].pk, "name": "Máy quầy 1", "is_active": "on"},
        follow=True,
    ).content.decode()
    device = KioskDevice.objects.get()
    token = page.split("Mã thiết bị «Máy quầy 1»: ", 1)[1].split(" ", 1)[0]
    assert kiosk.activate(token) == device and token not in device.token_hash


def test_a_device_activated_by_token_takes_numbers_and_ratings_without_a_session(device, district):
    dev, token = device
    area = ServiceArea.objects.create(unit=district["counter"], letter="A", name="Hộ tịch")
    tablet = Client()
    assert "Mã thiết bị" in tablet.get("/xep-hang/thiet-bi/").content.decode()
    wrong = tablet.post("/xep-hang/thiet-bi/", {"token": "x" * 20})
    assert wrong.status_code == 400 and "không đúng" in wrong.content.decode()
    activated = tablet.post("/xep-hang/thiet-bi/", {"token": token})
    assert activated.status_code == 302 and kiosk.COOKIE in activated.cookies
    assert "_auth_user_id" not in tablet.session
    took = tablet.post("/xep-hang/thiet-bi/", {"area": area.pk}).content.decode()
    assert "A001" in took and Ticket.objects.count() == 1
    idle = tablet.get("/xep-hang/thiet-bi/danh-gia/").content.decode()
    assert "Khi cán bộ trả kết quả và mời đánh giá" in idle

    dossier = returned(district)
    clerk = Client()
    clerk.force_login(district["clerk"])
    clerk.post(f"/xep-hang/moi-danh-gia/{dossier.code}/")
    assert AuditEvent.objects.filter(action="kiosk.rating_invited").count() == 1
    shown = tablet.get("/xep-hang/thiet-bi/danh-gia/").content.decode()
    assert dossier.code in shown and "hx-trigger" not in shown.split("<form", 1)[0]
    done = tablet.post("/xep-hang/thiet-bi/danh-gia/", {"score": "4", "comment": "Nhanh"})
    assert "Cảm ơn ông/bà đã đánh giá!" in done.content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == "kiosk" and rating.comment == "Nhanh"
    dev.refresh_from_db()
    assert dev.pending_dossier is None
    again = tablet.post("/xep-hang/thiet-bi/danh-gia/", {"score": "1"}).content.decode()
    assert "Chưa có hồ sơ nào chờ đánh giá" in again and Rating.objects.count() == 1

    # A new token revokes the activated device.
    kiosk.new_token(dev)
    dev.save(update_fields=["token_hash"])
    assert "Mã thiết bị" in tablet.get("/xep-hang/thiet-bi/").content.decode()
    assert tablet.get("/xep-hang/thiet-bi/danh-gia/").status_code == 403


def test_only_the_returning_counter_invites_and_a_counter_without_a_device_is_told(
    client, district
):
    dossier = returned(district)
    client.force_login(district["specialist"])
    refused = client.post(f"/xep-hang/moi-danh-gia/{dossier.code}/", follow=True)
    assert "Chỉ Bộ phận Một cửa trả kết quả hồ sơ mời đánh giá." in refused.content.decode()
    client.force_login(district["clerk"])
    none = client.post(f"/xep-hang/moi-danh-gia/{dossier.code}/", follow=True).content.decode()
    assert "Quầy chưa có thiết bị đánh giá" in none
    assert client.post("/xep-hang/moi-danh-gia/khong-co/", follow=True).status_code == 404
