"""The public status page (``/tra-cuu/``) over 1,000,000 dossiers, served by gunicorn as in
production, loaded with wrk, against the thinnest possible Django view started the same way
in the same run.

The table is grown to a million dossiers (with their histories: 1 to 4 steps each) by
bench/volume.py. Two gunicorn servers with docker-compose's flags
(``--workers 2 --threads 4``, access log on) are started on the bench database: the portal
itself (full mode, Redis-backed rate limit raised through ``PUBLIC_LOOKUPS_PER_MINUTE``) and
``bench/thin_status.py`` (one SQL statement, no middleware, a template that the benchmark
writes from a page the portal rendered, so both answer the same number of bytes). wrk drives
each with 64 connections and a Lua script that asks for random existing codes with their
check codes (20,000 sampled into a file) and counts every answer that is not the dossier's
page as an error, as it counts an answer slower than its 2 s timeout (the notes say which
kind each error was). After a warm-up, the two are measured in turn, three times, the order
swapped every round (other people's work shares the CPUs); the best round of each is kept and
every round is written in the notes. Targets: the portal's requests/s ≥ 0.75× the thin
view's, p99 ≤ 150 ms, 0 errors. The rows are removed afterwards.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from bench import volume
from dossiers.demo import load_reference_data, load_units
from dossiers.models import Dossier

NEEDS_DB = True
BIG, SAMPLE = 1_000_000, 20_000
CONNECTIONS, WARMUP_S, MEASURE_S, ROUNDS = 64, 5, 20, 3
GUNICORN_FLAGS = [
    "--workers",
    "2",
    "--threads",
    "4",
    "--access-logfile",
    "-",
    "--log-level",
    "warning",
]
ROOT = Path(__file__).resolve().parent.parent
PREFIX = "BN"

# Codes shaped like real ones (dossiers.public_lookup.CODE_SHAPE): BN<block>-<day>-<sequence>.
CODE = (
    f"'{PREFIX}' || lpad((g / 10000)::text, 3, '0') || '-' || to_char(received, 'YYMMDD') "
    "|| '-' || lpad((g %% 10000)::text, 4, '0')"
)
CHECK_CODE = "upper(substr(md5(g::text), 1, 6))"

LUA = r"""
local paths = {}
for line in io.lines("%(codes)s") do
  local code, check = line:match("^(%%S+)%%s+(%%S+)$")
  paths[#paths + 1] = "/tra-cuu/?ma=" .. code .. "&kt=" .. check
end
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
  misses = 0
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function response(status, headers, body)
  -- Only the dossier's own page counts: a 200 "not found" answer is an error too.
  if status ~= 200 or not body:find("<h1>", 1, true) then misses = misses + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("misses") end
  io.write(string.format("MISSES %%d\n", total))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _grow():
    """Grow the tables (unless a kept run left them grown); a sample of codes and checks."""
    if volume.count(PREFIX) != BIG:
        volume.remove(PREFIX)
        seconds = volume.grow(0, BIG - 1, code=CODE, check_code=CHECK_CODE)
        print(f"  dossiers: {seconds:.0f} s", flush=True)
        volume.histories(PREFIX)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, check_code FROM dossiers_dossier TABLESAMPLE SYSTEM (5) "
            "WHERE code LIKE %s ORDER BY random() LIMIT %s",
            [f"{PREFIX}%", SAMPLE],
        )
        return cursor.fetchall()


def _thin_template(sample_code, sample_check, workdir: Path) -> int:
    """Write the thin view's template from the portal's own page for one dossier, with the
    row's fields as variables; returns the page's size in bytes."""
    with override_settings(PUBLIC_LOOKUPS_PER_MINUTE=10**9):
        page = Client().get("/tra-cuu/", {"ma": sample_code, "kt": sample_check})
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>" in html, "the portal did not show the dossier"
    dossier = Dossier.objects.get(code=sample_code)

    def local(moment):
        return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")

    template = html.replace(sample_code, "{{ code }}")
    for name in ("received_at", "appointment_at"):
        template = template.replace(
            local(getattr(dossier, name)), f'{{{{ {name}|date:"H:i d/m/Y" }}}}', 1
        )
    template = template.replace(f's-{dossier.state}"', 's-{{ state }}"', 1)
    (workdir / "status.html").write_text(template, encoding="utf-8")
    return len(page.content)


def _serve(app, env, log, *, flags=GUNICORN_FLAGS, probe="/tra-cuu/"):
    """gunicorn serving ``app`` on a free port, once it answers ``probe``: (process, port)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            *flags,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn {app} exited with {proc.returncode}; see {log.name}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2)  # noqa: S310
            return proc, port
        except urllib.error.HTTPError:  # it answers (the thin view: 404 without a code)
            return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"gunicorn {app} did not answer within 60 s")


def _stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


UNITS_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS_S[unit]


def _wrk(port, lua, seconds):
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(lua),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )  # noqa: E501
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # What each error was: a socket error of wrk's ("timeout": no answer within its 2 s), or
    # an answer that was not the dossier's page (the Lua script's misses).
    kinds = {"wrong page": int(re.search(r"MISSES (\d+)", out)[1])}
    if socket_errors:
        names = ("connect", "read", "write", "timeout")
        kinds.update(zip(names, map(int, socket_errors.groups()), strict=True))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "p50": _seconds(re.search(r"\s50%\s+(\S+)", out)[1]),
        "p99": _seconds(re.search(r"\s99%\s+(\S+)", out)[1]),
        "errors": sum(kinds.values()),
        "error_kinds": {kind: n for kind, n in kinds.items() if n},
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
        "raw": out,
    }


def _error_kinds(best):
    """' (thin: 1 timeout)' when a kept round had errors, saying which kind; else ''."""
    said = [
        f"{name}: " + ", ".join(f"{n} {kind}" for kind, n in result["error_kinds"].items())
        for name, result in best.items()
        if result["error_kinds"]
    ]
    return f" ({'; '.join(said)})" if said else ""


def _load_wrk(servers, lua):
    """Warm both up, then measure each in turn ROUNDS times, the order swapped every round
    (the machine is shared: neither always runs first); keep each one's best round, and
    every round's requests/s for the notes."""
    for port in servers.values():
        _wrk(port, lua, WARMUP_S)
    best, rounds = {}, {name: [] for name in servers}
    for number in range(ROUNDS):
        order = list(servers.items()) if number % 2 == 0 else list(servers.items())[::-1]
        for name, port in order:
            result = _wrk(port, lua, MEASURE_S)
            rounds[name].append(result["rps"])
            load = os.getloadavg()[0]
            print(
                f"  {name}: {result['rps']:.0f} req/s, p99 {result['p99'] * 1000:.0f} ms, "
                f"{result['errors']} errors, load {load:.1f}",
                flush=True,
            )
            if name not in best or result["rps"] > best[name]["rps"]:
                best[name] = result
    return best, rounds


def run() -> list[dict]:
    if connection.vendor != "postgresql":
        raise RuntimeError("bench_status_page needs PostgreSQL: run it through `make bench`.")
    if shutil.which("wrk") is None:
        raise RuntimeError("bench_status_page needs wrk: `scripts/install-system.sh bench`.")
    load_units()
    load_reference_data()
    volume.applicants(100_000)
    workdir = Path(tempfile.mkdtemp(prefix="bacyen-bench-status."))
    procs = []
    try:
        started = time.perf_counter()
        sample = _grow()
        grown_in = time.perf_counter() - started
        # BENCH_KEEP_ROWS=1 keeps the grown tables for the next run, which then reuses them.
        growth = f"grown in {grown_in:.0f} s" if grown_in > 10 else "tables kept from a run before"
        codes = workdir / "codes.txt"
        codes.write_text("".join(f"{code} {check}\n" for code, check in sample))
        lua = workdir / "status.lua"
        lua.write_text(LUA % {"codes": codes})
        page_bytes = _thin_template(*sample[0], workdir)

        env = {**os.environ, "PUBLIC_LOOKUPS_PER_MINUTE": str(10**9), "DEBUG": "false"}
        thin_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench.thin_status",
            "THIN_TEMPLATE_DIR": str(workdir),
        }
        logs = {name: open(workdir / f"{name}.log", "w") for name in ("portal", "thin")}  # noqa: SIM115
        portal, portal_port = _serve("bacyen_portal.wsgi:application", env, logs["portal"])
        procs.append(portal)
        thin, thin_port = _serve("bench.thin_status:application", thin_env, logs["thin"])
        procs.append(thin)
        thin_bytes = len(
            urllib.request.urlopen(  # noqa: S310
                f"http://127.0.0.1:{thin_port}/tra-cuu/?ma={sample[0][0]}&kt={sample[0][1]}"
            ).read()
        )
        load_before = os.getloadavg()[0]
        best, rounds = _load_wrk({"portal": portal_port, "thin": thin_port}, lua)
        load_after = os.getloadavg()[0]
    finally:
        for proc in procs:
            _stop(proc)
        for log in locals().get("logs", {}).values():
            log.close()
        if os.environ.get("BENCH_KEEP_ROWS"):  # profiling: keep the grown tables and logs
            print(f"  kept the rows and {workdir}", flush=True)
        else:
            volume.remove(PREFIX)
            shutil.rmtree(workdir, ignore_errors=True)

    real, ref = best["portal"], best["thin"]
    ratio = real["rps"] / ref["rps"]
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    common = (
        f"gunicorn {' '.join(GUNICORN_FLAGS[:4])} for both, wrk {wrk_version.split()[1]} -t2 "
        f"-c{CONNECTIONS}, best of {ROUNDS} × {MEASURE_S} s; {SAMPLE:,} random codes of "
        f"{BIG:,} dossiers ({growth}); pages {page_bytes:,} B / "
        f"{thin_bytes:,} B; load average {load_before:.1f} → {load_after:.1f} on "
        f"{os.cpu_count()} CPUs shared with the database and wrk; every round (req/s): "
        f"portal {' / '.join(f'{r:.0f}' for r in rounds['portal'])}, thin "
        f"{' / '.join(f'{r:.0f}' for r in rounds['thin'])}"
    )
    return [
        {
            "name": "status page under wrk, 1 / throughput",
            "unit": "request",
            "n": 1,
            "subject_s": 1 / real["rps"],
            "reference_s": 1 / ref["rps"],
            "reference": "thinnest Django view: same row by code, same-size template",
            "notes": f"**portal {real['rps']:.0f} req/s vs thin {ref['rps']:.0f} req/s = "
            f"{ratio:.2f}×** (target ≥ 0.75×); errors {real['errors']} / "
            f"{ref['errors']}{_error_kinds(best)} (target 0); {common}",
        },
        {
            "name": "status page under wrk, p99 latency",
            "unit": "request",
            "n": 1,
            "subject_s": real["p99"],
            "reference_s": ref["p99"],
            "reference": "the same thin view",
            "notes": f"**p99 {real['p99'] * 1000:.0f} ms** (target ≤ 150 ms), p50 "
            f"{real['p50'] * 1000:.0f} ms; thin p99 {ref['p99'] * 1000:.0f} ms, "
            f"p50 {ref['p50'] * 1000:.0f} ms",
        },
    ]
