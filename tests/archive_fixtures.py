"""Returned dossiers with scanned files for the archive's tests (loaded as a pytest plugin).

Scans are made here as the intake would store them: the original content-addressed under
its SHA-256 (the same bytes stored once, shared by every row that has them), a searchable
PDF, optionally a signed copy."""

import hashlib
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from digitization.models import ScannedFile, ScannedPage, SignedCopy
from digitization.models.files import original_path, signed_path
from dossiers.services import take_action

from .factories import staff
from .workflow_fixtures import receive

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00"


def jpeg_bytes(size=4096, seed=None):
    body = (seed or os.urandom(16)) * (size // 16 + 1)
    return JPEG + body[:size]


def add_scan(
    dossier,
    *,
    component=None,
    role="component",
    data=None,
    name="phieu-yeu-cau.jpg",
    searchable=True,
    signed=False,
    state="done",
    text="",
    unit=None,
):
    """A ScannedFile row as the intake leaves it once OCR is done."""
    data = data if data is not None else jpeg_bytes()
    sha = hashlib.sha256(data).hexdigest()
    scan = ScannedFile(
        unit=unit or (dossier.receiving_unit if dossier else None),
        dossier=dossier,
        component=component,
        role=role,
        source="browser",
        original_name=name,
        sha256=sha,
        content_type="image/jpeg",
        size=len(data),
        page_count=1,
        state=state,
    )
    path = original_path(scan, name)
    if default_storage.exists(path):  # content-addressed: already stored once
        scan.original.name = path
    else:
        scan.original.save(name, ContentFile(data), save=False)
    if searchable:
        pdf = b"%PDF-1.4\n% searchable copy\n" + data[:512] + b"\n%%EOF\n"
        scan.searchable_pdf.name = f"scans/searchable/{sha[:2]}/{sha}.pdf"
        if not default_storage.exists(scan.searchable_pdf.name):
            default_storage.save(scan.searchable_pdf.name, ContentFile(pdf))
    scan.save()
    ScannedPage.objects.create(file=scan, number=1, text=text)
    if signed:
        signed_pdf = b"%PDF-1.7\n% signed copy of " + sha.encode() + b"\n%%EOF\n"
        copy = SignedCopy(
            scanned_file=scan,
            sha256=hashlib.sha256(signed_pdf).hexdigest(),
            unit=scan.unit,
            signer_name="UBND huyện Bắc Yên",
            reason="Sao y bản chính",
        )
        copy.pdf.save(
            signed_path(copy, "x.pdf").rsplit("/", 1)[-1], ContentFile(signed_pdf), save=False
        )
        copy.save()
    return scan


def walk_to_returned(d, dossier, at=None):
    """assign → propose → approve → return, each by the right person."""
    take_action("assign", dossier.pk, actor=d["clerk"])
    take_action("propose_result", dossier.pk, actor=d["specialist"])
    take_action("approve", dossier.pk, actor=d["leader"])
    take_action("return_result", dossier.pk, actor=d["clerk"])
    dossier.refresh_from_db()
    return dossier


def returned_with_scans(d, *, text="Giấy chứng nhận quyền sử dụng đất thửa số 128"):
    dossier = receive(d)
    components = list(dossier.components.all())
    add_scan(dossier, component=components[0], name="phieu-yeu-cau.jpg", text=text)
    add_scan(dossier, component=components[1], name="du-thao-hop-dong.jpg", signed=True)
    add_scan(
        dossier, role="result", name="ket-qua.jpg", signed=True, text="Hợp đồng đã được chứng thực"
    )
    return walk_to_returned(d, dossier)


@pytest.fixture
def media(settings, tmp_path):
    """Media in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def archive_staff(district):
    """The archivist (Phòng Nội vụ) and the district's leader (UBND huyện) of the fixture's
    district."""
    from .factories import UnitFactory, UnitLevelFactory

    agency = UnitLevelFactory(code="agency", name="Cơ quan chuyên môn", rank=3, is_area=False)
    district = d_unit = district["counter"].parent
    home = UnitFactory(
        code="H50.22.10",
        name="Phòng Nội vụ",
        level=agency,
        parent=d_unit,
        kind="phong_noi_vu",
        has_counter=False,
    )
    return {
        "district": district,
        "archivist": staff(home, "archivist", username="luutru", email="luutru@example.vn"),
        "head": staff(district, "leader", username="lanhdao.huyen"),
    }


def validate_bag(record, tmp_dir):
    """The package of ``record`` copied out of the storage and validated by ``bagit``."""
    from archive.export import materialise, validate

    return validate(materialise(record, tmp_dir))


@pytest.fixture
def every_bag_valid(tmp_path_factory):
    """After the test: the bagit library validates every package the test sealed (a package
    the test broke on purpose is marked not intact by the fixity check and skipped)."""
    yield
    from archive.models import ArchiveRecord

    sealed = ArchiveRecord.objects.filter(state__in=("sealed", "proposed")).exclude(fixity_ok=False)
    for record in sealed:
        validate_bag(record, tmp_path_factory.mktemp("bag"))


def disk_full_storage_settings(room=3):
    return {
        "default": {"BACKEND": "tests.archive_fixtures.FullDisk", "OPTIONS": {"room": room}},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


from django.core.files.storage import FileSystemStorage  # noqa: E402


class FullDisk(FileSystemStorage):
    """Writes under archive/ succeed ``room`` times, then one is cut short with ENOSPC, as on
    a full disk (the partial file stays, as it would)."""

    def __init__(self, room=3, **kwargs):
        super().__init__(**kwargs)
        self.room = room

    def _save(self, name, content):
        import errno

        if name.startswith("archive/"):
            if self.room <= 0:
                full = self.path(name)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "wb") as out:
                    out.write(content.read(100))
                raise OSError(errno.ENOSPC, "No space left on device", full)
            self.room -= 1
        return super()._save(name, content)
