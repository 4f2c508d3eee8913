#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on this machine, starting them when they are installed but stopped.
# Used by scripts/up.sh and .ci/run. With Docker, `docker compose up postgres redis` does the same job.
# --or-embedded (scripts/up.sh): when one is neither running nor installed, say so on one line and exit 3, so
# that the caller runs embedded mode (`pnpm start --embedded`: PGlite and an in-process bus, one machine only).
set -euo pipefail

OR_EMBEDDED=false
[ "${1:-}" = "--or-embedded" ] && OR_EMBEDDED=true
MISSING=()

PGHOST_CHECK=${PGHOST_CHECK:-127.0.0.1}
PGPORT_CHECK=${PGPORT_CHECK:-5432}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "error: $what did not come up" >&2; return 1
}

# Without the client tools (a server in a container, say), a port that accepts connections counts as up.
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

if ! pg_isready -q -h "$PGHOST_CHECK" -p "$PGPORT_CHECK" 2>/dev/null \
  && ! { ! command -v pg_isready >/dev/null 2>&1 && answers "$PGHOST_CHECK" "$PGPORT_CHECK"; }; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  elif $OR_EMBEDDED; then
    MISSING+=(PostgreSQL)
  else
    echo "error: PostgreSQL is not running on $PGHOST_CHECK:$PGPORT_CHECK and cannot be started from here." >&2
    echo "       Install it (apt-get install postgresql) or run: docker compose up -d postgres" >&2
    exit 1
  fi
  if [ ${#MISSING[@]} -eq 0 ]; then wait_for "PostgreSQL" pg_isready -q -h "$PGHOST_CHECK" -p "$PGPORT_CHECK"; fi
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
  && ! { ! command -v redis-cli >/dev/null 2>&1 && answers 127.0.0.1 6379; }; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/watchflixx.log
    wait_for "Redis" redis-cli -h 127.0.0.1 -p 6379 ping
  elif $OR_EMBEDDED; then
    MISSING+=(Redis)
  else
    echo "error: Redis is not running on 127.0.0.1:6379 and redis-server is not installed." >&2
    echo "       Install it (apt-get install redis-server) or run: docker compose up -d redis" >&2
    exit 1
  fi
fi
if [ ${#MISSING[@]} -gt 0 ]; then
  printf -v what '%s and ' "${MISSING[@]}"
  echo "${what% and } not installed here: falling back to embedded mode (PGlite and an in-process bus in one process), for this one machine only"
  exit 3
fi
echo "PostgreSQL and Redis are up"
