#!/usr/bin/env bash
# Creates .venv with Debian's Python 3.11 and installs the project's dependencies
# (`install-python.sh test` adds the test tools). Skipped when pyproject.toml has not changed
# since the last install; a test install also serves the run command.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:-}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
hash=$(sha256sum pyproject.toml | cut -c1-16)
[ -f ".venv/.installed-test-$hash" ] && exit 0
[ -z "$extras" ] && [ -f ".venv/.installed-$hash" ] && exit 0
[ -x .venv/bin/python ] || "$py" -m venv .venv
echo "Cài thư viện Python / installing Python packages${extras:+ ($extras)}…"
.venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/pip install --quiet --disable-pip-version-check ".${extras:+[$extras]}"
rm -rf .venv/.installed-* build ./*.egg-info
touch ".venv/.installed-${extras:+$extras-}$hash"
