"""Backup and restore of a province-sized database (issue #22, item 3's closing figures):
`scripts/bench.sh backup`.

On a PostgreSQL cluster of its own with WAL archived by pgBackRest (tests/drill.py, the one
the restore drill uses): the demo province loaded, then grown to BACKUP_BENCH_DOSSIERS
dossiers (1 000 000) with their histories by bench/volume.py; `manage.py backup --type full`
(pgBackRest full backup + the media snapshot), BACKUP_BENCH_MORE dossiers more received, then
`manage.py backup --type incr`; the cluster and media destroyed and restored to the latest
point into a fresh data directory (pgBackRest restore, WAL replay, promotion, media copied
back); the rows counted again. The reference, in the same run on the same database, is what
an operator would otherwise do by hand: `pg_dump -Fc` of it."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NEEDS_DB = False
ROOT = Path(__file__).resolve().parent.parent
DOSSIERS = int(os.environ.get("BACKUP_BENCH_DOSSIERS", "1000000"))
MORE = int(os.environ.get("BACKUP_BENCH_MORE", "10000"))
CODE = "'BK-' || to_char(received, 'YYMMDD') || '-' || lpad(g::text, 7, '0')"
GROW = """
from bench import volume
volume.applicants(20000, id_prefix="0148")
volume.grow({first}, {last}, code={code!r})
volume.histories("BK-")
"""
_FIGURES: dict = {}


def _timed(func, *args, **kwargs) -> float:
    started = time.monotonic()
    func(*args, **kwargs)
    return time.monotonic() - started


def _count(drill, table) -> int:
    return int(drill.sql(f"SELECT count(*) FROM {table}", db="portal"))  # noqa: S608 - our names


def run() -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from tests.drill import Drill  # the restore drill's cluster, shared with the tests
    from tests.production_stack import as_postgres

    drill = Drill(Path(tempfile.mkdtemp(prefix="bacyen-backup-bench-")))
    drill.setup()
    try:
        drill.manage("migrate", "--noinput", "-v0")
        drill.manage("load_demo")
        grown = _timed(drill.shell, GROW.format(first=1, last=DOSSIERS, code=CODE))
        size = int(drill.sql("SELECT pg_database_size('portal')"))
        counts = {t: _count(drill, t) for t in ("dossiers_dossier", "dossiers_dossierevent")}
        full = _timed(drill.manage, "backup", "--type", "full", timeout=7200)
        more = GROW.format(first=DOSSIERS + 1, last=DOSSIERS + MORE, code=CODE)
        drill.shell(more.replace('volume.histories("BK-")', ""))
        incr = _timed(drill.manage, "backup", "--type", "incr", timeout=7200)
        dump_file = drill.folder / "portal.dump"
        dump = _timed(
            as_postgres,
            "pg_dump",
            *drill.psql_args()[:6],
            "-Fc",
            "-f",
            str(dump_file),
            "portal",
            timeout=7200,
        )
        before = {t: _count(drill, t) for t in counts}
        repo = subprocess.run(
            ["du", "-sb", str(drill.folder / "repo")], capture_output=True, text=True
        ).stdout.split()[0]
        drill.destroy()
        restore = drill.restore()
        after = {t: _count(drill, t) for t in counts}
        assert after == before, (before, after)
        _FIGURES.update(
            size=size,
            counts=counts,
            grown=grown,
            repo=int(repo),
            dump_size=dump_file.stat().st_size,
            after=after,
        )
    finally:
        try:
            drill.destroy()
        except AssertionError:
            pass  # already stopped
    n = counts["dossiers_dossier"]
    reference = f"pg_dump -Fc of the same database ({n:,} dossiers)"
    return [
        {
            "name": f"pgBackRest full backup + media snapshot, {n:,} dossiers",
            "subject_s": full,
            "reference_s": dump,
            "reference": reference,
            "unit": "backup",
            "n": 1,
            "notes": f"database {size / 2**30:.2f} GiB",
        },
        {
            "name": f"incremental backup after {MORE:,} more dossiers",
            "subject_s": incr,
            "reference_s": dump,
            "reference": reference,
            "unit": "backup",
            "n": 1,
            "notes": "",
        },
        {
            "name": "restore to the latest point (restore, WAL replay, promotion, media)",
            "subject_s": restore,
            "reference_s": dump,
            "reference": reference,
            "unit": "restore",
            "n": 1,
            "notes": "row counts equal after",
        },
    ]


def markdown() -> str:
    f = _FIGURES
    if not f:
        return ""
    return (
        f"The database: {f['counts']['dossiers_dossier']:,} dossiers and "
        f"{f['counts']['dossiers_dossierevent']:,} history rows, "
        f"{f['size'] / 2**30:.2f} GiB on disk (grown in {f['grown']:.0f} s). pgBackRest's "
        f"repository after the full and the incremental backup: {f['repo'] / 2**20:.0f} MiB "
        f"(compressed); the pg_dump file: {f['dump_size'] / 2**20:.0f} MiB. After the restore "
        f"the dossiers and their history count the same as before "
        f"({f['after']['dossiers_dossier']:,} and {f['after']['dossiers_dossierevent']:,})."
    )
