"""Benchmark runner: `make bench` (or `.venv/bin/python bench/run.py [name ...]`).

Discovers the modules ``bench/bench_*.py``. Each exposes ``run() -> list[dict]``, one dict per
row::

    {"name": str,          # what is measured
     "subject_s": float,   # best-of-repeats wall time of the n operations, in seconds
     "reference_s": float, # the same for the reference, measured in the same run
     "reference": str,     # what the reference is
     "unit": str,          # what one operation is ("call", "page", ...)
     "n": int,             # operations per repeat
     "notes": str}

A module may also define ``markdown() -> str``, called after ``run()``: more figures (e.g. an
accuracy table) printed and written under the timing table of its section.

A module that sets ``NEEDS_DB = True`` gets a migrated database: the embedded SQLite in a
temporary ``PORTAL_VAR_DIR`` unless the environment names another one.

Name modules on the command line (``calendar`` or ``bench_calendar``) to run only those. The
results are printed and written to ``docs/benchmarks.md``, where each module has its own section:
a run replaces the sections of the modules it ran and keeps the others.
"""

import atexit
import importlib
import os
import platform
import re
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
OUTPUT = ROOT / "docs" / "benchmarks.md"

TITLE = "# Benchmarks"
INTRO = (
    "Figures on this page come from `make bench` (`bench/run.py`). Each row times a piece of "
    "the portal (the subject) and a reference measured in the same run on the same machine; "
    "the ratio subject/reference is what to compare between machines and over time, the "
    "absolute times only hold for the machine named in the section. Times are per operation, "
    "the best of several repeats."
)
UNITS = (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6))
SECTION_RE = re.compile(r"<!-- bench:(?P<name>[\w-]+) -->\n.*?<!-- /bench:(?P=name) -->\n", re.S)


def discover() -> list[str]:
    """Names of the benchmark modules, without the ``bench_`` prefix, sorted."""
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def select(available: list[str], wanted: list[str]) -> list[str]:
    if not wanted:
        return available
    chosen = []
    for name in wanted:
        name = Path(name).stem.removeprefix("bench_")
        if name not in available:
            sys.exit(f"Không có benchmark {name!r} (no such benchmark); có: {', '.join(available)}")
        if name not in chosen:
            chosen.append(name)
    return chosen


def memory_total() -> str:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine_line() -> str:
    from django.db import connection

    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Run {now} on {platform.platform()}, {os.cpu_count()} CPUs, {memory_total()} RAM, "
        f"Python {platform.python_version()}, database {connection.vendor}."
    )


def format_time(seconds: float) -> str:
    """A time per operation in the unit that keeps it readable (ns, µs, ms or s)."""
    unit, scale = next(((unit, scale) for unit, scale in UNITS if seconds >= scale), ("ns", 1e-9))
    value = seconds / scale
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{digits}f} {unit}"


def table(rows: list[dict]) -> str:
    lines = [
        "| Benchmark | n | Subject, per op | Reference, per op | Ratio | Reference | Notes |",
        "|---|--:|--:|--:|--:|---|---|",
    ]
    for row in rows:
        n = row["n"]
        subject, reference = row["subject_s"] / n, row["reference_s"] / n
        ratio = f"{subject / reference:.1f}×" if reference > 0 else "—"
        lines.append(
            f"| {row['name']} | {n:,} {row['unit']}s | {format_time(subject)} "
            f"| {format_time(reference)} | {ratio} | {row['reference']} | {row['notes']} |"
        )
    return "\n".join(lines)


def section(name: str, rows: list[dict], machine: str, extra: str = "") -> str:
    extra = f"\n{extra.strip()}\n" if extra.strip() else ""
    return (
        f"<!-- bench:{name} -->\n## {name}\n\n{machine}\n\n{table(rows)}\n{extra}"
        f"<!-- /bench:{name} -->\n"
    )


def write_report(sections: dict[str, str]) -> None:
    """Replace the sections that ran in docs/benchmarks.md; keep the others."""
    kept, rest = {}, ""
    if OUTPUT.exists():
        text = OUTPUT.read_text(encoding="utf-8")
        for match in SECTION_RE.finditer(text):
            kept[match["name"]] = match[0]
        # Text written by hand outside the sections (figures no bench module computes) stays,
        # after the sections.
        rest = SECTION_RE.sub("", text).replace(TITLE, "", 1).replace(INTRO, "", 1).strip()
    kept.update(sections)
    body = "\n".join(kept[name] for name in sorted(kept))
    tail = f"\n{rest}\n" if rest else ""
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(f"{TITLE}\n\n{INTRO}\n\n{body}{tail}", encoding="utf-8")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacyen_portal.settings")
    if not os.environ.get("PORTAL_VAR_DIR"):
        var_dir = tempfile.mkdtemp(prefix="bacyen-bench-var.")
        atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
        os.environ["PORTAL_VAR_DIR"] = var_dir

    import django

    django.setup()


def main(argv: list[str]) -> int:
    names = select(discover(), argv)
    setup_django()
    modules = {name: importlib.import_module(f"bench.bench_{name}") for name in names}

    if any(getattr(module, "NEEDS_DB", False) for module in modules.values()):
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)

    machine = machine_line()
    print(machine)
    sections = {}
    try:
        for name, module in modules.items():
            print(f"\n## {name}\n", flush=True)
            rows = module.run()
            extra = module.markdown() if hasattr(module, "markdown") else ""
            print(table(rows), extra, sep="\n\n", flush=True)
            sections[name] = section(name, rows, machine, extra)
    finally:
        # The benchmarks that finished keep their figures when a later one fails (a 5 M
        # province run lost an OCR run's figures that way).
        if sections:
            write_report(sections)
    print(f"\n-> {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
