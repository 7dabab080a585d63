"""A script run in a fresh interpreter with the portal's settings: for what the test
process cannot show of itself (its own memory and imports are every other test's too) or
cannot be (set up on another database)."""

import json
import os
import subprocess
import sys

from .conftest import ROOT


def run_json(script: str, timeout: int = 300, env: dict | None = None) -> dict:
    """The JSON object ``script`` prints on its last line; ``env`` added to this process's
    environment (another database, say)."""
    env = {"DJANGO_SETTINGS_MODULE": "bacyen_portal.settings", **os.environ, **(env or {})}
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads(run.stdout.strip().splitlines()[-1])
