#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the test suites and benchmarks (Debian's postgresql package, installed
# if missing), in a data directory of its own on a free loopback port, with pg_stat_statements loaded (TEST_PG_PRELOAD="" for none), so that two
# runs on one machine never share a server. Prints the URL to use; `stop URL` stops only the server it started.
#   scripts/dev/postgres.sh start        -> prints postgres://…:PORT/postgres on stdout
#   scripts/dev/postgres.sh stop URL     -> stops that server and removes its data directory
#   scripts/dev/postgres.sh run CMD...   -> starts one, runs CMD with TEST_PG_URL and BENCH_STORE_URL set, stops it
set -euo pipefail

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

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

dir_of() { echo "${TMPDIR:-/tmp}/lo-test-pg-$1"; }

start() {
  install_postgres
  local B port dir
  B=$(bin)
  for _ in 1 2 3 4 5; do
    port=${TEST_PG_PORT:-$(free_port)}
    dir=$(dir_of "$port")
    if [ -n "${TEST_PG_PORT:-}" ] && as_pg "$B/pg_ctl" -D "$dir" status >/dev/null 2>&1; then break; fi
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$B/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
    # The socket goes in the data directory: two servers never race for one lock file in /tmp.
    if as_pg "$B/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_preload_libraries=${TEST_PG_PRELOAD-pg_stat_statements} -c fsync=off" start >/dev/null; then
      break
    fi
    # Another process took the port between the probe and the start: try another.
    rm -rf "$dir"; port=""
  done
  [ -n "$port" ] || { echo "could not start a test PostgreSQL" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local url=${1:?usage: postgres.sh stop URL} port B dir
  port=$(echo "$url" | sed -E 's#.*:([0-9]+)/.*#\1#')
  dir=$(dir_of "$port")
  B=$(bin)
  [ -n "$B" ] && [ -d "$dir" ] && as_pg "$B/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  run)
    shift
    url=$(start)
    trap 'stop "$url"' EXIT
    TEST_PG_URL=$url BENCH_STORE_URL=${BENCH_STORE_URL:-$url} "$@"
    ;;
  *) echo "usage: postgres.sh start | stop URL | run CMD..." >&2; exit 2 ;;
esac
