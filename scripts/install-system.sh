#!/usr/bin/env bash
# Installs the Debian packages the portal needs, skipping what is already installed.
#   scripts/install-system.sh run    what `make run` needs
#   scripts/install-system.sh test   plus PostgreSQL, Redis, Tesseract (vie), Chromium, fonts
#   scripts/install-system.sh bench  what `make bench` needs: the test packages and wrk
set -euo pipefail
mode=${1:-run}

run_pkgs=(python3 python3-venv python3-dev build-essential
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd poppler-utils libmagic1)
test_pkgs=(postgresql postgresql-contrib redis-server chromium nginx pgbackrest)

pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] || [ "$mode" = bench ] && pkgs+=("${test_pkgs[@]}")
[ "$mode" = bench ] && pkgs+=(wrk)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Cài gói hệ thống còn thiếu / installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts the packaged services; the test command runs its own on free ports instead.
if [ "$mode" != run ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now redis-server postgresql nginx >/dev/null 2>&1 || true
fi
