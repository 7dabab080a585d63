"""Backups: the database with pgBackRest (full, differential and incremental backups, WAL
archived continuously by PostgreSQL's archive_command, so a restore reaches any moment), the
media folder as snapshots with a SHA-256 manifest (a file unchanged since the previous
snapshot is a hard link to it: a daily snapshot costs what changed).

pgBackRest runs as the database's owner (PGBACKREST_RUN_AS when this process is root); its
configuration file and stanza come from settings."""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

MANIFEST = "SHA256SUMS"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore step failed; the message is Vietnamese, for the operator."""


def pgbackrest(*args, timeout=3600) -> str:
    command = [
        settings.PGBACKREST_BIN,
        f"--config={settings.PGBACKREST_CONFIG}",
        f"--stanza={settings.PGBACKREST_STANZA}",
        *args,
    ]
    if os.geteuid() == 0 and settings.PGBACKREST_RUN_AS:
        command = ["runuser", "-u", settings.PGBACKREST_RUN_AS, "--", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError as exc:
        raise BackupError("Chưa cài pgBackRest (apt install pgbackrest).") from exc
    if done.returncode != 0:
        raise BackupError(f"pgBackRest {args[0]} lỗi: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def database_backups() -> list[dict]:
    """pgBackRest's list of this stanza's backups, oldest first (its ``info`` as JSON)."""
    info = json.loads(pgbackrest("info", "--output=json") or "[]")
    return info[0].get("backup", []) if info else []


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class MediaSnapshot:
    path: Path
    files: int
    bytes: int
    linked: int

    @property
    def name(self):
        return self.path.name


def _snapshots_dir() -> Path:
    return Path(settings.BACKUP_DIR) / "media"


def media_snapshots() -> list[Path]:
    """Complete snapshots (those with their manifest), oldest first."""
    folder = _snapshots_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (p / MANIFEST).is_file())


def read_manifest(snapshot: Path) -> dict[str, str]:
    """{file name: SHA-256} of a snapshot, as its SHA256SUMS lists them."""
    sums = {}
    for line in (snapshot / MANIFEST).read_text().splitlines():
        digest, _, name = line.partition("  ")
        sums[name] = digest
    return sums


def snapshot_media(now=None) -> MediaSnapshot:
    """Copy MEDIA_ROOT into a new snapshot; write the manifest last (a snapshot without one
    is incomplete and ignored). Files unchanged since the last snapshot (same size and
    modification time) are hard links to it and keep their recorded checksum."""
    source = Path(settings.MEDIA_ROOT)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = _snapshots_dir() / stamp
    snapshots = media_snapshots()
    previous = snapshots[-1] if snapshots else None
    known = read_manifest(previous) if previous else {}
    (target / "files").mkdir(parents=True)
    lines, total, linked = [], 0, 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        copy = target / "files" / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        old = previous / "files" / name if previous else None
        stat = path.stat()
        if old and name in known and old.is_file():
            old_stat = old.stat()
            if (old_stat.st_size, old_stat.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                os.link(old, copy)
                lines.append(f"{known[name]}  {name}")
                total += stat.st_size
                linked += 1
                continue
        shutil.copy2(path, copy)
        lines.append(f"{sha256(copy)}  {name}")
        total += stat.st_size
    (target / MANIFEST).write_text("\n".join(lines) + ("\n" if lines else ""))
    return MediaSnapshot(target, len(lines), total, linked)


def verify_media(root: Path, snapshot: Path) -> list[str]:
    """Files of the snapshot's manifest missing under ``root`` or with another checksum."""
    problems = []
    for name, digest in read_manifest(snapshot).items():
        path = root / name
        if not path.is_file():
            problems.append(f"thiếu {name}")
        elif sha256(path) != digest:
            problems.append(f"khác mã băm {name}")
    return problems


def restore_media(snapshot: Path | None = None) -> tuple[Path, int]:
    """Copy a snapshot (the latest by default) into MEDIA_ROOT and check every file against
    its manifest; raises BackupError naming the files that do not match."""
    snapshots = media_snapshots()
    if snapshot is None:
        if not snapshots:
            raise BackupError(f"Chưa có bản sao lưu tệp nào trong {_snapshots_dir()}.")
        snapshot = snapshots[-1]
    target = Path(settings.MEDIA_ROOT)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(snapshot / "files", target, dirs_exist_ok=True, copy_function=shutil.copy2)
    problems = verify_media(target, snapshot)
    if problems:
        raise BackupError("Tệp khôi phục không khớp bản sao lưu: " + "; ".join(problems[:10]))
    return snapshot, len(read_manifest(snapshot))
