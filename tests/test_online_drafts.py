"""Online drafts: a submission that comes back with an error keeps every chosen file on the
server, so the citizen corrects the field and submits again without choosing a file; a draft
is resumed later by its code typed into the page; a refused file leaves the draft; drafts
past 24 hours go with their files."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from digitization.models import DraftFile, OnlineDraft, ScannedFile
from digitization.services import drafts
from dossiers.models import Dossier

from .scan_files import truncated_jpeg
from .test_online_submission import form_data, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(district):
    district["procedure"].online_level = "full"
    district["procedure"].save()
    return district


def test_a_form_with_an_error_keeps_its_files_and_goes_through_without_them(client, online):
    refused = client.post(page_url(online), form_data(online, pledge="", id_number="12"))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Xin đánh dấu lời cam đoan" in page and "Số CCCD" in page  # both errors at once
    draft = OnlineDraft.objects.get()
    assert draft.code in page and "Đã giữ: phieu-yeu-cau.pdf" in page and "du-thao.png" in page
    assert DraftFile.objects.count() == 2 and not Dossier.objects.exists()
    kept = [f.content.name for f in DraftFile.objects.all()]
    again = form_data(online)
    for name in [k for k in again if k.startswith("thanh_phan_")]:
        del again[name]  # nothing chosen again
    done = client.post(page_url(online), again)
    assert done.status_code == 302, done.content.decode()[:2000]
    dossier = Dossier.objects.get()
    names = sorted(
        ScannedFile.objects.filter(dossier=dossier).values_list("original_name", flat=True)
    )
    assert names == ["du-thao.png", "phieu-yeu-cau.pdf"]
    assert not OnlineDraft.objects.exists() and not DraftFile.objects.exists()
    assert not any(default_storage.exists(name) for name in kept)


def test_a_draft_is_resumed_by_its_code_and_only_for_its_procedure(client, online):
    client.post(page_url(online), form_data(online, pledge=""))
    draft = OnlineDraft.objects.get()
    fresh = client.post(page_url(online), {"ban_nhap": draft.code.lower()})
    page = fresh.content.decode()
    assert fresh.status_code == 200 and "Đã giữ: phieu-yeu-cau.pdf" in page
    assert draft.token in page and 'value="Bản Phiêng Ban"' in page
    wrong = client.post(page_url(online), {"ban_nhap": "ZZZZ2222"})
    assert wrong.status_code == 404 and "Không tìm thấy bản nháp" in wrong.content.decode()
    OnlineDraft.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.post(page_url(online), {"ban_nhap": draft.code}).status_code == 404


def test_a_refused_file_leaves_the_draft_and_the_rest_stays(client, online):
    parts = list(online["procedure"].components.order_by("order"))
    bad = form_data(online, **{f"thanh_phan_{parts[1].pk}": [truncated_jpeg()]})
    answer = client.post(page_url(online), bad)
    assert answer.status_code == 400 and "hong.jpg" in answer.content.decode()
    assert list(DraftFile.objects.values_list("original_name", flat=True)) == ["phieu-yeu-cau.pdf"]


def test_expired_drafts_are_swept_with_their_files(client, online):
    client.post(page_url(online), form_data(online, pledge=""))
    stored = [f.content.name for f in DraftFile.objects.all()]
    assert drafts.sweep_expired() == 0
    OnlineDraft.objects.update(expires_at=timezone.now())
    assert drafts.sweep_expired() == 1
    assert not DraftFile.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)


def test_numbers_bring_up_the_number_pad(client, online):
    page = client.get(page_url(online)).content.decode()
    assert 'name="id_number"' in page and 'inputmode="numeric"' in page
    assert 'inputmode="tel"' in page
