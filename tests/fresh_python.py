"""A script run in a fresh interpreter with the portal's settings: for what the test
process cannot show of itself (its own memory and imports are every other test's too)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_json(script: str, timeout: int = 300) -> dict:
    """The JSON object ``script`` prints on its last line."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bacyen_portal.settings"}
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])
