#!/usr/bin/env bash
# Creates .venv with Debian's Python 3.11 and installs the project's dependencies; skipped
# when pyproject.toml has not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:-}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${extras:+-$extras}"
[ -f "$stamp" ] && exit 0
[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/pip install --quiet --disable-pip-version-check ".${extras:+[$extras]}"
rm -f .venv/.installed-*
touch "$stamp"
