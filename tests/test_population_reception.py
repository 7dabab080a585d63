"""The population check through the pages, against the real counterpart: the clerk's look-up
in the reception form, the confirmed applicant marked verified on the dossier, its page and
its Mẫu 01, the papers the database replaces; what is ignored (no confirmation, another
clerk's look-up, another person); the database down; the VNeID citizen's online submission."""

import io
import re

import pytest
from django.test import RequestFactory
from pypdf import PdfReader

from dossiers import public_identity
from dossiers.models import PrintedForm, ProcedureComponent
from dossiers.services import ReceivedComponent, submit_online
from integrations.models import PopulationCheck, PopulationLookup
from integrations.population_receivers import BIRTHDATE_KEY

from .factories import staff
from .population_fixtures import HOA

pytestmark = pytest.mark.django_db
RESIDENCE = "Giấy xác nhận thông tin về cư trú"


@pytest.fixture
def counter(district):
    ProcedureComponent.objects.create(
        procedure=district["procedure"], order=4, name=RESIDENCE, required=False
    )
    return district


def look_up(client, d, person=HOA, **extra):
    client.force_login(d["clerk"])
    form = {
        "procedure": d["procedure"].national_code,
        "id_number": person["id_number"],
        "name": person["name"],
        "population_birth_date": person["birth"],
        "population_reason": "Tiếp nhận hồ sơ",
        **extra,
    }
    response = client.post("/dong-bo/dan-cu/tra-cuu/", form)
    assert response.status_code == 200
    return response.content.decode()


def lookup_id(html):
    return re.search(r'name="population_lookup" value="(\d+)"', html).group(1)


def receive(client, d, key, captured, person=HOA, **extra):
    form = {
        "procedure": d["procedure"].national_code,
        "idempotency_key": key,
        "kind": "person",
        "id_number": person["id_number"],
        "name": person["name"],
        **extra,
    }
    for c in d["procedure"].components.all():
        if c.required:
            form[f"c{c.pk}"] = "1"
            form[f"n{c.pk}"] = str(c.copies)
    client.force_login(d["clerk"])
    with captured(execute=True):
        response = client.post("/tiep-nhan/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].split("/")[-2]


def receipt_text(code):
    form = PrintedForm.objects.get(dossier__code=code, kind="receipt")
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(form.pdf.read())).pages)


def test_the_panel_offers_the_look_up_in_the_reception_form(client, counter, population_db):
    client.force_login(counter["clerk"])
    page = client.get(f"/tiep-nhan/?thu_tuc={counter['procedure'].national_code}").content.decode()
    assert "/dong-bo/dan-cu/tiep-nhan/" in page
    panel = client.get(
        "/dong-bo/dan-cu/tiep-nhan/", {"procedure": counter["procedure"].national_code}
    ).content.decode()
    assert "Tra cứu CSDLQG về dân cư" in panel
    assert f"Tiếp nhận hồ sơ thủ tục {counter['procedure'].national_code}" in panel


def test_a_confirmed_match_marks_the_dossier_its_page_and_its_receipt(
    client, counter, population_db, django_capture_on_commit_callbacks
):
    html = look_up(client, counter)
    assert "Thông tin người nộp khớp với CSDLQG về dân cư" in html
    assert "Lò Thị Hoa" in html and "Nữ" in html and "Mông" in html
    assert f"Không yêu cầu nộp (đã có trong CSDLQG về dân cư): {RESIDENCE}" in html
    code = receive(
        client,
        counter,
        "k1",
        django_capture_on_commit_callbacks,
        population_lookup=lookup_id(html),
        population_confirm="1",
    )
    check = PopulationCheck.objects.get(dossier__code=code)
    assert check.verified and check.applicant.id_number == HOA["id_number"]
    assert check.waived == [RESIDENCE]
    assert PopulationLookup.objects.get().dossier.code == code  # the look-up names its dossier
    panel = client.get(f"/dong-bo/dan-cu/ho-so/{code}/").content.decode()
    assert "Đã xác thực với CSDLQG về dân cư" in panel
    assert f"Không yêu cầu nộp: {RESIDENCE}" in panel
    text = " ".join(receipt_text(code).split())
    assert "đã xác thực với CSDLQG về dân cư" in text


def test_what_cannot_vouch_for_the_applicant_is_ignored(
    client, counter, population_db, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    unconfirmed = lookup_id(look_up(client, counter))
    code = receive(client, counter, "k1", captured, population_lookup=unconfirmed)
    assert not PopulationCheck.objects.filter(dossier__code=code).exists()
    other_clerk = staff(counter["counter"], "clerk")
    client.force_login(other_clerk)
    theirs = client.post(
        "/dong-bo/dan-cu/tra-cuu/",
        {
            "id_number": HOA["id_number"],
            "name": HOA["name"],
            "population_birth_date": HOA["birth"],
            "population_reason": "Tiếp nhận hồ sơ",
        },
    ).content.decode()
    code = receive(
        client,
        counter,
        "k2",
        captured,
        population_lookup=lookup_id(theirs),
        population_confirm="1",
    )
    assert not PopulationCheck.objects.filter(dossier__code=code).exists()
    # A match for Lò Thị Hoa does not vouch for someone else's dossier.
    mine = lookup_id(look_up(client, counter))
    someone = {"id_number": "014090001234", "name": "Lò Văn Sinh"}
    code = receive(
        client,
        counter,
        "k3",
        captured,
        person=someone,
        population_lookup=mine,
        population_confirm="1",
    )
    assert not PopulationCheck.objects.filter(dossier__code=code).exists()
    panel = client.get(f"/dong-bo/dan-cu/ho-so/{code}/").content.decode()
    assert "chưa được tra cứu" in panel


def test_the_database_down_the_clerk_goes_on_and_the_dossier_says_so(
    client, counter, population_db, django_capture_on_commit_callbacks
):
    population_db.population_control("POST", "faults", json={"mode": "down", "count": 1})
    html = look_up(client, counter)
    assert "CSDLQG về dân cư không phản hồi" in html
    code = receive(
        client,
        counter,
        "k1",
        django_capture_on_commit_callbacks,
        population_lookup=lookup_id(html),
    )
    check = PopulationCheck.objects.get(dossier__code=code)
    assert check.state == PopulationCheck.State.UNAVAILABLE and check.waived == []
    panel = client.get(f"/dong-bo/dan-cu/ho-so/{code}/").content.decode()
    assert "Chưa xác thực – CSDLQG không phản hồi" in panel
    assert "chưa xác thực – CSDLQG về dân cư không phản hồi" in " ".join(receipt_text(code).split())


def test_refusals_reach_the_panel_in_vietnamese(client, counter, population_db, settings):
    html = look_up(client, counter, population_reason="")
    assert "phải gắn với một hồ sơ hoặc ghi rõ lý do" in html
    settings.POPULATION_LOOKUPS_PER_HOUR = 1
    look_up(client, counter)
    assert "1 lần trong một giờ" in look_up(client, counter)
    client.force_login(counter["specialist"])  # not a counter clerk
    response = client.post("/dong-bo/dan-cu/tra-cuu/", {"id_number": HOA["id_number"]})
    assert response.status_code == 403


def test_the_vneid_citizen_submitting_online_is_checked(
    counter, population_db, django_capture_on_commit_callbacks
):
    request = RequestFactory().post("/nop-truc-tuyen/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    public_identity.sign_in(request, id_number=HOA["id_number"], name=HOA["name"])
    request.session[BIRTHDATE_KEY] = "2001-06-15"
    procedure = counter["procedure"]
    procedure.online_level = procedure.OnlineLevel.FULL
    procedure.save()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit_online(
            procedure=procedure,
            unit=counter["counter"],
            applicant={"kind": "person", "id_number": HOA["id_number"], "name": HOA["name"]},
            components=[ReceivedComponent(c.pk, c.copies) for c in procedure.components.all()],
            request=request,
        )
    check = PopulationCheck.objects.get(dossier=dossier)
    assert check.verified and check.waived == [RESIDENCE]
    lookup = PopulationLookup.objects.get()
    assert (lookup.actor, lookup.channel, lookup.dossier) == (None, "vneid", dossier)


def test_a_required_paper_the_database_replaces_need_not_be_handed_in(
    client, counter, population_db, django_capture_on_commit_callbacks
):
    ProcedureComponent.objects.filter(name=RESIDENCE).update(required=True)
    captured = django_capture_on_commit_callbacks
    client.force_login(counter["clerk"])
    form = {
        "procedure": counter["procedure"].national_code,
        "idempotency_key": "k0",
        "kind": "person",
        "id_number": HOA["id_number"],
        "name": HOA["name"],
    }
    for c in counter["procedure"].components.exclude(name=RESIDENCE).filter(required=True):
        form[f"c{c.pk}"] = "1"
    refused = client.post("/tiep-nhan/", form).content.decode()
    assert f"Thiếu thành phần bắt buộc: {RESIDENCE}" in refused  # without a confirmed look-up
    html = look_up(client, counter)
    code = receive(
        client,
        counter,
        "k1",
        captured,
        population_lookup=lookup_id(html),
        population_confirm="1",
        **{f"c{ProcedureComponent.objects.get(name=RESIDENCE).pk}": ""},
    )
    check = PopulationCheck.objects.get(dossier__code=code)
    assert check.verified and check.waived == [RESIDENCE]
    assert f"Không yêu cầu nộp: {RESIDENCE}" in " ".join(receipt_text(code).split())


def test_not_connected_the_panel_says_so(client, counter, settings):
    from integrations.adapters import population as adapter

    settings.POPULATION_BASE_URL = ""
    adapter.registry.cache_clear()
    client.force_login(counter["clerk"])
    panel = client.get("/dong-bo/dan-cu/tiep-nhan/").content.decode()
    adapter.registry.cache_clear()
    assert "Chưa kết nối CSDLQG về dân cư" in panel
    assert "Tra cứu CSDLQG về dân cư</button>" not in panel


def test_odd_input_is_refused_never_a_500(client, counter, population_db):
    html = look_up(client, counter, name="\x00\x01", population_reason="x\x00y")
    assert "Nhập họ và tên" in html
    html = look_up(client, counter, population_birth_date="\x00", population_reason="lý do")
    assert "Ngày sinh không hợp lệ" in html
    assert client.get("/dong-bo/dan-cu/ho-so/%00/").status_code in (400, 404)
    assert client.get("/dong-bo/dan-cu/ho-so/H99.01-261203-0001/").status_code == 404


def test_the_dossier_panel_is_scoped_to_the_unit(client, counter):
    from .factories import DossierFactory, UnitFactory

    dossier = DossierFactory(receiving_unit=counter["counter"])
    client.force_login(counter["clerk"])
    assert client.get(f"/dong-bo/dan-cu/ho-so/{dossier.code}/").status_code == 200
    client.force_login(staff(UnitFactory(code="H99.02"), "clerk"))
    assert client.get(f"/dong-bo/dan-cu/ho-so/{dossier.code}/").status_code == 404
