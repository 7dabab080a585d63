"""What the live dashboards cost the server: htmx polling of the cached strip every 3 s
against server-sent events, N dashboards open for M seconds, in the same run.

The province of today's map (75 communes and wards, their TTPVHCC, the provincial agencies)
is loaded; N district-office readers are signed in (sessions in the database, as in
production). Each mode gets a fresh gunicorn on the bench database and Redis:

- polling: docker-compose's flags (sync workers, ``--workers 2 --threads 4``); each dashboard
  GETs ``/bao-cao/truc-tiep/?seen=<digest>`` every 3 s (204 while unchanged);
- SSE: the portal's stream (reporting/live_stream.py) under ``-k gevent --workers 2``; each
  dashboard holds one stream that checks the cache key every second and sends the strip when
  it changed;
- idle: the polling server with no dashboard open (the reference of both).

Every 10 s the bench bumps the reports' data version, as a reception, return, rating or PAKN
does (reporting/receivers.py), so each mode recomputes and redraws. Measured: the CPU seconds
of the gunicorn processes (master and workers, from /proc), the database's transactions
(``pg_stat_database.xact_commit``: the portal runs in autocommit, one per statement), and how
long after a change each dashboard saw it. Then, as a check of "sync workers and SSE do not
mix": the streams under the sync flags, N streams — how many got their first event, and
whether a plain page still answered.
"""

import os
import re
import tempfile
import threading
import time
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection
from django.test import Client

from bench.bench_status_page import _serve as serve
from bench.bench_status_page import _stop
from dossiers.demo import load_units
from dossiers.services.todays_map import apply_todays_map
from reporting.cache import bump_version
from tests.factories import staff

NEEDS_DB = True
DASHBOARDS = int(os.environ.get("BENCH_LIVE_DASHBOARDS", "20"))
SECONDS = int(os.environ.get("BENCH_LIVE_SECONDS", "60"))
POLL_S, CHANGE_EVERY_S = 3.0, 10.0
ROOT = Path(__file__).resolve().parent.parent
STRIP = "/bao-cao/truc-tiep/"
STREAM = "/bao-cao/truc-tiep/luong/"
SYNC_FLAGS = ["--workers", "2", "--threads", "4"]
GEVENT_FLAGS = ["-k", "gevent", "--workers", "2", "--worker-connections", "1000"]
PORTAL = "bacyen_portal.wsgi:application"
results: dict = {}


def _serve(app, flags, log):
    env = {**os.environ, "DEBUG": "false"}
    return serve(app, env, log, flags=[*flags, "--log-level", "warning"], probe="/healthz")


def _cpu_seconds(pid) -> float:
    """utime + stime of ``pid`` and its children (gunicorn's workers), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid] + [int(p) for p in _children(pid)]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid):
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _transactions() -> int:
    time.sleep(1.2)  # PostgreSQL publishes a backend's counts within a second
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            [settings.DATABASES["default"]["NAME"]],
        )
        return cursor.fetchone()[0]


class Changes:
    """The moments the bench changed the data; each dashboard's delays to see them."""

    def __init__(self):
        self.moments: list[float] = []
        self.delays: list[float] = []
        self.lock = threading.Lock()

    def seen(self, last_seen: float, now: float) -> float:
        """Record the delay of every change since ``last_seen``; the new mark."""
        with self.lock:
            for moment in self.moments:
                if last_seen < moment <= now:
                    self.delays.append(now - moment)
        return now


def _poller(port, cookie, stop, changes, counts):
    seen, mark = "", time.monotonic()
    with httpx.Client(cookies={"sessionid": cookie}, timeout=10) as client:
        while not stop.is_set():
            answer = client.get(f"http://127.0.0.1:{port}{STRIP}", params={"seen": seen})
            counts["requests"] += 1
            if answer.status_code == 200:
                seen = re.search(r"seen=([0-9a-f]{12})", answer.text)[1]
                mark = changes.seen(mark, time.monotonic())
            elif answer.status_code != 204:
                counts["errors"] += 1
            stop.wait(POLL_S)


def _listener(port, cookie, stop, changes, counts):
    mark = time.monotonic()
    timeout = httpx.Timeout(10, read=SECONDS + 30)
    try:
        with httpx.Client(cookies={"sessionid": cookie}, timeout=timeout) as client:
            with client.stream("GET", f"http://127.0.0.1:{port}{STREAM}") as answer:
                counts["requests"] += 1
                for line in answer.iter_lines():
                    if stop.is_set():
                        break
                    if line.startswith("event: live"):
                        counts["events"] += 1
                        mark = changes.seen(mark, time.monotonic())
    except httpx.HTTPError:
        if not stop.is_set():
            counts["errors"] += 1


def _measure(proc, port, client_fn, cookies) -> dict:
    """N dashboards for SECONDS (none for the idle reference), a change every 10 s."""
    changes, stop = Changes(), threading.Event()
    counts = {"requests": 0, "errors": 0, "events": 0}
    threads = [
        threading.Thread(target=client_fn, args=(port, c, stop, changes, counts), daemon=True)
        for c in (cookies if client_fn else [])
    ]
    cpu, xacts = _cpu_seconds(proc.pid), _transactions()
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while time.monotonic() - started < SECONDS:
        time.sleep(CHANGE_EVERY_S)
        with changes.lock:
            changes.moments.append(time.monotonic())
        bump_version()
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    elapsed = time.monotonic() - started
    cpu = _cpu_seconds(proc.pid) - cpu
    xacts = _transactions() - xacts
    delays = sorted(changes.delays)
    return {
        "cpu": cpu,
        "queries_per_min": xacts * 60 / elapsed,
        "elapsed": elapsed,
        "delay_mean": sum(delays) / len(delays) if delays else None,
        "delay_max": delays[-1] if delays else None,
        **counts,
    }


def _sync_sse_check(cookies, log) -> str:
    """The streams under the sync flags: N streams for 10 s; how many got their first event,
    and whether /healthz still answered."""
    proc, port = _serve(PORTAL, SYNC_FLAGS, log)
    first, stop = [], threading.Event()

    def listen(cookie):
        try:
            with httpx.Client(cookies={"sessionid": cookie}, timeout=httpx.Timeout(12)) as c:
                with c.stream("GET", f"http://127.0.0.1:{port}{STREAM}") as answer:
                    for line in answer.iter_lines():
                        if line.startswith("event: live"):
                            first.append(1)
                            break
                    while not stop.is_set():
                        time.sleep(0.2)
        except httpx.HTTPError:
            pass

    threads = [threading.Thread(target=listen, args=(c,), daemon=True) for c in cookies]
    try:
        for thread in threads:
            thread.start()
        time.sleep(10)
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            health = "still answered"
        except httpx.HTTPError:
            health = "did not answer within 5 s"
        stop.set()
    finally:
        _stop(proc)
    slots = int(SYNC_FLAGS[1]) * int(SYNC_FLAGS[3])
    return (
        f"SSE under the sync flags ({' '.join(SYNC_FLAGS)} = {slots} request slots): "
        f"{len(first)} of {len(cookies)} dashboards got their first event in 10 s, and "
        f"/healthz {health} — each stream holds a slot for as long as the dashboard is open"
    )


def _readers(n) -> list[str]:
    units = load_units()
    apply_todays_map()  # the district map ends: 76 counters in force
    province = units.get("H50") or next(iter(units.values()))
    cookies = []
    for i in range(n):
        user = staff(province, "district_office", username=f"bench-live-{i}")
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


def run() -> list[dict]:
    if connection.vendor != "postgresql" or "Redis" not in settings.CACHES["default"]["BACKEND"]:
        raise RuntimeError("bench_live needs PostgreSQL and Redis: run it through `make bench`.")
    cookies = _readers(DASHBOARDS)
    workdir = Path(tempfile.mkdtemp(prefix="bacyen-bench-live."))
    modes = {
        "idle": (PORTAL, SYNC_FLAGS, None),
        "polling": (PORTAL, SYNC_FLAGS, _poller),
        "sse": (PORTAL, GEVENT_FLAGS, _listener),
    }
    with open(workdir / "gunicorn.log", "w") as log:
        for name, (app, flags, client_fn) in modes.items():
            proc, port = _serve(app, flags, log)
            try:
                results[name] = _measure(proc, port, client_fn, cookies)
            finally:
                _stop(proc)
            r = results[name]
            print(
                f"  {name}: {r['cpu']:.2f} CPU s, {r['queries_per_min']:.0f} queries/min, "
                f"{r['requests']} requests, {r['events']} events, {r['errors']} errors",
                flush=True,
            )
        results["sync_sse"] = _sync_sse_check(cookies, log)
    minutes = DASHBOARDS * SECONDS / 60
    poll, sse, idle = results["polling"], results["sse"], results["idle"]

    def delays(r):
        if r["delay_mean"] is None:
            return "no change seen"
        mean, most = r["delay_mean"], r["delay_max"]
        return f"seen {mean:.1f} s after a change on average, {most:.1f} s at most"

    common = (
        f"{DASHBOARDS} dashboards × {SECONDS} s, a data change every {CHANGE_EVERY_S:.0f} s; "
        f"idle server: {idle['cpu']:.2f} CPU s, {idle['queries_per_min']:.0f} queries/min"
    )
    return [
        {
            "name": "live strip: gunicorn CPU, polling 3 s (subject) vs SSE (reference)",
            "unit": "dashboard-minute",
            "n": int(minutes),
            "subject_s": poll["cpu"],
            "reference_s": sse["cpu"],
            "reference": f"SSE, gunicorn {' '.join(GEVENT_FLAGS)}",
            "notes": f"polling: {poll['cpu']:.2f} CPU s, {poll['requests']} requests, "
            f"{poll['errors']} errors, {delays(poll)}; SSE: {sse['cpu']:.2f} CPU s, "
            f"{sse['events']} events, {sse['errors']} errors, {delays(sse)}; {common}",
        },
        {
            "name": "live strip: database queries, polling 3 s (subject) vs SSE (reference)",
            "unit": "dashboard-minute",
            "n": int(minutes),
            # Queries per dashboard-minute, written as "seconds" to fit the table's columns.
            "subject_s": poll["queries_per_min"] * SECONDS / 60,
            "reference_s": sse["queries_per_min"] * SECONDS / 60,
            "reference": "SSE (the same run)",
            "notes": f"**queries per minute: polling {poll['queries_per_min']:.0f}, SSE "
            f"{sse['queries_per_min']:.0f}, idle {idle['queries_per_min']:.0f}** (the times "
            f"in this row are query counts per dashboard-minute); {results['sync_sse']}",
        },
    ]
