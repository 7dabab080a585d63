#!/usr/bin/env bash
# `make test`: installs everything, starts PostgreSQL and Redis on loopback, checks lint and
# migrations, runs the whole suite (the Celery workers are started by the test sessions
# against their test databases), and stops what it started.
#
# The suite runs as two groups of about equal time at once, one per core (pytest-split, with
# the measured durations in tests/.test_durations; each run writes fresh ones to its logs'
# durations.json), each with its own test database, Redis databases and var directory; then
# the test that restarts PostgreSQL runs alone. The 20 slowest tests of the whole run and one
# total line close the output.
# `scripts/test.sh ARGS` runs one pytest with ARGS instead (e.g. `-k calendar`).
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

if [ $# -gt 0 ]; then
  echo "== pytest $*"; exec .venv/bin/python -m pytest "$@"
fi

redis=${CELERY_BROKER_URL%/*}
database=${DATABASE_URL%/*}
logs=$PORTAL_VAR_DIR/logs
mkdir -p "$logs" "$PORTAL_VAR_DIR"/g0 "$PORTAL_VAR_DIR"/g1 "$PORTAL_VAR_DIR"/g2

# group N: database bacyen_gN (test_bacyen_gN), Redis databases 3N, 3N+1, 3N+2; the split
# reads the committed durations and each group stores its own tests' figures in a copy (the
# path joined by '=': a separate /tmp argument would be taken for the tests' root).
run_group() {
  local n=$1; shift
  cp tests/.test_durations "$logs/durations-g$n.json"
  DATABASE_URL=$database/bacyen_g$n \
  CELERY_BROKER_URL=$redis/$((3 * n)) CELERY_RESULT_BACKEND=$redis/$((3 * n + 1)) \
  CACHE_URL=$redis/$((3 * n + 2)) PORTAL_VAR_DIR=$PORTAL_VAR_DIR/g$n \
    .venv/bin/python -m pytest -p no:cacheprovider --durations=20 \
      --durations-path="$logs/durations-g$n.json" --store-durations "$@" > "$logs/group$n.log" 2>&1
}

echo "== pytest: two groups in parallel (logs in $logs)"
started=$(date +%s)
run_group 1 --splits 2 --group 1 --splitting-algorithm least_duration -m "not restarts_database" & first=$!
run_group 2 --splits 2 --group 2 --splitting-algorithm least_duration -m "not restarts_database" & second=$!
status=0
wait $first || status=$?
wait $second || status=$?
for n in 1 2; do echo "== group $n"; cat "$logs/group$n.log"; done
echo "== pytest: the PostgreSQL restart, alone"
run_group 0 -m restarts_database || status=$?
cat "$logs/group0.log"
echo "== pytest took $(( $(date +%s) - started )) s in all"

.venv/bin/python scripts/test_summary.py "$logs"/group{1,2,0}.log
.venv/bin/python scripts/merge_durations.py tests/.test_durations "$logs"/durations-g{1,2,0}.json \
  "$logs/durations.json" || true
exit $status
