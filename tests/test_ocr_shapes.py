"""Pages whose shape Tesseract cannot take: refused at upload with the reason; a failure met
later names the real cause, and no retry is offered where retrying cannot help."""

import io

import pytest
from PIL import Image

from digitization.models import ScannedFile
from digitization.programs import TESSERACT_MAX_SIDE, RecognitionError, run
from digitization.services import ocr
from digitization.services.checks import UploadRefused, check_upload

from .scan_files import upload


def png(width, height):
    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, "PNG")
    return out.getvalue()


def test_a_page_longer_than_tesseract_takes_is_refused_at_upload_with_the_reason():
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("dai.png", png(100, 60_000)))
    assert "100×60.000 điểm ảnh" in str(refused.value) and "32.767" in str(refused.value)
    assert check_upload(upload("vua.png", png(100, TESSERACT_MAX_SIDE))).pages == 1


def test_tesseracts_own_refusal_is_named_and_not_offered_again(tmp_path):
    image = tmp_path / "dai.png"
    image.write_bytes(png(100, TESSERACT_MAX_SIDE + 1))
    with pytest.raises(RecognitionError) as failed:
        run(
            ["tesseract", str(image), str(tmp_path / "out"), "-l", "vie", "txt"],
            60,
            "Không nhận dạng được chữ trên trang 1",
        )
    assert "100×32.768 điểm ảnh" in str(failed.value) and not failed.value.retry_helps


def test_a_time_out_may_be_retried():
    with pytest.raises(RecognitionError) as failed:
        run(["sleep", "5"], 0.2, "Không nhận dạng được chữ trên trang 1")
    assert failed.value.retry_helps and "quá 0.2 giây" in str(failed.value)


def test_a_failure_retrying_cannot_mend_has_no_retry(district, client):
    from .workflow_fixtures import receive

    d = receive(district)
    component = d.components.first()
    scanned = ScannedFile.objects.create(
        dossier=d,
        component=component,
        unit=district["counter"],
        original_name="dai.png",
        source=ScannedFile.Source.BROWSER,
        original="scans/x.png",
        content_type="image/png",
        sha256="0" * 64,
        size=1,
        page_count=1,
        state=ScannedFile.State.FAILED,
        last_error="trang quá dài",
        retry_helps=False,
    )
    assert ocr.retry_failed(scanned) is False
    client.force_login(district["clerk"])
    panel = client.get(f"/so-hoa/ho-so/{d.code}/").content.decode()
    assert "Nhận dạng lại không khắc phục được" in panel and "Nhận dạng lại</button>" not in panel
    ScannedFile.objects.filter(pk=scanned.pk).update(retry_helps=True)
    scanned.refresh_from_db()
    assert ocr.retry_failed(scanned) is True
