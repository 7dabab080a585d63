"""The applicant's store at reception (Nghị định 45/2020): valid documents offered per
required reusable component, the clerk's ticks recorded (never trusted), the reused copy shown
and opened from the dossier page, and the indicators that read the choices."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from digitization import queries
from digitization.models import ReuseChoice, ScannedFile, SignedCopy, StoredDocument
from dossiers.models import AuditEvent, DocumentType, Dossier
from reporting import periods
from reporting.measures import measure_all

from .workflow_fixtures import CITIZEN, receive

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501
OTHER_HOLDER = "014090009999"


@pytest.fixture
def store(district):
    """Component 1 of the district's procedure ("Phiếu yêu cầu", required) takes a reusable
    birth certificate; an earlier dossier of the citizen supplies the signed copies."""
    birth = DocumentType.objects.create(code="giay-khai-sinh", name="Giấy khai sinh")
    land = DocumentType.objects.create(code="gcn-qsdd", name="Giấy chứng nhận QSDĐ")
    component = district["procedure"].components.get(order=1)
    component.reusable_type = birth
    component.save()
    earlier = receive(district, idempotency_key="earlier")
    return {**district, "birth": birth, "land": land, "component": component, "earlier": earlier}


def stored(d, title, *, holder=CITIZEN["id_number"], doc_type=None, valid_until=None):
    n = StoredDocument.objects.count() + ScannedFile.objects.count() + 1
    data = PDF + f"% {title} {n}\n".encode()
    digest = hashlib.sha256(data).hexdigest()
    scanned = ScannedFile(
        unit=d["counter"],
        dossier=d["earlier"],
        role="component",
        source="browser",
        original_name=f"{n}.pdf",
        sha256=digest,
        content_type="application/pdf",
        size=len(data),
        state="done",
    )
    scanned.original.save(f"{n}.pdf", ContentFile(data), save=False)
    scanned.save()
    copy = SignedCopy(
        scanned_file=scanned,
        sha256=digest,
        unit=d["counter"],
        signer_name="Cán bộ một cửa",
        reason="Chứng thực",
    )
    copy.pdf.save(f"{digest}.pdf", ContentFile(data), save=False)
    copy.save()
    return StoredDocument.objects.create(
        holder_id=holder,
        holder_name="Lò Văn Sinh",
        document_type=doc_type or d["birth"],
        title=title,
        signed_copy=copy,
        source_dossier=d["earlier"],
        unit=d["counter"],
        issued_on=timezone.localdate() - timedelta(days=30),
        valid_until=valid_until,
    )


@pytest.fixture
def docs(store):
    today = timezone.localdate()
    return {
        "forever": stored(store, "Giấy khai sinh (bản sao điện tử)"),
        "today": stored(store, "Trích lục khai sinh", valid_until=today),
        "expired": stored(store, "Giấy khai sinh cũ", valid_until=today - timedelta(days=1)),
        "other_holder": stored(store, "Giấy khai sinh người khác", holder=OTHER_HOLDER),
        "other_type": stored(store, "Sổ đỏ", doc_type=store["land"]),
    }


def test_only_the_holders_valid_documents_of_the_type_are_offered(store, docs):
    offers = queries.reuse_offers(store["procedure"], CITIZEN["id_number"], timezone.localdate())
    assert [(c.pk, [d.pk for d in found]) for c, found in offers] == [
        (store["component"].pk, [docs["today"].pk, docs["forever"].pk])
    ]
    # Valid until today means valid today, not tomorrow.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert [
        d.pk for d in queries.reuse_offers(store["procedure"], CITIZEN["id_number"], tomorrow)[0][1]
    ] == [docs["forever"].pk]
    assert queries.reuse_offers(store["procedure"], "", timezone.localdate())[0][1] == []


def tick(d, doc):
    return {f"reuse_{d['component'].pk}": str(doc.pk)}


def form_for(d, key, **extra):
    form = {
        "procedure": d["procedure"].national_code,
        "idempotency_key": key,
        "kind": "person",
        **{k: v for k, v in CITIZEN.items() if k != "kind"},
    }
    for c in d["procedure"].components.all():
        form[f"c{c.pk}"] = "1"
        form[f"n{c.pk}"] = str(c.copies)
    form.update(extra)
    return form


def post_reception(client, d, key, django_capture_on_commit_callbacks, **extra):
    client.force_login(d["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tiep-nhan/", form_for(d, key, **extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Dossier.objects.get(code=response["Location"].split("/")[-2])


def test_a_tick_records_the_reuse_and_the_other_offer_as_not_reused(
    client, store, docs, django_capture_on_commit_callbacks
):
    field = f"reuse_{store['component'].pk}"
    dossier = post_reception(
        client,
        store,
        "tick",
        django_capture_on_commit_callbacks,
        **{field: str(docs["forever"].pk)},
    )
    choices = {c.document_id: c.reused for c in ReuseChoice.objects.filter(dossier=dossier)}
    assert choices == {docs["forever"].pk: True, docs["today"].pk: False}
    choice = ReuseChoice.objects.get(dossier=dossier, reused=True)
    assert choice.component.component_id == store["component"].pk
    assert choice.chosen_by == store["clerk"]
    assert AuditEvent.objects.filter(action="dossier.reuse", object_id=str(dossier.pk)).exists()


def test_without_a_tick_the_offers_are_recorded_as_not_reused(
    client, store, docs, django_capture_on_commit_callbacks
):
    dossier = post_reception(client, store, "no-tick", django_capture_on_commit_callbacks)
    assert sorted(ReuseChoice.objects.filter(dossier=dossier).values_list("reused", flat=True)) == [
        False,
        False,
    ]


@pytest.mark.parametrize("forged", ["expired", "other_holder", "other_type", "made_up"])
def test_a_forged_document_id_is_ignored(
    client, store, docs, django_capture_on_commit_callbacks, forged
):
    value = "999999" if forged == "made_up" else str(docs[forged].pk)
    dossier = post_reception(
        client,
        store,
        f"forged-{forged}",
        django_capture_on_commit_callbacks,
        **{f"reuse_{store['component'].pk}": value},
    )
    rows = list(ReuseChoice.objects.filter(dossier=dossier).values_list("document_id", "reused"))
    assert sorted(rows) == sorted([(docs["forever"].pk, False), (docs["today"].pk, False)])


def test_the_id_posted_for_another_component_is_ignored(
    client, store, docs, django_capture_on_commit_callbacks
):
    other = store["procedure"].components.get(order=2)
    dossier = post_reception(
        client,
        store,
        "wrong-comp",
        django_capture_on_commit_callbacks,
        **{f"reuse_{other.pk}": str(docs["forever"].pk)},
    )
    assert not ReuseChoice.objects.filter(dossier=dossier, reused=True).exists()


def test_no_offer_no_choice(client, store, django_capture_on_commit_callbacks):
    dossier = post_reception(client, store, "nothing", django_capture_on_commit_callbacks)
    assert not ReuseChoice.objects.filter(dossier=dossier).exists()


def panel(client, user, id_number=CITIZEN["id_number"], code=None, **extra):
    client.force_login(user)
    return client.get("/so-hoa/tai-su-dung/", {"id_number": id_number, "procedure": code, **extra})


def test_the_panel_offers_the_valid_documents_with_a_reuse_tick(client, store, docs):
    code = store["procedure"].national_code
    html = panel(client, store["clerk"], code=code).content.decode()
    assert f'name="reuse_{store["component"].pk}" value="{docs["forever"].pk}"' in html
    assert f'value="{docs["today"].pk}"' in html
    for name in ("expired", "other_holder", "other_type"):
        assert f'value="{docs[name].pk}"' not in html
    assert "Tái sử dụng" in html and "không thời hạn" in html
    assert AuditEvent.objects.filter(kind="access", action="store.lookup").count() == 1
    # A refresh keeps the clerk's tick.
    ticked = panel(client, store["clerk"], code=code, **tick(store, docs["today"])).content
    label = 'aria-label="Tái sử dụng: Trích lục khai sinh" checked'
    assert label in ticked.decode() and label not in html and html.count(" checked") == 0
    # Nothing for a malformed ID, another person, an unknown procedure.
    for params in (
        {"id_number": "abc"},
        {"id_number": "0140900"},
        {"code": "1.999999"},
        {"code": "<x>"},
    ):
        html = panel(client, store["clerk"], **{"code": code, **params}).content.decode()
        assert "reuse_" not in html, params


def test_the_panel_escapes_titles(client, store):
    stored(store, '<script>alert("x")</script> Giấy khai sinh')
    html = panel(client, store["clerk"], code=store["procedure"].national_code).content.decode()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_panel_is_for_counter_clerks_only(client, store, docs):
    code = store["procedure"].national_code
    for user in (store["specialist"], store["leader"]):
        response = panel(client, user, code=code)
        assert response.status_code == 200 and "reuse_" not in response.content.decode()
    client.logout()
    response = client.get("/so-hoa/tai-su-dung/", {"id_number": CITIZEN["id_number"]})
    assert response.status_code == 302  # to the login page


def test_the_panel_query_count_is_pinned(client, store, docs, django_assert_num_queries):
    for i in range(5):
        stored(store, f"Bản sao {i}")
    client.force_login(store["clerk"])
    params = {"id_number": CITIZEN["id_number"], "procedure": store["procedure"].national_code}
    # The same 9 queries for 2 documents or 7:
    #  1. SELECT django_session: the clerk's session
    #  2. SELECT auth_user: the signed-in clerk
    #  3. SELECT dossiers_staffprofile: the clerk's profile
    #  4. SELECT dossiers_unit: the clerk's unit (a counter?)
    #  5. SELECT auth_group: the clerk's roles
    #  6. SELECT dossiers_procedure: the procedure by national code
    #  7. SELECT dossiers_procedurecomponent: its reusable components
    #  8. SELECT digitization_storeddocument: the applicant's valid documents, all kinds at once
    #  9. INSERT dossiers_auditevent: the store.lookup access, one row for the lookup
    with django_assert_num_queries(9):
        response = client.get("/so-hoa/tai-su-dung/", params)
    assert response.content.decode().count('name="reuse_') == 7


def test_the_dossier_page_shows_and_opens_the_reused_copy(
    client, store, docs, django_capture_on_commit_callbacks
):
    dossier = post_reception(
        client, store, "show", django_capture_on_commit_callbacks, **tick(store, docs["forever"])
    )
    html = client.get(f"/so-hoa/ho-so/{dossier.code}/").content.decode()
    choice = ReuseChoice.objects.get(dossier=dossier, reused=True)
    url = f"/so-hoa/ho-so/{dossier.code}/tai-su-dung/{choice.pk}/"
    assert "Tái sử dụng: " in html and url in html and "Giấy khai sinh (bản sao điện tử)" in html
    assert "Trích lục khai sinh" not in html  # offered, not reused: not shown as reused
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    opened = AuditEvent.objects.get(kind="access", action="document.open")
    assert opened.data["kind"] == "reused" and opened.data["dossier"] == dossier.code
    # An offer not taken cannot be opened through this dossier.
    refused = ReuseChoice.objects.get(dossier=dossier, reused=False)
    assert client.get(f"/so-hoa/ho-so/{dossier.code}/tai-su-dung/{refused.pk}/").status_code == 404
    # Nor by someone the dossier is out of scope for.
    client.force_login(store["land_specialist"])
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(kind="access", action="document.open").count() == 1


def test_a_reused_component_is_not_missing_a_scan(
    client, store, docs, django_capture_on_commit_callbacks
):
    reused = post_reception(
        client, store, "ind-1", django_capture_on_commit_callbacks, **tick(store, docs["forever"])
    )
    paper = post_reception(client, store, "ind-2", django_capture_on_commit_callbacks)
    for dossier in (reused, paper):
        for component in dossier.components.all():
            if component.component_id == store["component"].pk:
                continue  # the reused paper (and, for `paper`, the one never scanned)
            data = f"{dossier.code}-{component.pk}".encode()
            scanned = ScannedFile(
                unit=store["counter"],
                dossier=dossier,
                component=component,
                source="browser",
                original_name="a.pdf",
                sha256=hashlib.sha256(data).hexdigest(),
                content_type="application/pdf",
                size=len(data),
                state="done",
            )
            scanned.original.save("a.pdf", ContentFile(data), save=False)
            scanned.save()
    m = {x.code: x for x in measure_all(store["counter"], periods.current_month())}
    # Received this month: earlier (nothing scanned), reused (complete), paper (one missing).
    assert (m["dossier_digitization"].numerator, m["dossier_digitization"].denominator) == (1, 3)
    assert (m["reuse"].numerator, m["reuse"].denominator) == (1, 2)
