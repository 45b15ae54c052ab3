#!/usr/bin/env bash
# The one gate: type-check, lint, then every suite this machine can run, against real servers it starts itself.
# Suites that need what is not here (a real Odoo) are named as not run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type-check"; npx tsc --noEmit
echo "== lint"; npx eslint .

for tool in redis-server openssl; do
  command -v "$tool" >/dev/null 2>&1 || echo "!! $tool is missing: its suite will say NOT RUN (apt-get install ${tool/openssl/openssl})"
done

echo "== test PostgreSQL server"
TEST_PG_URL=$(scripts/dev/postgres.sh start)
export TEST_PG_URL
trap 'scripts/dev/postgres.sh stop "$TEST_PG_URL"' EXIT

echo "== unit, integration and contract suites"
node --import tsx --test --test-reporter=spec --test-concurrency=2 test/unit/*.test.ts test/integration/*.test.ts

echo "== Odoo addon suite (install, Python tests, upgrade on a real Odoo 18 tree)"
npm run -s test:addon

if [ -n "${ODOO_URL:-}" ]; then
  echo "== real Odoo suites (ODOO_URL=$ODOO_URL): SLIs against SQL ground truth, then the dashboard in a browser"
  npm run -s test:odoo
  npm run -s test:browser
else
  echo "== real Odoo suites: NOT RUN (ODOO_URL unset). Start one with ODOO_EXTRA_ADDONS=\$PWD/odoo_addon ../shared/odoo/odoo-up.sh, install the addon, and run: npm run test:odoo && npm run test:browser"
fi
