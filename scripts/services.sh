#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on this machine, starting them when they are installed but stopped.
# Used by scripts/up.sh and .ci/run. With Docker, `docker compose up postgres redis` does the same job.
set -euo pipefail

PGHOST_CHECK=${PGHOST_CHECK:-127.0.0.1}
PGPORT_CHECK=${PGPORT_CHECK:-5432}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "error: $what did not come up" >&2; return 1
}

if ! pg_isready -q -h "$PGHOST_CHECK" -p "$PGPORT_CHECK" 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  else
    echo "error: PostgreSQL is not running on $PGHOST_CHECK:$PGPORT_CHECK and cannot be started from here." >&2
    echo "       Install it (apt-get install postgresql) or run: docker compose up -d postgres" >&2
    exit 1
  fi
  wait_for "PostgreSQL" pg_isready -q -h "$PGHOST_CHECK" -p "$PGPORT_CHECK"
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/watchflixx.log
  else
    echo "error: Redis is not running on 127.0.0.1:6379 and redis-server is not installed." >&2
    echo "       Install it (apt-get install redis-server) or run: docker compose up -d redis" >&2
    exit 1
  fi
  wait_for "Redis" redis-cli -h 127.0.0.1 -p 6379 ping
fi
echo "PostgreSQL and Redis are up"
