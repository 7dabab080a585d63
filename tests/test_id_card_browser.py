"""The clerk drops the applicant's card on the reception page (issue #20, done-when): a phone
photo of a chip CCCD, then a Căn cước's back; the page shows what the card says, «Điền vào
phiếu» fills the applicant's fields, and the dossier is received with them — nothing was
saved before «Tiếp nhận»."""

import pytest

from dossiers.models import Applicant, Dossier

from . import id_cards
from .test_reception_keyboard_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def receive_with_card(page, base, procedure, image_path, shot=None):
    page.goto(f"{base}/tiep-nhan/?thu_tuc={procedure.national_code}")
    with page.expect_response(lambda r: "/the-can-cuoc/doc/" in r.url):
        page.locator("#id-card-file").set_input_files(str(image_path))
    reading = page.locator("#id-card-data")
    reading.wait_for()
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    page.get_by_role("button", name="Điền vào phiếu").click()
    return reading


def test_a_photographed_card_fills_the_form_and_the_clerk_receives(
    live_server, browser, contexts, district, artifacts_dir, tmp_path
):
    procedure = district["procedure"]
    front = tmp_path / "cccd-chup.jpg"
    front.write_bytes(id_cards.jpeg(id_cards.photographed(id_cards.chip_cccd_front())))
    page = sign_in(browser, contexts, live_server.url)

    receive_with_card(
        page, live_server.url, procedure, front, shot=artifacts_dir / "id-card-read.png"
    )
    assert Dossier.objects.count() == 0 and Applicant.objects.count() == 0  # not saved yet
    assert page.locator("#id_id_number").input_value() == "014090001234"
    assert page.locator("#id_name").input_value() == "Lò Thị Hương"
    assert page.locator("#id_address").input_value() == id_cards.PERSON["address"]
    page.locator("#id_phone").fill("0912345678")
    for box in page.locator(".checklist tr:has(.req) input[type=checkbox]").all():
        box.check()
    page.screenshot(path=str(artifacts_dir / "id-card-filled.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#receive-button").click()
    page.wait_for_url("**/ho-so/**?moi=1")
    dossier = Dossier.objects.select_related("applicant").get()
    assert (dossier.applicant.id_number, dossier.applicant.name) == (
        "014090001234",
        "Lò Thị Hương",
    )

    # The 2024 card's back, for another applicant: its further fields are shown, not filled.
    other = {**id_cards.PERSON, "id_number": "011195004321", "full_name": "Vàng A Dế"}
    back = tmp_path / "can-cuoc-mat-sau.jpg"
    back.write_bytes(id_cards.jpeg(id_cards.photographed(id_cards.can_cuoc_back(other), seed=2)))
    reading = receive_with_card(page, live_server.url, procedure, back)
    assert "Thái" in reading.inner_text()
    assert page.locator("#id_name").input_value() == "Vàng A Dế"
    page.locator("#id_phone").fill("0987654321")
    for box in page.locator(".checklist tr:has(.req) input[type=checkbox]").all():
        box.check()
    with page.expect_navigation():
        page.locator("#receive-button").click()
    page.wait_for_url("**/ho-so/**?moi=1")
    assert Dossier.objects.filter(applicant__id_number="011195004321").count() == 1
