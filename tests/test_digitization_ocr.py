"""The OCR work on a scanned file, run in this process (the worker's path is exercised by
tests/test_digitization_faults.py): pages, searchable PDF, failure with a Vietnamese reason,
retry, resumption page by page, idempotence on the checksum."""

import subprocess

import pytest

from digitization.models import ScannedFile, ScannedPage
from digitization.services import intake, ocr

from .scan_files import PAGE_ONE, corrupt_tiff, image_bytes, two_page_pdf, upload
from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db(transaction=True)


def _attach(district, *uploads):
    dossier = receive(district)
    component = dossier.components.order_by("id").first()
    return dossier, intake.attach(dossier=dossier, component=component, uploads=list(uploads))


def test_two_page_pdf_becomes_pages_and_a_searchable_pdf(district, tmp_path):
    _, result = _attach(district, two_page_pdf())
    scanned = result.added[0]
    assert ocr.run(scanned.pk, scanned.sha256) == "done"
    scanned.refresh_from_db()
    assert scanned.state == "done" and scanned.attempts == 1 and not scanned.last_error
    pages = list(scanned.page_set.order_by("number"))
    assert [p.number for p in pages] == [1, 2]
    assert "Bắc Yên" in pages[1].text and "Phiêng Ban" in pages[1].text
    assert pages[1].words and all(p.pdf is None for p in pages)
    target = tmp_path / "s.pdf"
    target.write_bytes(scanned.searchable_pdf.read())
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    assert "Phiêng Ban" in text
    # Idempotent: a second message for the same file does nothing.
    assert ocr.run(scanned.pk, scanned.sha256) == "skipped"
    assert ScannedPage.objects.filter(file=scanned).count() == 2


def test_a_message_for_other_bytes_is_ignored(district):
    _, result = _attach(district, two_page_pdf())
    scanned = result.added[0]
    assert ocr.run(scanned.pk, "0" * 64) == "skipped"
    assert ScannedFile.objects.get(pk=scanned.pk).state == "pending"


def test_unreadable_image_fails_with_a_vietnamese_reason_and_the_batch_goes_on(district):
    _, result = _attach(district, corrupt_tiff(), upload("anh.png", image_bytes(PAGE_ONE)))
    broken, good = result.added
    assert ocr.run(broken.pk, broken.sha256) == "failed"
    assert ocr.run(good.pk, good.sha256) == "done"
    broken.refresh_from_db()
    assert broken.state == "failed" and broken.last_error
    assert broken.last_error.startswith("Ảnh bị hỏng, không đọc được trang 1")
    # The file itself is broken: recognising again cannot help, so no retry is offered (a
    # retry that can help puts it back to pending: tests/test_ocr_shapes.py).
    assert broken.retry_helps is False
    assert ocr.retry_failed(broken) is False
    broken.refresh_from_db()
    assert broken.state == "failed"


def test_pages_done_before_a_fault_are_not_recognised_again(district, tmp_path):
    """Resumption: a worker died after committing page 1; the next claim (its lease expired)
    recognises page 2 only and joins both."""
    from digitization import recognition

    _, result = _attach(district, two_page_pdf())
    scanned = result.added[0]
    path = tmp_path / "a.pdf"
    path.write_bytes(scanned.original.read())
    first = recognition.recognize_page(path, 1, "application/pdf")
    ScannedPage.objects.create(file=scanned, number=1, text="trang đã làm trước", pdf=first.pdf)
    ScannedFile.objects.filter(pk=scanned.pk).update(
        state="processing", attempts=1, lease_until="2000-01-01T00:00Z"
    )
    assert ocr.run(scanned.pk, scanned.sha256) == "done"
    pages = list(ScannedPage.objects.filter(file=scanned).order_by("number"))
    assert [p.number for p in pages] == [1, 2]
    assert pages[0].text == "trang đã làm trước" and "Bắc Yên" in pages[1].text
    assert ScannedFile.objects.get(pk=scanned.pk).attempts == 2


def test_a_live_lease_is_not_taken_over(district):
    _, result = _attach(district, two_page_pdf())
    scanned = result.added[0]
    ScannedFile.objects.filter(pk=scanned.pk).update(state="processing", lease_until=ocr.lease())
    assert ocr.run(scanned.pk, scanned.sha256) == "skipped"


def test_sweeper_takes_expired_leases_and_forgotten_pending(district, settings):
    settings.OCR_SWEEP_AFTER_SECONDS = 0
    _, result = _attach(district, two_page_pdf(), upload("b.png", image_bytes(PAGE_ONE)))
    first, second = result.added
    ScannedFile.objects.filter(pk=second.pk).update(
        state="processing", lease_until="2000-01-01T00:00Z"
    )
    due = ocr.due_for_sweep()
    assert sorted(pk for pk, _ in due) == sorted([first.pk, second.pk])
    # Re-enqueued pending files are not swept again within a lease.
    assert [pk for pk, _ in ocr.due_for_sweep()] == [second.pk]


def test_a_pdf_signed_elsewhere_is_kept_as_it_is_and_only_its_text_read(district, signing_pki):
    from weasyprint import HTML

    from digitization.signing import sign_pdf

    # A text PDF (as another agency's system would issue), signed before it reaches us.
    html = "<p style='font-family: Noto Sans'>Quyết định công nhận hòa giải viên</p>"
    text_pdf = HTML(string=html).write_pdf()
    signed = sign_pdf(text_pdf, unit_code=None, reason="Ban hành")
    _, result = _attach(district, upload("qd-da-ky.pdf", signed, "application/pdf"))
    scanned = result.added[0]
    assert scanned.signed_original
    assert ocr.run(scanned.pk, scanned.sha256) == "done"
    scanned.refresh_from_db()
    assert not scanned.searchable_pdf  # never OCR'd over: the signature would break
    assert "hòa giải viên" in scanned.page_set.get().text
    with scanned.original.open("rb") as f:
        assert f.read() == signed


@pytest.fixture(scope="module")
def sealed_photo(tmp_path_factory):
    """A phone photo of a sealed, signed result (the OCR bench's generator, issue #20)."""
    from bench.ocr_pages import PAPER_SPECS, write  # the bench's pages, for this test only

    spec = next(s for s in PAPER_SPECS if s.paper == "photo")
    return write(spec, tmp_path_factory.mktemp("photo"))


def test_a_photo_of_a_sealed_result_becomes_a_searchable_pdf_found_under_the_seal(
    district, tmp_path, sealed_photo
):
    data = sealed_photo.path.read_bytes()
    _, result = _attach(district, upload("ket-qua.jpg", data, "image/jpeg"))
    scanned = result.added[0]
    assert ocr.run(scanned.pk, scanned.sha256) == "done"
    scanned.refresh_from_db()
    assert scanned.original.read() == data  # the stored original is the photo, untouched
    target = tmp_path / "s.pdf"
    target.write_bytes(scanned.searchable_pdf.read())
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    # The signature block's lines lie under the red seal and the blue signature (pdftotext
    # joins some of the layer's words: compared without spaces).
    bare = "".join(text.split())
    for line in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", sealed_photo.truth.splitlines()[-1]):
        assert "".join(line.split()) in bare
