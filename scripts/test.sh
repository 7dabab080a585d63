#!/usr/bin/env bash
# `make test`: installs everything, starts PostgreSQL and Redis on loopback, checks lint and
# migrations, runs the whole suite (the Celery worker is started by the test session against
# the test database), and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system.sh test
scripts/install-python.sh test

services_were_running=false
[ -f /tmp/bacyen-test-services/pg.port ] && [ -f /tmp/bacyen-test-services/redis.port ] && services_were_running=true
eval "$(scripts/test-services.sh start)"
if [ "${KEEP_TEST_SERVICES:-}" != 1 ] && [ "$services_were_running" = false ]; then
  trap 'scripts/test-services.sh stop' EXIT
fi

export PORTAL_MODE=full SECRET_KEY=test-only-not-secret ALLOWED_HOSTS=127.0.0.1,localhost,testserver
export PORTAL_VAR_DIR=$(mktemp -d /tmp/bacyen-test-var.XXXXXX)
export OMP_THREAD_LIMIT=1
export STATIC_ROOT=${STATIC_ROOT:-/tmp/bacyen-test-static}
scripts/collect-static.sh

echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== makemigrations --check"; .venv/bin/python manage.py makemigrations --check --dry-run
echo "== pytest"; .venv/bin/python -m pytest "$@"
