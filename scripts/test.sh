#!/usr/bin/env bash
# The one gate: type-check, lint, then every suite this machine can run, against real servers it starts itself.
# Suites that need what is not here (a real Odoo) are named as not run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type-check"; npx tsc --noEmit
echo "== lint"; npx eslint .

# The servers and tools the suites use, from Debian, when this machine lets us install them.
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
ls /usr/lib/*-linux-gnu/faketime/libfaketime.so.1 >/dev/null 2>&1 || need+=(faketime)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${need[*]} (Debian packages)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/dev/null || echo "!! could not install ${need[*]}"
  fi
  for pkg in "${need[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || echo "!! $pkg is missing: its suite will say NOT RUN (apt-get install $pkg)"
  done
fi

echo "== test PostgreSQL server"
TEST_PG_URL=$(scripts/dev/postgres.sh start)
export TEST_PG_URL
trap 'scripts/dev/postgres.sh stop "$TEST_PG_URL"' EXIT

echo "== unit, integration and contract suites"
# The multi-instance suite runs three backends and 100 demo tenants: alone, after the others, so that its timing
# (takeover within two cycles) measures the backends and not the other suites sharing the machine.
mapfile -t suites < <(ls test/unit/*.test.ts test/integration/*.test.ts | grep -v multi-instance)
node --import tsx --test --test-reporter=spec --test-concurrency=2 "${suites[@]}"
echo "== status page in Chromium (its own backend, no Odoo needed; says NOT RUN without Debian's chromium)"
node --import tsx --test --test-reporter=spec test/browser/status-page.test.ts
echo "== several backends on one store (alone)"
node --import tsx --test --test-reporter=spec test/integration/multi-instance.test.ts

echo "== Odoo addon suite (install, Python tests, upgrade on a real Odoo 18 tree)"
npm run -s test:addon

if [ -n "${ODOO_URL:-}" ]; then
  echo "== real Odoo suites (ODOO_URL=$ODOO_URL): SLIs against SQL ground truth, then the dashboard in a browser"
  npm run -s test:odoo
  npm run -s test:browser
else
  echo "== real Odoo suites: NOT RUN (ODOO_URL unset). Start one with ODOO_EXTRA_ADDONS=\$PWD/odoo_addon ../shared/odoo/odoo-up.sh, install the addon, and run: npm run test:odoo && npm run test:browser"
fi
