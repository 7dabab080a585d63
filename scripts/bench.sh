#!/usr/bin/env bash
# `make bench`: the benchmarks on PostgreSQL (started like the test command's), figures to
# docs/benchmarks.md. `scripts/bench.sh reception` runs one module.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system.sh bench
scripts/install-python.sh test
services_were_running=false
[ -f "${TEST_SERVICES_DIR:-/tmp/bacyen-test-services}/pg.port" ] && services_were_running=true
eval "$(scripts/test-services.sh start)"
[ "$services_were_running" = false ] && trap 'scripts/test-services.sh stop' EXIT
# A database of its own, made afresh, so the test suite's is never touched.
admin_url=${DATABASE_URL%/*}/postgres
.venv/bin/python - "$admin_url" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute("DROP DATABASE IF EXISTS bacyen_bench")
    conn.execute("CREATE DATABASE bacyen_bench")
PY
export DATABASE_URL=${DATABASE_URL%/*}/bacyen_bench
export PORTAL_MODE=full SECRET_KEY=bench-only ALLOWED_HOSTS=127.0.0.1,localhost,testserver
export PORTAL_VAR_DIR=$(mktemp -d /tmp/bacyen-bench-var.XXXXXX) OMP_THREAD_LIMIT=1
export STATIC_ROOT=${STATIC_ROOT:-/tmp/bacyen-test-static}
scripts/collect-static.sh
.venv/bin/python bench/run.py "$@"
