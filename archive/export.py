"""Hand-over of one package to the provincial archive: the bag copied out of the storage,
checked file by file against its manifest, validated with the ``bagit`` library, and zipped
(stored, not compressed: scans and PDFs are compressed already)."""

import hashlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import bagit
from django.core.files.storage import default_storage

from .errors import ArchiveError
from .models import ArchiveRecord

CHUNK = 1 << 20


def materialise(record: ArchiveRecord, directory: Path) -> Path:
    """Copy the package into ``directory``/<code> and return that path; refuses (409) when a
    file is missing or differs from the manifest kept at sealing."""
    if not record.has_package:
        raise ArchiveError(
            f"Hồ sơ {record.code} không có gói lưu trữ ({record.get_state_display()}).", status=409
        )
    bag_dir = Path(directory) / record.code
    for entry in record.files.order_by("path"):
        target = bag_dir / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            with (
                default_storage.open(f"{record.package_path}/{entry.path}", "rb") as src,
                open(target, "wb") as out,
            ):
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
        except FileNotFoundError as exc:
            raise ArchiveError(
                f"Gói lưu trữ {record.code} thiếu tệp {entry.path}: không thể xuất, hãy kiểm tra "
                "toàn vẹn.",
                status=409,
            ) from exc
        if digest.hexdigest() != entry.sha256:
            raise ArchiveError(
                f"Tệp {entry.path} của gói {record.code} đã bị thay đổi so với lúc niêm phong: "
                "không thể xuất.",
                status=409,
            )
    return bag_dir


def validate(bag_dir: Path) -> bagit.Bag:
    """The bagit library's full validation (structure, Payload-Oxum, every checksum)."""
    bag = bagit.Bag(str(bag_dir))
    try:
        bag.validate()
    except bagit.BagValidationError as exc:
        raise ArchiveError(f"Gói lưu trữ không hợp lệ theo BagIt: {exc}", status=409) from exc
    return bag


def export_zip(record: ArchiveRecord):
    """(open file, file name) of the package as a zip whose top folder is the dossier code."""
    work = Path(tempfile.mkdtemp(prefix="bacyen-export-"))
    try:
        bag_dir = materialise(record, work)
        validate(bag_dir)
        out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for root, _dirs, files in os.walk(bag_dir):
                for name in sorted(files):
                    path = Path(root) / name
                    archive.write(path, path.relative_to(work).as_posix())
        out.seek(0)
        return out, f"ho-so-luu-tru-{record.code}.zip"
    finally:
        shutil.rmtree(work, ignore_errors=True)
