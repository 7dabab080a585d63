"""A PostgreSQL cluster of its own with WAL archived by pgBackRest, and the portal on it
(embedded mode: tasks in-process): what the restore drill (tests/test_restore_drill.py) and the
1 M backup benchmark (bench/bench_backup.py) back up, destroy and restore."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .production_stack import PG_BIN, ROOT, Unit, as_postgres
from .workers import free_port

STANZA = "portal"


class Drill:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pg"
        self.port = free_port()
        self.config = folder / "pgbackrest.conf"
        self.var = folder / "var"
        self.times = {}

    # --- the cluster ------------------------------------------------------------------------
    def setup(self):
        for part in ("repo", "log", "lock", "spool"):
            (self.folder / part).mkdir()
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", str(self.folder)], check=True)
        self.config.write_text(
            f"""[global]
repo1-path={self.folder}/repo
repo1-retention-full=2
log-path={self.folder}/log
lock-path={self.folder}/lock
spool-path={self.folder}/spool
log-level-console=warn
start-fast=y

[{STANZA}]
pg1-path={self.data}
pg1-port={self.port}
pg1-socket-path={self.folder}
pg1-user=postgres
"""
        )
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        # WAL to pgBackRest's repository as each segment fills (or after a minute): in the
        # cluster's own configuration file, which the backup carries to every restore.
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                "archive_mode = on\nwal_level = replica\narchive_timeout = 60\n"
                f"archive_command = 'pgbackrest --config={self.config} --stanza={STANZA} "
                "archive-push %p'\n"
            )
        self.start()
        as_postgres("pgbackrest", f"--config={self.config}", f"--stanza={STANZA}", "stanza-create")
        as_postgres("psql", *self.psql_args(), "-c", "CREATE DATABASE portal")

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "pg.log"),
            "-w",
            "-t",
            "300",
            "-o",
            options,
            "start",
        )
        deadline = time.monotonic() + 120
        while self.sql("SELECT pg_is_in_recovery()") != "f":  # a restore replays, then promotes
            assert time.monotonic() < deadline, (self.folder / "pg.log").read_text()[-3000:]
            time.sleep(0.5)

    def destroy(self):
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.data)
        shutil.rmtree(self.var / "media", ignore_errors=True)

    def restore(self, *options):
        started = time.monotonic()
        self.data.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        as_postgres(
            "pgbackrest", f"--config={self.config}", f"--stanza={STANZA}", *options, "restore"
        )
        self.start()
        self.manage("restore_media")
        return time.monotonic() - started

    def psql_args(self):
        return ("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-Atq")

    def sql(self, statement, db="postgres"):
        return as_postgres("psql", *self.psql_args(), "-d", db, "-c", statement).strip()

    # --- the portal on it -------------------------------------------------------------------
    def env(self):
        return {
            **os.environ,
            "PORTAL_MODE": "embedded",  # tasks in-process: the archive seals as it goes
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.port}/portal",
            "CELERY_BROKER_URL": "",
            "CELERY_RESULT_BACKEND": "",
            "CACHE_URL": "",
            "REDIS_URL": "",
            "DVCQG_BASE_URL": "",
            "VNEID_ISSUER": "",
            "SECRET_KEY": "restore-drill",
            "PORTAL_VAR_DIR": str(self.var),
            "MEDIA_ROOT": str(self.var / "media"),
            "BACKUP_DIR": str(self.folder / "backup"),
            "PGBACKREST_CONFIG": str(self.config),
            "PGBACKREST_STANZA": STANZA,
            "OMP_THREAD_LIMIT": "1",
        }

    def manage(self, *args, timeout=900):
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)}\n{done.stderr[-4000:]}"
        return done.stdout

    def run_unit(self, name, instance="", timeout=900):
        """A oneshot systemd unit of deploy/systemd run as systemd would: its ExecStart, then
        its ExecStartPost lines, each of which must succeed; what they printed."""
        unit, env, printed = Unit(name), self.env(), []
        for line in [unit.exec_start, *unit.exec_start_post]:
            done = subprocess.run(
                unit.command(line, env, instance),
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            assert done.returncode == 0, f"{name} ({instance}): {line}\n{done.stderr[-4000:]}"
            printed.append(done.stdout)
        return "".join(printed)

    def shell(self, code):
        """What the code printed last (Django's shell announces its auto-imports first)."""
        lines = self.manage("shell", "-c", code).strip().splitlines()
        return lines[-1] if lines else ""

    def state(self):
        return json.loads(self.manage("restore_check", "--json").strip().splitlines()[-1])
