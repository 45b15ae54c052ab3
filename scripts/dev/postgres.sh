#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the test suites and benchmarks (Debian's postgresql package, installed
# if missing), in a data directory of its own on a free loopback port, with pg_stat_statements loaded (TEST_PG_PRELOAD="" for none), so that two
# runs on one machine never share a server. Prints the URL to use; `stop URL` stops only the server it started.
#   scripts/dev/postgres.sh start        -> prints postgres://…:PORT/postgres on stdout
#   scripts/dev/postgres.sh stop URL     -> stops that server and removes its data directory
#   scripts/dev/postgres.sh run CMD...   -> starts one, runs CMD with TEST_PG_URL and BENCH_STORE_URL set, stops it
#   scripts/dev/postgres.sh halt|resume URL, freeze|thaw URL -> stop it hard and start it again, or SIGSTOP/SIGCONT
#                                           it (the reliability suite's store faults; only servers it started)
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
    echo "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_preload_libraries=${TEST_PG_PRELOAD-pg_stat_statements} -c fsync=off" > "$dir.options"
    if as_pg "$B/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "$(cat "$dir.options")" start >/dev/null; then
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
  rm -rf "$dir" "$dir.options"
}

# Faults for the reliability suite, on a server this script started (its data directory proves it).
fault() {
  local what=$1 url=${2:?usage: postgres.sh halt|resume|freeze|thaw URL} port B dir pid
  port=$(echo "$url" | sed -E 's#.*:([0-9]+)/.*#\1#')
  dir=$(dir_of "$port")
  B=$(bin)
  [ -f "$dir.options" ] || { echo "not a server postgres.sh started: $url" >&2; exit 2; }
  case "$what" in
    halt) as_pg "$B/pg_ctl" -D "$dir" -m immediate stop >/dev/null ;;
    resume) as_pg "$B/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "$(cat "$dir.options")" start >/dev/null ;;
    freeze|thaw)
      pid=$(head -n 1 "$dir/postmaster.pid")
      kill "-$([ "$what" = freeze ] && echo STOP || echo CONT)" "$pid" $(pgrep -P "$pid") ;;
  esac
}

case "${1:-start}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  halt|resume|freeze|thaw) fault "$1" "${2:-}" ;;
  run)
    shift
    url=$(start)
    trap 'stop "$url"' EXIT
    TEST_PG_URL=$url BENCH_STORE_URL=${BENCH_STORE_URL:-$url} "$@"
    ;;
  *) echo "usage: postgres.sh start | stop URL | run CMD... | halt|resume|freeze|thaw URL" >&2; exit 2 ;;
esac
