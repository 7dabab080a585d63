"""The scanner's hot folder: one sub-folder per counter unit (named by the unit's code) under
SCAN_INBOX_DIR. A file named ``<dossier code>__<component number>.<ext>`` lands on that
component of that unit's dossier; anything else lands in the unit's tray of unassigned
scans. A file taken is moved to ``da-nhan/<date>/``; a refused one to ``bi-tu-choi/`` with a
``.txt`` giving the reason, so nothing the scanner wrote is ever lost."""

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from dossiers.models import Dossier, Unit
from dossiers.validators import DOSSIER_CODE

from . import intake

logger = logging.getLogger(__name__)

NAME = re.compile(rf"^(?P<code>{DOSSIER_CODE})__(?P<number>\d{{1,3}})\.\w{{2,5}}$", re.IGNORECASE)
TAKEN = "da-nhan"
REFUSED = "bi-tu-choi"
# A file younger than this may still be being written by the scanner.
SETTLE_SECONDS = 2.0
# A hidden (".name") or partial (".part") file is a scanner's work in progress; one left this
# long is not, and is moved aside with its reason like any file refused.
ABANDONED_SECONDS = 600.0
HIDDEN = (
    "Tên tệp bắt đầu bằng dấu chấm (tệp ẩn, thường là tệp tạm của máy quét) nên không được nhận. "
    "Nếu đây là bản quét, xin đổi tên tệp (bỏ dấu chấm đầu) rồi đặt lại vào thư mục."
)
PARTIAL = (
    "Tệp «.part» là tệp máy quét chưa ghi xong; sau 10 phút vẫn chưa hoàn tất nên không được "
    "nhận. Xin quét lại."
)


@dataclass
class Collected:
    attached: int = 0
    unassigned: int = 0
    refused: int = 0


def collect_all(root: Path | None = None) -> Collected:
    root = Path(root or settings.SCAN_INBOX_DIR)
    total = Collected()
    if not root.is_dir():
        return total
    units = {u.code: u for u in Unit.objects.filter(code__in=[p.name for p in root.iterdir()])}
    for code, unit in units.items():
        done = collect(root / code, unit)
        total.attached += done.attached
        total.unassigned += done.unassigned
        total.refused += done.refused
    return total


def collect(folder: Path, unit) -> Collected:
    done = Collected()
    now = time.time()
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        age = now - path.stat().st_mtime
        unfinished = (
            HIDDEN if path.name.startswith(".") else PARTIAL if path.suffix == ".part" else ""
        )
        if age < (ABANDONED_SECONDS if unfinished else SETTLE_SECONDS):
            continue
        if unfinished:
            _refuse(path, unfinished)
            done.refused += 1
            continue
        try:
            outcome = _take(path, unit)
        except Exception:  # noqa: BLE001 - one bad file must not stop the folder
            logger.exception("Hot folder: %s left in place", path)
            continue
        setattr(done, outcome, getattr(done, outcome) + 1)
    return done


def _take(path: Path, unit) -> str:
    dossier, component = _named_target(path.name, unit)
    with open(path, "rb") as stream:
        upload = File(stream, name=path.name)
        if component is not None:
            result = intake.attach(
                dossier=dossier, component=component, uploads=[upload], source="hot_folder"
            )
            outcome = "attached"
        else:
            result = intake.take_into_tray(unit=unit, uploads=[upload])
            outcome = "unassigned"
    if result.refused:
        _refuse(path, "; ".join(problem for _, problem in result.refused))
        return "refused"
    _move(path, path.parent / TAKEN / timezone.localdate().isoformat())
    return outcome


def _named_target(name, unit):
    match = NAME.match(name)
    if not match:
        return None, None
    dossier = Dossier.objects.filter(code=match["code"].upper(), receiving_unit=unit).first()
    if dossier is None or dossier.state not in intake.ATTACHABLE_STATES:
        return None, None
    components = list(dossier.components.order_by("id"))
    number = int(match["number"])
    if not 1 <= number <= len(components):
        return None, None
    return dossier, components[number - 1]


def _refuse(path: Path, reason: str):
    """Move ``path`` to the refused folder, with ``<its name there>.txt`` giving the reason.
    A hidden file moved there keeps its name but shows: a leading dot becomes "_"."""
    target = _move(path, path.parent / REFUSED, shown=True)
    target.with_name(f"{target.name}.txt").write_text(reason + "\n", encoding="utf-8")


def _move(path: Path, folder: Path, shown=False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    name = "_" + path.name[1:] if shown and path.name.startswith(".") else path.name
    target = folder / name
    stem, suffix, n = Path(name).stem, Path(name).suffix, 1
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    path.rename(target)
    return target
