#!/usr/bin/env bash
# Starts (or finds running) the PostgreSQL and Redis that the test command owns, on 127.0.0.1,
# in a temporary directory, on free ports; `stop` stops them. State lives in $STATE_DIR.
#   scripts/test-services.sh start   -> prints "export DATABASE_URL=... CELERY_BROKER_URL=..."
#   scripts/test-services.sh stop
set -euo pipefail
STATE_DIR=${TEST_SERVICES_DIR:-/tmp/bacyen-test-services}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
PG_DIR=$STATE_DIR/pg
REDIS_DIR=$STATE_DIR/redis

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() {
  [ -f "$STATE_DIR/pg.port" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1
}

redis_running() {
  [ -f "$STATE_DIR/redis.port" ] && redis-cli -h 127.0.0.1 -p "$(cat "$STATE_DIR/redis.port")" ping 2>/dev/null | grep -q PONG
}

start_pg() {
  if pg_running; then return; fi
  rm -rf "$PG_DIR"
  mkdir -p "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$STATE_DIR"
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  local port; port=$(free_port)
  # Throwaway cluster: durability off makes the suite's many table truncations fast.
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -o \
    "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "$port" > "$STATE_DIR/pg.port"
}

start_redis() {
  if redis_running; then return; fi
  mkdir -p "$REDIS_DIR"
  local port; port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$port" --dir "$REDIS_DIR" --save "" --appendonly no \
    --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
  for _ in $(seq 50); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  echo "$port" > "$STATE_DIR/redis.port"
}

case "${1:-start}" in
  start)
    mkdir -p "$STATE_DIR"
    start_pg
    start_redis
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$(cat "$STATE_DIR/pg.port")/bacyen"
    echo "export CELERY_BROKER_URL=redis://127.0.0.1:$(cat "$STATE_DIR/redis.port")/0"
    echo "export CELERY_RESULT_BACKEND=redis://127.0.0.1:$(cat "$STATE_DIR/redis.port")/1"
    ;;
  stop)
    if pg_running; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null || true; fi
    if [ -f "$REDIS_DIR/redis.pid" ]; then kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true; fi
    rm -f "$STATE_DIR/pg.port" "$STATE_DIR/redis.port"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
