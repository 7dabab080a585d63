"""Intake and upload safety (issue #5): type by content, size, pixels, pages, safe PDF
reading, deduplication by checksum, a bad file refused without losing the batch."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from digitization.models import ScannedFile
from digitization.services import intake
from digitization.services.checks import UploadRefused, check_upload

from .scan_files import (
    PAGE_ONE,
    bomb_png,
    image_bytes,
    pdf_bytes,
    truncated_jpeg,
    two_page_pdf,
    upload,
)
from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db


def test_a_text_file_named_pdf_is_refused_by_its_content():
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("giay-to.pdf", b"<html><script>alert(1)</script></html>" * 10))
    assert "không phải tệp PDF hoặc ảnh" in str(refused.value)
    assert "giay-to.pdf" in str(refused.value)


def test_a_pdf_is_recognised_by_content_whatever_its_name():
    checked = check_upload(upload("scan.jpg", pdf_bytes(PAGE_ONE)))
    assert checked.content_type == "application/pdf"
    assert checked.pages == 1
    assert checked.sha256 == hashlib.sha256(pdf_bytes(PAGE_ONE)).hexdigest()


def test_size_limit(settings):
    settings.SCAN_MAX_BYTES = 10_000
    with pytest.raises(UploadRefused, match="dung lượng vượt quá giới hạn"):
        check_upload(upload("lon.png", image_bytes(PAGE_ONE)))


def test_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(UploadRefused, match="triệu điểm ảnh"):
        check_upload(bomb_png())


def test_page_limit(settings):
    settings.SCAN_MAX_PAGES = 2
    with pytest.raises(UploadRefused, match="có 3 trang, vượt quá giới hạn 2 trang"):
        check_upload(upload("ba-trang.pdf", pdf_bytes(PAGE_ONE, PAGE_ONE, PAGE_ONE)))


def test_a_truncated_image_is_refused():
    with pytest.raises(UploadRefused, match="cắt cụt"):
        check_upload(truncated_jpeg())


def test_corrupt_pdf_is_refused():
    with pytest.raises(UploadRefused, match="PDF bị hỏng"):
        check_upload(upload("hong.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 200))


def test_encrypted_pdf_is_refused(tmp_path):
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(PAGE_ONE))))
    writer.encrypt(user_password="bi-mat", owner_password="chu", permissions_flag=0)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UploadRefused, match="mật khẩu|mã hóa"):
        check_upload(upload("khoa.pdf", out.getvalue()))


def test_the_same_file_twice_is_one_row_and_one_stored_blob(district):
    dossier = receive(district)
    component = dossier.components.order_by("id").first()
    first = intake.attach(dossier=dossier, component=component, uploads=[two_page_pdf()])
    again = intake.attach(dossier=dossier, component=component, uploads=[two_page_pdf("lai.pdf")])
    assert len(first.added) == 1 and not first.duplicates
    assert not again.added and [f.pk for f in again.duplicates] == [first.added[0].pk]
    assert ScannedFile.objects.filter(component=component).count() == 1
    # The same bytes on another component are another row over the same stored blob.
    other = dossier.components.order_by("id")[1]
    third = intake.attach(dossier=dossier, component=other, uploads=[two_page_pdf()])
    assert third.added[0].original.name == first.added[0].original.name
    folder = first.added[0].original.name.rsplit("/", 1)[0]
    sha = first.added[0].sha256
    assert [n for n in default_storage.listdir(folder)[1] if n.startswith(sha)] == [f"{sha}.pdf"]


def test_a_bad_file_is_refused_and_the_rest_of_the_batch_kept(district):
    dossier = receive(district)
    component = dossier.components.order_by("id").first()
    result = intake.attach(
        dossier=dossier,
        component=component,
        uploads=[two_page_pdf(), upload("virus.exe", b"MZ" + b"\x00" * 500), bomb_png()],
    )
    assert [f.original_name for f in result.added] == ["hop-dong.pdf"]
    assert [name for name, _ in result.refused] == ["virus.exe", "bom.png"]
    stored = result.added[0]
    assert stored.state == ScannedFile.State.PENDING and stored.page_count == 2
    with stored.original.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == stored.sha256


def test_a_component_of_another_dossier_is_refused(district):
    one, two = receive(district), receive(district)
    with pytest.raises(UploadRefused, match="không thuộc hồ sơ"):
        intake.attach(dossier=one, component=two.components.first(), uploads=[two_page_pdf()])
