"""Archiving 1,000 returned dossiers of 3 scanned files each, and a fixity pass over their
packages, each against the bare file work on the same files in the same run.

Subject: ``archive.services.build_packages`` in batches of ``BATCH`` (the nightly pass, the
sweeper and ``manage.py archive_returned``: load the dossiers, copy and hash every original,
searchable PDF and printed form into a BagIt bag per dossier on the media storage, metadata,
history, index, manifests, verify, then seal the records, move the dossiers to ``archived``
and audit, in one transaction per batch). Reference: reading each of the same files from the
storage, hashing it and writing a copy to the storage (the least any archive must do), twice,
the faster pass kept. The two take turns, ``BATCH`` dossiers at a time, so that the load of a
shared machine weighs on both alike.

Also measured: ``build_package`` one dossier per call, as a dossier just returned is packed,
over 200 more dossiers of the same kind; and the bare file work of the bag format itself —
the same read + SHA-256 + write of every file of the packages (their 13 files: the 7 sources
and the 6 BagIt, metadata and index files) into the same folder layout, with no database and
no rendering, which shows what part of the ratio the package's format costs by itself.

Fixity: ``run_fixity_slice`` over every package against reading and hashing the same package
files alone. Target: ratio ≤ 1.5×. SQL statements are counted while the subjects run.

Everything runs inside a transaction rolled back at the end (no task is enqueued); the files
are removed afterwards.
"""

import gc
import hashlib
import os
import random
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from bench.sql import Statements

NEEDS_DB = True
DOSSIERS = 1000
ON_RETURN = 200  # more dossiers, packed one per call as on return
SCANS = 3
# (original, searchable PDF) bytes per scan, characters of OCR text per page: an A4 page at
# 300 dpi in grayscale JPEG, whose searchable PDF (Tesseract) embeds the same image, with a
# full page of text; and small scans (a card, a short form), where the per-package database
# work weighs most.
SIZES = {"A4 pages": (600_000, 600_000, 3_000), "small scans": (200_000, 60_000, 600)}
WORDS = (
    "ủy ban nhân dân huyện bắc yên tỉnh sơn la cộng hòa xã hội chủ nghĩa việt nam độc lập tự "
    "do hạnh phúc giấy chứng nhận quyền sử dụng đất thửa số tờ bản đồ diện tích mục đích thời "
    "hạn nguồn gốc hợp đồng chuyển nhượng tặng cho thế chấp bên a bên b ông bà sinh năm căn "
    "cước công dân cấp ngày nơi thường trú bản xã phiêng ban tạ khoa hua nhàn song pe chiềng "
    "sại làng chếu hồng ngài phiêng côn mường khoa hang chú tà xùa xím vàng pắc ngà kết quả "
    "chứng thực chữ ký bản sao từ bản chính số quyển trang người yêu cầu cán bộ tiếp nhận"
).split()
CHUNK = 1 << 20


class RollbackError(Exception):
    """Raised to undo the benchmark's rows."""


class Collections:
    """Time spent in the garbage collector while active."""

    def __init__(self):
        self.seconds, self._start = 0.0, 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)


def _setup(original_bytes, searchable_bytes, text_chars):
    from django.contrib.auth import get_user_model

    from archive.models import ArchiveRecord
    from digitization.models import ScannedFile, ScannedPage
    from digitization.textsearch import fold_chars
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
    )
    from dossiers.printing import render_form

    level = UnitLevel.objects.create(code="bench-district", name="Huyện", rank=2)
    agency = UnitLevel.objects.create(code="bench-agency", name="Cơ quan", rank=3, is_area=False)
    district = Unit.objects.create(code="B99", name="UBND huyện Thử", level=level)
    counter = Unit.objects.create(
        code="B99.02",
        name="Bộ phận Một cửa huyện Thử",
        level=agency,
        parent=district,
        has_counter=True,
    )
    field = Field.objects.create(code="bench", name="Chứng thực")
    procedure = Procedure.objects.create(
        national_code="9.999999",
        name="Chứng thực hợp đồng",
        field=field,
        level=level,
        working_days=3,
        retention_years=10,
    )
    applicant = Applicant.objects.create(id_number="014099000001", name="Lò Văn Thử")
    clerk = get_user_model().objects.create(username="bench-archive-clerk")
    StaffProfile.objects.create(user=clerk, unit=counter)
    now = timezone.now() - timedelta(days=2)
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            code=f"B99.02-260101-{i:04d}",
            procedure=procedure,
            applicant=applicant,
            receiving_unit=counter,
            current_unit=counter,
            state="returned",
            channel="direct",
            received_by=clerk,
            received_at=now - timedelta(days=3),
            due_at=now,
            appointment_at=now,
            finished_at=now - timedelta(hours=2),
            closed_at=now - timedelta(hours=2),
            returned_at=now,
        )
        for i in range(DOSSIERS + ON_RETURN)
    )
    components = DossierComponent.objects.bulk_create(
        DossierComponent(dossier=d, name=name, form="original")
        for d in dossiers
        for name in ("Phiếu yêu cầu chứng thực", "Dự thảo hợp đồng")
    )
    steps = ("receive", "assign", "propose_result", "approve", "return_result")
    events = DossierEvent.objects.bulk_create(
        DossierEvent(
            dossier=d,
            action=a,
            to_state="returned",
            at=now,
            actor=clerk,
            actor_unit=counter,
            to_unit=counter,
        )
        for d in dossiers
        for a in steps
    )
    receipt = render_form(dossiers[0], "receipt", event=events[0])
    receipt_sha = hashlib.sha256(receipt).hexdigest()
    forms, scans, files = [], [], []
    for i, d in enumerate(dossiers):
        form = PrintedForm(
            dossier=d,
            kind="receipt",
            basis="tt-03-2025",
            code="01",
            event=events[i * len(steps)],
            sha256=receipt_sha,
        )
        form.pdf.name = default_storage.save(
            f"forms/bench/{d.code}-mau01.pdf", ContentFile(receipt)
        )
        forms.append(form)
        files.append([form.pdf.name])
        for k in range(SCANS):
            data = b"\xff\xd8\xff\xe0" + os.urandom(original_bytes)
            sha = hashlib.sha256(data).hexdigest()
            original = default_storage.save(
                f"scans/originals/{sha[:2]}/{sha}.jpg", ContentFile(data)
            )
            searchable = default_storage.save(
                f"scans/searchable/{sha[:2]}/{sha}.pdf",
                ContentFile(b"%PDF-1.4\n" + os.urandom(searchable_bytes)),
            )
            scan = ScannedFile(
                unit=counter,
                dossier=d,
                component=components[2 * i + min(k, 1)] if k < 2 else None,
                role="component" if k < 2 else "result",
                source="browser",
                original_name=f"trang-{k + 1}.jpg",
                sha256=sha,
                content_type="image/jpeg",
                size=len(data),
                page_count=1,
                state="done",
            )
            scan.original.name, scan.searchable_pdf.name = original, searchable
            scans.append(scan)
            files[-1] += [original, searchable]
    PrintedForm.objects.bulk_create(forms)
    ScannedFile.objects.bulk_create(scans)
    words = random.Random(20260101)
    pages = [
        ScannedPage(
            file=scan, number=1, text=" ".join(words.choices(WORDS, k=text_chars // 4))[:text_chars]
        )
        for scan in scans
    ]
    for page in pages:  # what ScannedPage.save() fills, which bulk_create skips
        page.lowered, page.folded = page.text.lower(), fold_chars(page.text)
    ScannedPage.objects.bulk_create(pages)
    records = ArchiveRecord.objects.bulk_create(
        ArchiveRecord(
            dossier=d,
            code=d.code,
            unit=counter,
            procedure=procedure,
            applicant_name=applicant.name,
            returned_at=d.returned_at,
        )
        for d in dossiers
    )
    return records, files


def _copy_and_hash(files, prefix, first=0):
    """The reference: each file read from the storage, hashed and written back as a copy
    (``first``: the number of the first file, which names its copy)."""
    from archive.bag import HashingReader

    total = 0
    for n, name in enumerate(files, first):
        with default_storage.open(name, "rb") as source:
            reader = HashingReader(source)
            default_storage.save(f"{prefix}/{n // 100}/{n}", File(reader, name=str(n)))
            total += reader.size
    return total


def _copy_bags(packages, prefix):
    """The bare work of the bag format: every file of each package (``(root, [path])``) read,
    hashed and written, by the same storage calls, into the same layout under ``prefix``."""
    from archive.bag import HashingReader

    for root, paths in packages:
        for path in paths:
            with default_storage.open(f"{root}/{path}", "rb") as source:
                reader = HashingReader(source)
                default_storage.save(f"{prefix}/{root}/{path}", File(reader, name="x"))


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


LOAD = []  # the 1-minute load average at the start and the end of each size's run


def run() -> list[dict]:
    rows = []
    LOAD.clear()
    for label, sizes in SIZES.items():
        start = os.getloadavg()[0]
        rows += _run(label, *sizes)
        LOAD.append((label, start, os.getloadavg()[0]))
    return rows


def markdown() -> str:
    """The machine's load while the module ran: it is shared, and the subject (Python and
    PostgreSQL on the CPUs) feels it more than the reference (the disk)."""
    seen = "; ".join(f"{label}: {a:.1f} at the start, {b:.1f} at the end" for label, a, b in LOAD)
    return f"Load average (1 min) of the {os.cpu_count()} CPUs during the run — {seen}."


def _run(label, original_bytes, searchable_bytes, text_chars) -> list[dict]:
    from archive.models import ArchiveRecord, PackageFile
    from archive.services import build_package, build_packages, run_fixity_slice
    from archive.services.packaging import BATCH

    rows = []
    try:
        with transaction.atomic():
            start = time.perf_counter()
            records, per_dossier = _setup(original_bytes, searchable_bytes, text_chars)
            setup_s = time.perf_counter() - start
            # The set-up's rows and lists (1,200 dossiers and their scans, pages, events) are
            # no part of the subject's work: frozen out of the garbage collector's reach, as
            # a worker freezes what it loaded to start (bacyen_portal.celery), so that the
            # subject's collections scan its own objects, not the bench's.
            gc.collect()
            gc.freeze()
            nightly, on_return = records[:DOSSIERS], records[DOSSIERS:]
            files = [name for names in per_dossier[:DOSSIERS] for name in names]
            source_bytes = sum(default_storage.size(f) for f in files)
            # Reference and subject take turns, a batch of dossiers at a time, so that the
            # load of a shared machine weighs on both alike; each sums over the batches (the
            # reference twice, the faster of its two passes kept).
            ids = [r.pk for r in nightly]
            refs, subject, done = [0.0, 0.0], 0.0, 0
            with Statements() as batch_sql, Collections() as collections:
                for first in range(0, len(ids), BATCH):
                    chunk = [f for names in per_dossier[first : first + BATCH] for f in names]
                    for attempt in range(2):  # no SQL: the storage only
                        start = time.perf_counter()
                        _copy_and_hash(chunk, f"bench-reference/{attempt}", first=done)
                        refs[attempt] += time.perf_counter() - start
                    done += len(chunk)
                    start = time.perf_counter()
                    assert not build_packages(ids[first : first + BATCH]).errors
                    subject += time.perf_counter() - start
            _rm("bench-reference")
            with Statements() as single_sql:
                start = time.perf_counter()
                for record in on_return:
                    build_package(record.pk)
                single = time.perf_counter() - start
            sealed = ArchiveRecord.objects.filter(pk__in=[r.pk for r in records], state="sealed")
            assert sealed.count() == DOSSIERS + ON_RETURN, "every package sealed"
            sizes = dict(sealed.values_list("pk", "package_bytes"))
            package_bytes, all_bytes = sum(sizes[pk] for pk in ids), sum(sizes.values())
            listed = PackageFile.objects.filter(record__in=sealed).order_by("record_id", "path")
            packages = {}
            for record_id, root, path in listed.values_list(
                "record_id", "record__package_path", "path"
            ):
                packages.setdefault(record_id, (root, []))[1].append(path)
            bags = [packages[pk] for pk in ids]
            names = [f"{root}/{path}" for root, paths in packages.values() for path in paths]
            start = time.perf_counter()
            _copy_bags(bags, "bench-bags")
            bare_bags = time.perf_counter() - start
            _rm("bench-bags")
            start = time.perf_counter()
            _hash_only(names)
            hash_ref = time.perf_counter() - start
            with Statements() as fixity_sql:
                start = time.perf_counter()
                checks = run_fixity_slice(limit=len(packages))
                fixity = time.perf_counter() - start
            assert len(checks) == len(packages) and all(c.ok for c in checks)
            reference = min(refs)
            mb = source_bytes / 1e6
            bag_files = sum(len(paths) for _, paths in bags)
            # New folders a package makes: <code>/, <attempt>/ and those inside the bag.
            folders = 2 + len({p.rpartition("/")[0] for p in bags[0][1]} - {""})
            rows.append(
                {
                    "name": (
                        f"archive {DOSSIERS:,} dossiers × {SCANS} scans, {label} "
                        f"(build_packages, nightly pass, batches of {BATCH})"
                    ),
                    "subject_s": subject,
                    "reference_s": reference,
                    "n": DOSSIERS,
                    "unit": "package",
                    "reference": (
                        "read + SHA-256 + write a copy of the same files (best of 2 "
                        f"passes, in turns with the subject, {BATCH} dossiers at a time)"
                    ),
                    "notes": (
                        f"ratio {subject / reference:.2f}; "
                        f"**{DOSSIERS / subject * 60:,.0f} packages/min, "
                        f"{mb / subject:,.0f} MB/s** vs {DOSSIERS / reference * 60:,.0f}/min, "
                        f"{mb / reference:,.0f} MB/s (target ≤ 1.5×); {mb:,.0f} MB in "
                        f"{len(files):,} source files (scans of {original_bytes // 1000} KB, "
                        f"searchable PDFs of {searchable_bytes // 1000} KB, OCR text of "
                        f"{text_chars:,} characters a page, Mẫu 01); packages "
                        f"{package_bytes / 1e6:,.0f} MB in {bag_files:,} files; "
                        f"{len(batch_sql) / DOSSIERS:.2f} SQL statements per package "
                        f"({len(batch_sql) * BATCH / DOSSIERS:.0f} per batch); "
                        f"garbage collection {collections.seconds / DOSSIERS * 1e3:.2f} ms per "
                        f"package; FileSystemStorage on local disk; set-up {setup_s:.0f} s"
                    ),
                }
            )
            rows.append(
                {
                    "name": (
                        f"the same, one dossier per call as on return (build_package), "
                        f"{ON_RETURN} more dossiers"
                    ),
                    "subject_s": single,
                    "reference_s": reference * ON_RETURN / DOSSIERS,
                    "n": ON_RETURN,
                    "unit": "package",
                    "reference": "the reference above, per package",
                    "notes": (
                        f"{ON_RETURN / single * 60:,.0f} packages/min; "
                        f"{len(single_sql) / ON_RETURN:.0f} SQL statements per package"
                    ),
                }
            )
            rows.append(
                {
                    "name": (
                        f"bare file work of the bag format, {label}: every file of the "
                        f"{DOSSIERS:,} packages read, hashed and written in the same layout"
                    ),
                    "subject_s": bare_bags,
                    "reference_s": reference,
                    "n": DOSSIERS,
                    "unit": "package",
                    "reference": "the reference above",
                    "notes": (
                        f"{bag_files:,} files (7 sources + bagit.txt, bag-info.txt, two "
                        f"manifests, metadata.json, index.html per package) in {folders} new "
                        f"folders per package; no database, no rendering: the floor of the first "
                        f"row's ratio"
                    ),
                }
            )
            rows.append(
                {
                    "name": (
                        f"fixity pass over {len(packages):,} packages, {label} (run_fixity_slice)"
                    ),
                    "subject_s": fixity,
                    "reference_s": hash_ref,
                    "n": len(packages),
                    "unit": "package",
                    "reference": "read + SHA-256 of the same package files alone",
                    "notes": (
                        f"**{all_bytes / 1e6 / fixity:,.0f} MB/s** vs "
                        f"{all_bytes / 1e6 / hash_ref:,.0f} MB/s (target ≤ 1.5×); "
                        f"one FixityCheck row per package; "
                        f"{len(fixity_sql)} SQL statements for the pass"
                    ),
                }
            )
            raise RollbackError
    except RollbackError:
        pass
    finally:
        gc.unfreeze()
        _rm("archive/packages", "bench-reference", "bench-bags", "scans", "forms/bench")
    return rows
