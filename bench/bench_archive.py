"""Archiving 1,000 returned dossiers of 3 scanned files each, and a fixity pass over their
packages, each against the bare file work on the same files in the same run.

Subject: ``archive.services.build_package`` per dossier (load the dossier, copy and hash every
original, searchable PDF and printed form into a BagIt bag on the media storage, metadata,
history, index, manifests, verify, seal, move the dossier to ``archived``, audit). Reference:
reading each of the same files from the storage, hashing it and writing a copy to the storage
(the least any archive must do). Fixity: ``run_fixity_slice`` over every package against
reading and hashing the same package files alone. Target: ratio ≤ 1.5×.

Everything runs inside a transaction rolled back at the end (no task is enqueued); the files
are removed afterwards.
"""

import hashlib
import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

NEEDS_DB = True
DOSSIERS = 1000
SCANS = 3
# (original, searchable PDF) bytes per scan: an A4 page at 300 dpi in grayscale JPEG, whose
# searchable PDF (Tesseract) embeds the same image; and small scans, where the per-package
# database work weighs most.
SIZES = {"A4 pages": (600_000, 600_000), "small scans": (200_000, 60_000)}
CHUNK = 1 << 20


class RollbackError(Exception):
    """Raised to undo the benchmark's rows."""


def _setup(original_bytes, searchable_bytes):
    from django.contrib.auth import get_user_model

    from archive.models import ArchiveRecord
    from digitization.models import ScannedFile
    from dossiers.models import (
        Applicant,
        Dossier,
        DossierComponent,
        DossierEvent,
        Field,
        PrintedForm,
        Procedure,
        StaffProfile,
        Unit,
        UnitLevel,
    )  # fmt: skip
    from dossiers.printing import render_form

    level = UnitLevel.objects.create(code="bench-district", name="Huyện", rank=2)
    agency = UnitLevel.objects.create(code="bench-agency", name="Cơ quan", rank=3, is_area=False)
    district = Unit.objects.create(code="B99", name="UBND huyện Thử", level=level)
    counter = Unit.objects.create(code="B99.02", name="Bộ phận Một cửa huyện Thử", level=agency,
                                  parent=district, has_counter=True)  # fmt: skip
    field = Field.objects.create(code="bench", name="Chứng thực")
    procedure = Procedure.objects.create(national_code="9.999999", name="Chứng thực hợp đồng",
                                         field=field, level=level, working_days=3,
                                         retention_years=10)  # fmt: skip
    applicant = Applicant.objects.create(id_number="014099000001", name="Lò Văn Thử")
    clerk = get_user_model().objects.create(username="bench-archive-clerk")
    StaffProfile.objects.create(user=clerk, unit=counter)
    now = timezone.now() - timedelta(days=2)
    dossiers = Dossier.objects.bulk_create(
        Dossier(code=f"B99.02-260101-{i:04d}", procedure=procedure, applicant=applicant,
                receiving_unit=counter, current_unit=counter, state="returned", channel="direct",
                received_by=clerk, received_at=now - timedelta(days=3), due_at=now,
                appointment_at=now, finished_at=now - timedelta(hours=2), returned_at=now)
        for i in range(DOSSIERS)
    )  # fmt: skip
    components = DossierComponent.objects.bulk_create(
        DossierComponent(dossier=d, name=name, form="original")
        for d in dossiers for name in ("Phiếu yêu cầu chứng thực", "Dự thảo hợp đồng")
    )  # fmt: skip
    steps = ("receive", "assign", "propose_result", "approve", "return_result")
    events = DossierEvent.objects.bulk_create(
        DossierEvent(dossier=d, action=a, to_state="returned", at=now, actor=clerk,
                     actor_unit=counter, to_unit=counter)
        for d in dossiers for a in steps
    )  # fmt: skip
    receipt = render_form(dossiers[0], "01", event=events[0])
    receipt_sha = hashlib.sha256(receipt).hexdigest()
    forms, scans, files = [], [], []
    for i, d in enumerate(dossiers):
        form = PrintedForm(dossier=d, code="01", event=events[i * len(steps)], sha256=receipt_sha)
        form.pdf.name = default_storage.save(f"forms/bench/{d.code}-mau01.pdf",
                                             ContentFile(receipt))  # fmt: skip
        forms.append(form)
        files.append(form.pdf.name)
        for k in range(SCANS):
            data = b"\xff\xd8\xff\xe0" + os.urandom(original_bytes)
            sha = hashlib.sha256(data).hexdigest()
            original = default_storage.save(f"scans/originals/{sha[:2]}/{sha}.jpg",
                                             ContentFile(data))  # fmt: skip
            searchable = default_storage.save(
                f"scans/searchable/{sha[:2]}/{sha}.pdf",
                ContentFile(b"%PDF-1.4\n" + os.urandom(searchable_bytes)),
            )
            scan = ScannedFile(
                unit=counter, dossier=d, component=components[2 * i + min(k, 1)] if k < 2 else None,
                role="component" if k < 2 else "result", source="browser",
                original_name=f"trang-{k + 1}.jpg", sha256=sha, content_type="image/jpeg",
                size=len(data), page_count=1, state="done",
            )  # fmt: skip
            scan.original.name, scan.searchable_pdf.name = original, searchable
            scans.append(scan)
            files += [original, searchable]
    PrintedForm.objects.bulk_create(forms)
    ScannedFile.objects.bulk_create(scans)
    records = ArchiveRecord.objects.bulk_create(
        ArchiveRecord(dossier=d, code=d.code, unit=counter, procedure=procedure,
                      applicant_name=applicant.name, returned_at=d.returned_at)
        for d in dossiers
    )  # fmt: skip
    return records, files


def _copy_and_hash(files, prefix):
    """The reference: each file read from the storage, hashed and written back as a copy."""
    from archive.bag import HashingReader

    total = 0
    for n, name in enumerate(files):
        with default_storage.open(name, "rb") as source:
            reader = HashingReader(source)
            default_storage.save(f"{prefix}/{n // 100}/{n}", File(reader, name=str(n)))
            total += reader.size
    return total


def _hash_only(names):
    total = 0
    for name in names:
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                total += len(chunk)
    return total


def _rm(*relative):
    for path in relative:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / path, ignore_errors=True)


def run() -> list[dict]:
    rows = []
    for label, sizes in SIZES.items():
        rows += _run(label, *sizes)
    return rows


def _run(label, original_bytes, searchable_bytes) -> list[dict]:
    from archive.models import ArchiveRecord, PackageFile
    from archive.services import build_package, run_fixity_slice

    rows = []
    try:
        with transaction.atomic():
            start = time.perf_counter()
            records, files = _setup(original_bytes, searchable_bytes)
            setup_s = time.perf_counter() - start
            source_bytes = sum(default_storage.size(f) for f in files)
            refs = []
            for attempt in range(2):
                start = time.perf_counter()
                _copy_and_hash(files, f"bench-reference/{attempt}")
                refs.append(time.perf_counter() - start)
            _rm("bench-reference")
            start = time.perf_counter()
            for record in records:
                build_package(record.pk)
            subject = time.perf_counter() - start
            sealed = ArchiveRecord.objects.filter(pk__in=[r.pk for r in records], state="sealed")
            assert sealed.count() == DOSSIERS, "every package sealed"
            package_bytes = sum(sealed.values_list("package_bytes", flat=True))
            names = [f"{p}/{path}" for p, path in PackageFile.objects.filter(
                record__in=sealed).values_list("record__package_path", "path")]  # fmt: skip
            start = time.perf_counter()
            _hash_only(names)
            hash_ref = time.perf_counter() - start
            start = time.perf_counter()
            checks = run_fixity_slice(limit=DOSSIERS)
            fixity = time.perf_counter() - start
            assert len(checks) == DOSSIERS and all(c.ok for c in checks)
            reference = min(refs)
            mb = source_bytes / 1e6
            rows.append({
                "name": f"archive {DOSSIERS:,} dossiers × {SCANS} scans, {label} (build_package)",
                "subject_s": subject, "reference_s": reference, "n": DOSSIERS,
                "unit": "package",
                "reference": "read + SHA-256 + write a copy of the same files (best of 2)",
                "notes": (f"**{DOSSIERS / subject * 60:,.0f} packages/min, "
                          f"{mb / subject:,.0f} MB/s** vs {DOSSIERS / reference * 60:,.0f}/min, "
                          f"{mb / reference:,.0f} MB/s (target ≤ 1.5×); {mb:,.0f} MB in "
                          f"{len(files):,} source files (scans of {original_bytes // 1000} KB, "
                          f"searchable PDFs of {searchable_bytes // 1000} KB, Mẫu 01); packages "
                          f"{package_bytes / 1e6:,.0f} MB in {len(names):,} files; 21 SQL "
                          f"statements per package; FileSystemStorage on local disk; set-up "
                          f"{setup_s:.0f} s"),
            })  # fmt: skip
            rows.append({
                "name": f"fixity pass over {DOSSIERS:,} packages, {label} (run_fixity_slice)",
                "subject_s": fixity, "reference_s": hash_ref, "n": DOSSIERS, "unit": "package",
                "reference": "read + SHA-256 of the same package files alone",
                "notes": (f"**{package_bytes / 1e6 / fixity:,.0f} MB/s** vs "
                          f"{package_bytes / 1e6 / hash_ref:,.0f} MB/s (target ≤ 1.5×); "
                          f"one FixityCheck row per package"),
            })  # fmt: skip
            raise RollbackError
    except RollbackError:
        pass
    finally:
        _rm("archive/packages", "bench-reference", "scans", "forms/bench")
    return rows
