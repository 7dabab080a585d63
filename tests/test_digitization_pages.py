"""The scans panel, opening documents (logged), search (diacritics, scope), signing and the
applicant's store, the scanner's hot folder — through HTTP and the services."""

import os
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from digitization.doubt import page_doubt
from digitization.models import ScannedFile, SignedCopy, StoredDocument
from digitization.services import hot_folder, intake, ocr
from dossiers.models import AuditEvent, DocumentType

from .scan_files import PAGE_ONE, PAGE_TWO, image_bytes, pdf_bytes, two_page_pdf, upload
from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db(transaction=True)


def _scanned(district, *uploads, dossier=None, role="component"):
    dossier = dossier or receive(district)
    component = None if role == "result" else dossier.components.order_by("id").first()
    result = intake.attach(dossier=dossier, component=component, uploads=list(uploads), role=role)
    for f in result.added:
        assert ocr.run(f.pk, f.sha256) == "done"
    return dossier, [ScannedFile.objects.get(pk=f.pk) for f in result.added]


def test_panel_is_scoped_and_its_queries_fixed(district, client, django_assert_max_num_queries):
    dossier, _ = _scanned(district, two_page_pdf(), upload("a.png", image_bytes(PAGE_ONE)))
    url = reverse("digitization:dossier-scans", args=[dossier.code])
    client.force_login(district["clerk"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "hop-dong.pdf" in html and "Đã nhận dạng" in html
    assert "every 2s" not in html  # nothing working: the panel stops refreshing
    client.force_login(district["land_specialist"])  # another agency, never handed the dossier
    assert client.get(url).status_code == 404


def test_a_file_being_recognised_refreshes_only_its_own_line(district, client):
    dossier = receive(district)
    component = dossier.components.order_by("id").first()
    pending = intake.attach(dossier=dossier, component=component, uploads=[two_page_pdf()]).added[0]
    client.force_login(district["clerk"])
    line_url = reverse("digitization:scan-file", args=[pending.pk])
    panel = client.get(reverse("digitization:dossier-scans", args=[dossier.code])).content.decode()
    # The panel (notice, refusals, upload forms) is never redrawn by a timer; the file's line is.
    assert panel.count('hx-trigger="every 2s"') == 1 and f'hx-get="{line_url}"' in panel
    line = client.get(line_url)
    assert line.status_code == 200 and "hop-dong.pdf" in line.content.decode()
    assert "0/2 trang" in line.content.decode() and "every 2s" in line.content.decode()
    assert ocr.run(pending.pk, pending.sha256) == "done"
    done = client.get(line_url).content.decode()
    assert "Đã nhận dạng" in done and "every 2s" not in done and "PDF tìm kiếm được" in done
    client.force_login(district["land_specialist"])  # another agency, never handed the dossier
    assert client.get(line_url).status_code == 404


def test_upload_of_a_bad_file_names_the_problem(district, client):
    dossier = receive(district)
    client.force_login(district["clerk"])
    component = dossier.components.order_by("id").first()
    response = client.post(
        reverse("digitization:upload", args=[dossier.code]),
        {"component": component.pk, "files": [upload("<b>x<b>.pdf", b"not a pdf" * 20)]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "không phải tệp PDF hoặc ảnh" in html and "&lt;b&gt;x&lt;b&gt;.pdf" in html
    bad = client.post(
        reverse("digitization:upload", args=[dossier.code]),
        {"component": "abc", "files": [two_page_pdf()]},
    )
    assert bad.status_code == 400 and not ScannedFile.objects.exists()


def test_opening_a_document_is_logged(district, client):
    dossier, (scanned,) = _scanned(district, two_page_pdf())
    client.force_login(district["clerk"])
    response = client.get(reverse("digitization:open-file", args=[scanned.pk, "tim-kiem"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="document.open")
    assert event.actor == district["clerk"] and event.data["dossier"] == dossier.code
    assert (
        client.get(reverse("digitization:open-file", args=[scanned.pk, "ky-so"])).status_code == 404
    )
    client.force_login(district["land_specialist"])
    assert (
        client.get(reverse("digitization:open-file", args=[scanned.pk, "goc"])).status_code == 404
    )
    assert AuditEvent.objects.filter(action="document.open").count() == 1


def test_search_with_and_without_diacritics(district, client):
    dossier, _ = _scanned(district, two_page_pdf())
    # A page that carries the same words without their marks.
    plain = ["Thua dat tai xa Phieng Ban, huyen Bac Yen"]
    other, _ = _scanned(district, upload("khong-dau.png", image_bytes(plain)))
    client.force_login(district["clerk"])

    def codes(query):
        html = client.get(reverse("digitization:search"), {"q": query}).content.decode()
        return {code for code in (dossier.code, other.code) if f">{code}</a>" in html}, html

    found, html = codes("phieng ban")
    assert found == {dossier.code, other.code} and "<mark>Phiêng</mark>" in html
    assert codes("Phiêng Ban")[0] == {dossier.code}  # marks typed: only those marks
    assert codes("Phiềng Bản")[0] == set()
    assert codes("<script>alert(1)</script>")[1].count("<script>alert") == 0
    client.force_login(district["land_specialist"])
    assert codes("phieng ban")[0] == set()


def test_sign_a_result_verify_it_and_file_it_in_the_store(district, client, signing_pki):
    from digitization.signing import ensure_demo_pki

    ensure_demo_pki([district["counter"]])
    procedure = district["procedure"]
    procedure.result_type = DocumentType.objects.create(code="hop_dong", name="Hợp đồng")
    procedure.save()
    dossier = receive(district)
    dossier.state, dossier.closed_at = "result_ready", timezone.now()  # as approve leaves it
    dossier.save(update_fields=["state", "closed_at"])
    _, (result,) = _scanned(
        district, upload("ket-qua.pdf", pdf_bytes(PAGE_TWO)), dossier=dossier, role="result"
    )
    client.force_login(district["clerk"])
    response = client.post(reverse("digitization:sign", args=[result.pk]))
    assert response.status_code == 200 and "Đã ký số" in response.content.decode()
    copy = SignedCopy.objects.get(scanned_file=result)
    with copy.pdf.open("rb") as f:
        signed = f.read()
    with result.searchable_pdf.open("rb") as f:
        assert signed.startswith(f.read())  # an incremental signature over the searchable copy
    report = client.get(reverse("digitization:signature", args=[result.pk])).content.decode()
    assert "hợp lệ" in report.lower() or "ok" in report.lower()
    stored = StoredDocument.objects.get()
    assert (
        stored.holder_id == dossier.applicant.id_number and stored.document_type.code == "hop_dong"
    )
    again = client.post(reverse("digitization:sign", args=[result.pk]))
    assert again.status_code == 400 and "đã được ký số" in again.content.decode()


def test_hot_folder_names_a_component_or_fills_the_tray(district, tmp_path):
    dossier = receive(district)
    inbox = tmp_path / district["counter"].code
    inbox.mkdir()
    (inbox / f"{dossier.code}__2.pdf").write_bytes(pdf_bytes(PAGE_ONE))
    (inbox / "may-quet-0001.pdf").write_bytes(pdf_bytes(PAGE_TWO))
    (inbox / "hong.pdf").write_bytes(b"%PDF-1.4 broken" * 10)
    old = time.time() - 60
    for path in inbox.iterdir():
        os.utime(path, (old, old))
    done = hot_folder.collect_all(tmp_path)
    assert (done.attached, done.unassigned, done.refused) == (1, 1, 1)
    second = dossier.components.order_by("id")[1]
    assert ScannedFile.objects.get(component=second).source == "hot_folder"
    assert ScannedFile.objects.get(dossier__isnull=True).unit == district["counter"]
    assert "PDF bị hỏng" in (inbox / "bi-tu-choi" / "hong.pdf.txt").read_text()
    assert not [p for p in inbox.iterdir() if p.is_file()]  # nothing left, nothing lost
    assert len(list((inbox / "da-nhan").rglob("*.pdf"))) == 2


def test_tray_assignment(district, client):
    dossier = receive(district)
    tray = intake.take_into_tray(unit=district["counter"], uploads=[two_page_pdf()])
    scanned = tray.added[0]
    client.force_login(district["clerk"])
    assert "hop-dong.pdf" in client.get(reverse("digitization:tray")).content.decode()
    client.post(
        reverse("digitization:assign", args=[scanned.pk]), {"code": dossier.code, "component": "9"}
    )
    assert ScannedFile.objects.get(pk=scanned.pk).dossier is None
    client.post(
        reverse("digitization:assign", args=[scanned.pk]), {"code": dossier.code, "component": "1"}
    )
    scanned.refresh_from_db()
    assert scanned.dossier == dossier and scanned.component == dossier.components.order_by("id")[0]


def test_a_doubtful_page_is_marked_on_the_dossier_page_for_a_rescan(
    district, client, django_assert_max_num_queries
):
    """Issue #20 item 4, through the real pipeline: a page where almost nothing was read is
    named on the dossier page with the reason; a page that reads well is not."""
    dossier, (clean, sparse) = _scanned(
        district,
        upload("ro.png", image_bytes(PAGE_ONE)),
        upload("gan-trang.png", image_bytes(["Trang hai"])),
    )
    assert clean.page_set.get().doubt == "" and clean.page_set.get().confidence > 70
    page = sparse.page_set.get()  # two words on a page: read, or taken for a blank page
    assert re.match(r"Chỉ đọc được [0-2] chữ", page.doubt), page.doubt
    client.force_login(district["clerk"])
    with django_assert_max_num_queries(13):  # one more than a panel without doubts
        html = client.get(reverse("digitization:dossier-scans", args=[dossier.code])).text
    assert html.count("Cần kiểm tra 1 trang") == 1 and "Trang 1: Chỉ đọc được" in html
    line = client.get(reverse("digitization:scan-file", args=[sparse.pk])).text
    assert "Cần kiểm tra 1 trang" in line
    assert "Cần kiểm tra" not in client.get(reverse("digitization:scan-file", args=[clean.pk])).text


@pytest.mark.parametrize(
    ("words", "doubt"),
    [
        ([["Phiếu", 0, 0, 9, 9, 95]] * 20, ""),
        ([["Phiếu", 0, 0, 9, 9, 41]] * 20, "Độ tin cậy nhận dạng thấp (41 %)"),
        ([["x", 0, 0, 9, 9, 95]] * 3, "Chỉ đọc được 3 chữ"),
        ([], "Chỉ đọc được 0 chữ"),
    ],
)
def test_the_doubt_rule(words, doubt):
    found = page_doubt(words)
    assert found.startswith(doubt) if doubt else found == ""
