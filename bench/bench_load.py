"""Load: the people of the counters against the production stack on this machine (issue #22,
item 6) — `make bench-load` (`scripts/bench.sh load`).

The demo province is loaded into the benchmark's PostgreSQL database; the stack is brought up
from the deploy files exactly as the production-shape test does (tests/production_stack.py:
nginx with TLS → gunicorn → PostgreSQL, one Celery worker per queue, beat, the counterpart);
then Locust (bench/locustfile.py: clerks receiving, searching and handing over, citizens
looking up and submitting online with two files, TV displays polling) runs in its own
process, headless, in steps of users. The capacity is the largest step whose every action
has p95 ≤ 500 ms and no error; a soak at 70 % of it follows, sampling the memory of every
process of the stack. The reference, in the same run and at the same load, is `/healthz`
through nginx (the process answers, nothing else): what is left of an action's time above it
is the portal's work.

The public limits that protect a province's counters from one address are raised for the
run (every simulated citizen comes from 127.0.0.1): nginx's `limit_req` on the look-ups, the
look-up and submission counters, the API's anonymous throttle.

LOAD_STEPS (users per step, "5,10,15,..."), LOAD_STEP_SECONDS (90), LOAD_SOAK_MINUTES (30;
0 skips the soak) and LOAD_WEB_WORKERS (2 × cores + 1) change the run."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from PIL import Image, ImageDraw

from dossiers import queries
from dossiers.demo import DEMO_PASSWORD
from dossiers.models import Dossier, Procedure, Unit
from dossiers.roles import Role

NEEDS_DB = True
ROOT = Path(__file__).resolve().parent.parent
P95_LIMIT_MS = 500
CORES = os.cpu_count() or 1
STEPS = [int(n) for n in os.environ.get("LOAD_STEPS", "5,10,15,20,30,40,60,80,120").split(",")]
# Long enough that a step's p95 of the rarer actions (a reception, a hand-over) rests on a few
# dozen requests, not on its slowest one.
STEP_SECONDS = int(os.environ.get("LOAD_STEP_SECONDS", "90"))
SOAK_MINUTES = float(os.environ.get("LOAD_SOAK_MINUTES", "30"))
WEB_WORKERS = int(os.environ.get("LOAD_WEB_WORKERS", str(2 * CORES + 1)))
PROBE = "/healthz"
_FIGURES: dict = {}


def _receivable(unit) -> Procedure | None:
    """A procedure with papers that ``unit``'s counter receives."""
    for procedure in Procedure.objects.filter(is_active=True, components__isnull=False).distinct():
        if any(u.pk == unit.pk for u in queries.receiving_units(procedure)):
            return procedure
    return None


def _small_scan() -> bytes:
    """The second file of an online submission: a small greyscale photo of a card (small,
    so that OCR does not set the pace of the run)."""
    image = Image.new("L", (480, 300), 245)
    ImageDraw.Draw(image).text((24, 24), "CAN CUOC 014090001234", fill=20)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _required_positions(procedure) -> list[int]:
    """Positions (from 1, as the submission API counts) of ``procedure``'s required papers."""
    papers = procedure.components.order_by("order", "pk").values_list("required", flat=True)
    return [i for i, required in enumerate(papers, start=1) if required]


def load_data(folder: Path) -> Path:
    """What the Locust users need, from the loaded database, as LOAD_DATA."""
    clerks = []
    accounts = get_user_model().objects.filter(groups__name=Role.CLERK.value, is_active=True)
    for user in accounts.select_related("staff__unit").order_by("username"):
        unit = user.staff.unit
        procedure = _receivable(unit)
        if procedure is None:
            continue
        # A finished dossier waits where it is returned (the applicant's choice, else the counter
        # in charge): the workflow moves it there, so its current unit says where.
        ready = Dossier.objects.filter(state="result_ready", current_unit=unit)
        clerks.append(
            {
                "username": user.username,
                "unit": unit.code,
                "procedure": procedure.national_code,
                "components": list(procedure.components.values_list("pk", "copies")),
                "ready": list(ready.values_list("code", flat=True)),
            }
        )
    online = next(
        (p, u, required)
        for p in queries.online_procedures()
        if 1 <= len(required := _required_positions(p)) <= 2
        for u in queries.receiving_units(p)[:1]
    )
    lookups = list(Dossier.objects.order_by("?").values_list("code", "check_code")[:500])
    displays = list(
        Unit.objects.filter(service_areas__isnull=False).distinct().values_list("code", flat=True)
    )
    data = {
        "password": DEMO_PASSWORD,
        "clerks": clerks,
        "lookups": lookups,
        "online": {
            "procedure": online[0].national_code,
            "unit": online[1].code,
            # Two files: one for each required paper (both for the one, if only one is).
            "components": (online[2] * 2)[:2],
        },
        "displays": displays,
        "png_hex": _small_scan().hex(),
    }
    path = folder / "load-data.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def _base_env() -> dict:
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "OMP_THREAD_LIMIT": "1",
    }


def start_stack(folder: Path):
    sys.path.insert(0, str(ROOT))
    from tests import production_stack  # the stack the production-shape test brings up

    return production_stack.start(
        folder,
        _base_env(),
        queues=("default", "ocr", "national", "reports"),
        portal={
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(settings.STATIC_ROOT),
            "WEB_WORKERS": str(WEB_WORKERS),
            "PUBLIC_LOOKUPS_PER_MINUTE": "1000000",
            "PUBLIC_SUBMISSIONS_PER_HOUR": "1000000",
            "API_ANON_RATE": "1000000/minute",
            "DEBUG": "false",
        },
        site={"NGINX_LOOKUP_RATE": "100000r/s", "NGINX_LOOKUP_BURST": "100000"},
    )


def _number(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):  # "N/A" when an action had no request
        return 0.0


def _locust(base: str, data: Path, users: int, seconds: float, prefix: Path):
    """The headless Locust command (CSV figures under ``prefix``) and its environment."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "-u",
        str(users),
        "-r",
        str(max(1, users // 5)),
        "-t",
        f"{int(seconds)}s",
        "--csv",
        str(prefix),
        "--reset-stats",  # figures from the moment every user is there
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    return command, {**os.environ, "LOAD_DATA": str(data)}


def _stats(prefix: Path) -> dict:
    """{action: {n, failures, p50, p95, rps}} from a run's CSV."""
    stats = {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "n": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": _number(row["50%"]),
                "p95": _number(row["95%"]),
                "rps": _number(row["Requests/s"]),
            }
    return stats


def locust(base: str, data: Path, users: int, seconds: float, prefix: Path) -> dict:
    """One headless Locust run; its figures per action."""
    command, env = _locust(base, data, users, seconds, prefix)
    subprocess.run(
        command, env=env, cwd=ROOT, check=False, capture_output=True, timeout=seconds + 300
    )
    return _stats(prefix)


LOGIN = "/dang-nhap/ (đăng nhập)"  # once a day per clerk: reported, not held to the limit


def actions_of(stats: dict) -> dict:
    return {k: v for k, v in stats.items() if k not in ("Aggregated", LOGIN)}


def holds(stats: dict) -> bool:
    actions = actions_of(stats)
    return bool(actions) and all(
        v["failures"] == 0 and v["p95"] <= P95_LIMIT_MS for v in actions.values()
    )


def stack_processes(stack) -> list[psutil.Process]:
    found = []
    for proc in stack.procs:
        try:
            parent = psutil.Process(proc.pid)
            found += [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    return found


def describe(process) -> str:
    """What a process of the stack is, from its command line."""
    line = " ".join(process.cmdline())
    if "gunicorn" in line:
        return "gunicorn (web)"
    if "celery" in line and " worker" in line:
        queue = line.split(" -Q ")[1].split()[0] if " -Q " in line else "?"
        return f"celery worker ({queue})"
    if "celery" in line and " beat" in line:
        return "celery beat"
    if "counterpart" in line:
        return "counterpart"
    return process.name()


def memory(processes) -> dict:
    sizes = {}
    for p in processes:
        try:
            sizes[p.pid] = (describe(p), p.memory_info().rss)
        except psutil.NoSuchProcess:
            continue
    return sizes


def soak(stack, data, users, folder) -> dict:
    """LOAD_SOAK_MINUTES at ``users``: memory after 2 minutes and at the end, per process."""
    prefix = folder / "soak"
    minutes = SOAK_MINUTES
    command, env = _locust(stack.base, data, users, minutes * 60, prefix)
    runner = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    first = min(120, minutes * 60 / 4)
    time.sleep(first)
    processes = stack_processes(stack)
    before = memory(processes)
    # Half-way too: growth that stops after the warm-up (caches, fonts, lazily loaded models)
    # is told from growth that goes on (a leak) by the second half alone.
    time.sleep(max(0, minutes * 60 / 2 - first))
    halfway = memory(processes)
    runner.wait(timeout=minutes * 60 + 300)
    after = memory(processes)
    growth = {
        pid: (name, before[pid][1], after[pid][1], halfway.get(pid, (name, 0))[1])
        for pid, (name, _) in after.items()
        if pid in before
    }
    return {"users": users, "minutes": minutes, "memory": growth, "stats": _stats(prefix)}


def run() -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="bacyen-load-"))
    call_command("load_demo", verbosity=0)
    connection.close()
    data = load_data(folder)
    # Stopped by a signal (a run cut short), the stack still goes down with it (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    stack = start_stack(folder)
    try:
        # Templates, connections, the first reception on each process.
        locust(stack.base, data, max(10, STEPS[0]), 30, folder / "warm")
        ramp, capacity, at_capacity = [], 0, None
        for users in STEPS:
            stats = locust(stack.base, data, users, STEP_SECONDS, folder / f"step-{users}")
            ok = holds(stats)
            ramp.append((users, stats, ok))
            if not ok:
                break
            capacity, at_capacity = users, stats
        _FIGURES.update(ramp=ramp, capacity=capacity)
        if capacity and SOAK_MINUTES > 0:
            _FIGURES["soak"] = soak(stack, data, max(1, int(capacity * 0.7)), folder)
    finally:
        stack.stop()
    if at_capacity is None:
        return []
    return capacity_rows(at_capacity, capacity)


def capacity_rows(at_capacity: dict, capacity: int) -> list[dict]:
    """One row per action at the capacity step: its p95 (per request: n is 1, the number of
    requests goes to the notes — the report divides a subject by its n)."""
    reference = at_capacity.get(PROBE, {}).get("p95", 0) / 1000
    return [
        {
            "name": f"{name} — p95 at {capacity} users",
            "subject_s": figures["p95"] / 1000,
            "reference_s": reference,
            "reference": f"{PROBE} through nginx, same load",
            "unit": "request",
            "n": 1,
            "notes": f"{figures['n']} requests; p50 {figures['p50']:.0f} ms, "
            f"{figures['failures']} errors",
        }
        for name, figures in sorted(at_capacity.items())
        if name not in ("Aggregated", PROBE) and figures["n"]  # an action not reached: no row
    ]


def action_table(stats: dict) -> list[str]:
    """Every action of one step: requests, p50, p95, errors."""
    lines = ["| action | requests | p50 | p95 | errors |", "|---|---:|---:|---:|---:|"]
    for name, v in sorted(stats.items()):
        if name != "Aggregated" and v["n"]:
            lines.append(
                f"| {name} | {v['n']} | {v['p50']:.0f} ms | {v['p95']:.0f} ms | {v['failures']} |"
            )
    return lines


def markdown() -> str:
    ramp, capacity = _FIGURES.get("ramp", []), _FIGURES.get("capacity", 0)
    lines = [
        f"Steps of {STEP_SECONDS} s; gunicorn {WEB_WORKERS} processes × 4 threads, one worker "
        f"per queue, Locust in a process of its own on the same {CORES} cores.",
        "",
        "| users | requests/s | slowest action's p95 | errors | holds |",
        "|---:|---:|---|---:|---|",
    ]
    for users, stats, ok in ramp:
        actions = actions_of(stats)
        worst = max(actions.items(), key=lambda kv: kv[1]["p95"]) if actions else ("—", {"p95": 0})
        total = stats.get("Aggregated", {"rps": 0, "failures": 0})
        lines.append(
            f"| {users} | {total['rps']:.1f} | {worst[1]['p95']:.0f} ms ({worst[0]}) "
            f"| {total['failures']} | {'yes' if ok else 'no'} |"
        )
    failed = next(((users, stats) for users, stats, ok in ramp if not ok), None)
    if failed:
        lines += ["", f"Where it stopped holding, {failed[0]} users:", "", *action_table(failed[1])]
    if capacity:
        people = capacity / (3 + 6 + 1)
        lines += [
            "",
            f"**Capacity: {capacity} users** with every action's p95 ≤ {P95_LIMIT_MS} ms and no "
            f"error — {people * 3 / CORES:.1f} clerks, {people * 6 / CORES:.1f} citizens and "
            f"{people / CORES:.1f} TV displays per core at the scenario's think times (a clerk "
            "acting every 3–9 s, a citizen every 2–8 s: several times a real counter's pace).",
        ]
    soaked = _FIGURES.get("soak")
    if soaked:
        errors = sum(v["failures"] for k, v in soaked["stats"].items() if k != "Aggregated")
        rows = sorted(soaked["memory"].values(), key=lambda r: r[2] / max(r[1], 1), reverse=True)
        worst = rows[0] if rows else ("—", 1, 1, 1)
        lines += [
            "",
            f"Soak: {soaked['minutes']:.0f} min at {soaked['users']} users — {errors} errors; "
            f"memory of {len(rows)} processes from minute 2 to the end, largest growth "
            f"{(worst[2] / max(worst[1], 1) - 1) * 100:+.1f} % ({worst[0]}).",
            "",
            "| process | RSS at minute 2 | half-way | at the end | growth | in the second half |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, before, after, halfway in rows[:12]:
            lines.append(
                f"| {name} | {before / 2**20:.0f} MiB | {halfway / 2**20:.0f} MiB "
                f"| {after / 2**20:.0f} MiB | {(after / max(before, 1) - 1) * 100:+.1f} % "
                f"| {(after / max(halfway, 1) - 1) * 100:+.1f} % |"
            )
    return "\n".join(lines)
