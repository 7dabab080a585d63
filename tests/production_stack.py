"""The production shape on this machine, from the files an operator installs (issue #22):
deploy/systemd/*.service run as systemd would run them (their Environment=, the portal's
environment file over it, ExecStartPre then ExecStart, %i and ${VAR} expanded, the checkout in
place of /srv/cong-mot-cua), and nginx from Debian with deploy/render.py's site file behind a
self-signed certificate, all on loopback ports."""

import datetime
import glob
import importlib.util
import ipaddress
import os
import re
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .workers import free_port

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
INSTALLED_AT = "/srv/cong-mot-cua"


def as_postgres(*command, timeout=600) -> str:
    """Run a PostgreSQL or pgBackRest command as the postgres account (initdb and the server
    refuse root); its output, or AssertionError with what it said."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)}\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout


def wait_for_port(port, proc, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}: {Path(log).read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"port {port} not open after {timeout} s: {Path(log).read_text()[-3000:]}")


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "tls.crt", folder / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


class Unit:
    """One systemd unit file, read as systemd reads the parts the portal uses."""

    def __init__(self, name):
        self.path = UNITS / name
        self.environment = {}
        self.exec_start_pre = []
        self.exec_start = ""
        self.exec_start_post = []
        self.nice = 0
        for raw in self.path.read_text().splitlines():
            line = raw.strip()
            if line.startswith("Nice="):
                self.nice = int(line.removeprefix("Nice="))
            elif line.startswith("Environment="):
                for pair in shlex.split(line.removeprefix("Environment=")):
                    key, _, value = pair.partition("=")
                    self.environment[key] = value
            elif line.startswith("ExecStartPre="):
                self.exec_start_pre.append(line.removeprefix("ExecStartPre="))
            elif line.startswith("ExecStart="):
                self.exec_start = line.removeprefix("ExecStart=")
            elif line.startswith("ExecStartPost="):
                self.exec_start_post.append(line.removeprefix("ExecStartPost="))

    def command(self, line, env, instance=""):
        line = line.replace("%%", "\0").replace("%i", instance).replace("%H", socket.gethostname())
        line = line.replace("\0", "%").replace(INSTALLED_AT, str(ROOT))
        line = re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], line)
        return shlex.split(line)


class Stack:
    """Web, workers, beat, counterpart and nginx, started from the deploy files."""

    def __init__(self, folder: Path, portal_env: dict):
        self.folder = folder
        self.portal_env = portal_env
        self.procs = []
        self.https_port, self.http_port = free_port(), free_port()
        self.base = f"https://127.0.0.1:{self.https_port}"

    def unit(self, name, instance="", wait_port=None):
        unit = Unit(name)
        env = {**os.environ, **unit.environment, **self.portal_env}
        log = self.folder / f"{name.replace('@', '-')}{instance}.log"
        for pre in unit.exec_start_pre:
            subprocess.run(
                unit.command(pre, env, instance),
                cwd=ROOT,
                env=env,
                check=True,
                timeout=180,
                capture_output=True,
            )
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                unit.command(unit.exec_start, env, instance),
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # As systemd's Nice=: background work yields the CPU to the web's requests.
                preexec_fn=(lambda: os.nice(unit.nice)) if unit.nice else None,
            )
        self.procs.append(proc)
        if wait_port:
            wait_for_port(wait_port, proc, log)
        return proc, log

    def nginx(self, site: str):
        (self.folder / "nginx-temp").mkdir(exist_ok=True)
        (self.folder / "site.conf").write_text(site)
        temp = self.folder / "nginx-temp"
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(
            f"""{user}worker_processes 1;
daemon off;
pid {self.folder}/nginx.pid;
error_log {self.folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.folder}/site.conf;
}}
"""
        )
        command = ["nginx", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t: {checked.stderr}")
        log = self.folder / "nginx-out.log"
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.procs.append(proc)
        wait_for_port(self.https_port, proc, log)
        return proc

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _render_module():
    spec = importlib.util.spec_from_file_location("render", ROOT / "deploy" / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start(folder: Path, base_env: dict, *, queues=("default",), portal=None, site=None) -> Stack:
    """The whole stack in ``folder`` from the deploy files: gunicorn (web unit, and the live
    dashboards' gevent unit), one worker
    unit per queue in ``queues``, beat, the counterpart and nginx with a self-signed
    certificate. ``base_env`` names the database and Redis (the tests' worker_env(), the
    load benchmark's own); ``portal`` and ``site`` override the portal's environment file
    and the nginx site's values. Stopped on failure; the caller stops it otherwise."""
    cert, key = self_signed(folder)
    web_port, counterpart_port, live_port = free_port(), free_port(), free_port()
    portal_env = {
        **base_env,
        "PORTAL_MODE": "full",
        "BEHIND_PROXY": "true",
        "TRUSTED_PROXIES": "127.0.0.1,::1",
        "PROTECTED_FILES_ACCEL_PREFIX": "/_protected/",
        "WEB_BIND": f"127.0.0.1:{web_port}",
        "LIVE_BIND": f"127.0.0.1:{live_port}",
        "LIVE_STREAM": "true",
        "WEB_WORKERS": "2",
        "WORKER_CONCURRENCY": "1",
        "BEAT_SCHEDULE_FILE": str(folder / "celerybeat-schedule"),
        "READY_QUEUES": ",".join(queues),
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_HEARTBEAT_MAX_AGE_SECONDS": "5",
        "COUNTERPART_PORT": str(counterpart_port),
        "COUNTERPART_DIR": str(folder / "counterpart"),
        **(portal or {}),
    }
    running = Stack(folder, portal_env)
    rendered = _render_module().render(
        {
            **portal_env,
            "TLS_CERT": str(cert),
            "TLS_KEY": str(key),
            "NGINX_LISTEN_ADDRESS": "127.0.0.1",
            "NGINX_HTTPS_PORT": str(running.https_port),
            "NGINX_HTTP_PORT": str(running.http_port),
            **(site or {}),
        }
    )
    try:
        running.web = running.unit("cong-mot-cua-web.service", wait_port=web_port)
        running.unit("cong-mot-cua-live.service", wait_port=live_port)
        running.workers = {
            queue: running.unit("cong-mot-cua-worker@.service", instance=queue) for queue in queues
        }
        running.worker = running.workers[queues[0]]
        running.unit("cong-mot-cua-beat.service")
        running.unit("cong-mot-cua-counterpart.service", wait_port=counterpart_port)
        running.nginx(rendered)
    except BaseException:
        running.stop()
        raise
    return running
