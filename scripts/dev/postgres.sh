#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the test suites (Debian's postgresql package, installed if missing),
# in its own data directory on a loopback port, with pg_stat_statements loaded. Prints the URL to use.
#   scripts/dev/postgres.sh start   -> prints postgres://… on stdout
#   scripts/dev/postgres.sh stop
set -euo pipefail
PORT=${TEST_PG_PORT:-55432}
DIR=${TEST_PG_DIR:-/tmp/logistics-observability-test-pg}

bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && echo "$d"
}

install_postgres() {
  [ -n "$(bin)" ] && return 0
  if [ "$(id -u)" != 0 ]; then echo "PostgreSQL server binaries are missing: apt-get install postgresql (as root)" >&2; exit 2; fi
  echo "installing Debian's postgresql package" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
}

# PostgreSQL refuses to run as root: run its tools as the postgres user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    install_postgres
    B=$(bin)
    if ! as_pg "$B/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      rm -rf "$DIR"; mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg "$B/initdb" -D "$DIR" -U postgres --auth=trust >/dev/null
      as_pg "$B/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c fsync=off" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    B=$(bin)
    [ -n "$B" ] && as_pg "$B/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
