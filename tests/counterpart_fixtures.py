"""The local counterpart of the national platforms (counterpart/, a separate process) for the
tests: one per test session, on a port chosen when the session starts, so that the portal's
settings and every worker process started later know its address. A test may stop it (its port
closed) and start it again on the same port and data directory: what it recorded stays."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from .workers import free_port

ROOT = Path(__file__).resolve().parent.parent
CONTROL_TOKEN = "counterpart-control-tests"
PUSH_SECRET = "counterpart-push-secret-tests"
PAYMENT_SECRET = "counterpart-payment-secret-tests"
POST_CALLBACK_SECRET = "counterpart-post-secret-tests"


class Counterpart:
    """The counterpart process: its address, start/stop, and its control endpoints."""

    def __init__(self, port: int, data_dir: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.data_dir = data_dir
        self.proc = None
        self.log_path = data_dir / "counterpart.log"

    def env(self):
        return dict(
            os.environ,
            COUNTERPART_DIR=str(self.data_dir),
            COUNTERPART_CONTROL_TOKEN=CONTROL_TOKEN,
            COUNTERPART_PUSH_SECRET=PUSH_SECRET,
            COUNTERPART_DVCQG_USERNAME=settings.DVCQG_USERNAME,
            COUNTERPART_DVCQG_PASSWORD=settings.DVCQG_PASSWORD,
            COUNTERPART_VNEID_CLIENT_ID=settings.VNEID_CLIENT_ID,
            COUNTERPART_VNEID_CLIENT_SECRET=settings.VNEID_CLIENT_SECRET,
            COUNTERPART_POPULATION_TOKEN=settings.POPULATION_TOKEN,
            COUNTERPART_PAYMENT_SECRET=PAYMENT_SECRET,
            COUNTERPART_PAYMENT_PARTNER_CODE=settings.PAYMENT_PARTNER_CODE,
            COUNTERPART_POST_TOKEN=settings.POST_TOKEN,
            COUNTERPART_POST_CALLBACK_SECRET=POST_CALLBACK_SECRET,
        )

    def start(self, timeout=60):
        if self.proc is not None and self.proc.poll() is None:
            return
        log = open(self.log_path, "a")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "counterpart", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"counterpart exited with {self.proc.returncode}: {self.log_path}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"counterpart did not open port {self.port} within {timeout} s")

    def stop(self):
        """Close its port: terminate the process (its data stays in data_dir)."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    # --- control endpoints (counterpart/dvcqg) -------------------------------------------
    def control(self, method, path, *, app="dvcqg", **kwargs):
        """A control endpoint of the counterpart app ``app`` (dvcqg, payment, ...)."""
        response = httpx.request(
            method,
            f"{self.url}/{app}/control/{path}",
            headers={"Authorization": f"Bearer {CONTROL_TOKEN}"},
            timeout=30,
            **kwargs,
        )
        response.raise_for_status()
        return response.json()

    def population_control(self, method, path, **kwargs):
        """The counterpart population database's control endpoints (faults, look-ups, reset)."""
        return self.control(method, path, app="population", **kwargs)

    def payment_control(self, method, path, **kwargs):
        """The counterpart payment platform's control endpoints (counterpart/payment)."""
        return self.control(method, path, app="payment", **kwargs)

    def post_control(self, method, path, **kwargs):
        """The postal counterpart's control endpoints (counterpart/post/control.py)."""
        return self.control(method, path, app="post", **kwargs)


COUNTERPART = Counterpart(free_port(), Path(tempfile.mkdtemp(prefix="bacyen-counterpart-")))


def pytest_configure(config):
    """The portal (this process and every worker started later, which copy os.environ) talks
    to the session's counterpart."""
    values = {
        "DVCQG_BASE_URL": f"{COUNTERPART.url}/dvcqg/api",
        "DVCQG_PUSH_SECRET": PUSH_SECRET,
        "VNEID_ISSUER": f"{COUNTERPART.url}/vneid/o",
        # Short waits, so that an outage and its recovery fit in a test.
        "DVCQG_TIMEOUT_SECONDS": "3",
        "DVCQG_BREAKER_RESET_SECONDS": "2",
        "NATIONAL_SYNC_BACKOFF_CAP_SECONDS": "4",
        "NATIONAL_SYNC_LEASE_SECONDS": "8",
        "POPULATION_BASE_URL": f"{COUNTERPART.url}/population/api",
        "POPULATION_TIMEOUT_SECONDS": "2",
        "POPULATION_BREAKER_RESET_SECONDS": "2",
        "PAYMENT_BASE_URL": f"{COUNTERPART.url}/payment/api",
        "PAYMENT_SECRET": PAYMENT_SECRET,
        "PAYMENT_TIMEOUT_SECONDS": "3",
        "PAYMENT_BREAKER_RESET_SECONDS": "2",
        # The postal counterpart (counterpart/post), with the same short waits.
        "POST_BASE_URL": f"{COUNTERPART.url}/post/api",
        "POST_CALLBACK_SECRET": POST_CALLBACK_SECRET,
        "POST_TIMEOUT_SECONDS": "3",
        "POST_BREAKER_RESET_SECONDS": "2",
        "POST_BACKOFF_CAP_SECONDS": "4",
    }
    for name, value in values.items():
        os.environ[name] = value
        current = getattr(settings, name, "")
        setattr(settings, name, type(current)(value) if isinstance(current, int | float) else value)


@pytest.fixture(scope="session")
def counterpart():
    """The running counterpart (started on first use, stopped at the end of the session)."""
    COUNTERPART.start()
    yield COUNTERPART
    COUNTERPART.stop()
