#!/usr/bin/env bash
# Installs the addon on a real Odoo 18 (the tree ../shared/odoo/odoo-up.sh extracts), runs its tests, upgrades it
# (-u) and runs them again, then checks the server log for asset or test errors. Says so when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
TREE=${ODOO_TREE:-/work/odoo-ce18}
# A database and a port of this run's own: two runs on one machine never drop each other's database.
DB=${ODOO_ADDON_TEST_DB:-lo_addon_test_$$}
PORT=${ODOO_ADDON_TEST_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
if [ ! -f "$TREE/odoo-bin" ]; then
  echo "addon suite: NOT RUN (no Odoo 18 tree at $TREE: see ../shared/odoo/README.md, or set ODOO_TREE)"
  exit 0
fi
if ! pg_isready -q -h 127.0.0.1; then
  echo "addon suite: NOT RUN (no PostgreSQL on 127.0.0.1:5432 for Odoo: ../shared/odoo/odoo-up.sh starts it)"
  exit 0
fi
mkdir -p artifacts
export PGPASSWORD=${PGPASSWORD:-odoo}
dropdb -h 127.0.0.1 -U odoo --if-exists "$DB"
trap 'dropdb -h 127.0.0.1 -U odoo --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
ODOO=(/usr/bin/python3 "$TREE/odoo-bin" --addons-path="$TREE/addons,$TREE/odoo/addons,$PWD/odoo_addon"
  --db_host=127.0.0.1 --db_user=odoo --db_password=odoo -d "$DB" --http-interface=127.0.0.1 --http-port="$PORT"
  --without-demo=all --stop-after-init --test-enable --test-tags /logistics_observability --log-level=info)

check() {
  local log=$1 what=$2
  if grep -E " (ERROR|CRITICAL) " "$log" | grep -v "Blocking un-mocked" >/dev/null; then
    echo "addon suite: $what FAILED; errors in $log:"; grep -E " (ERROR|CRITICAL) " "$log" | head -20; exit 1
  fi
  grep -E "odoo.tests.result: .*tests" "$log" | tail -1 || true
  grep -qE "odoo.tests.result: 0 failed, 0 error\(s\) of [1-9][0-9]* tests" "$log" || { echo "addon suite: $what: no passing test summary in $log"; exit 1; }
  echo "addon suite: $what passed"
}

rm -f artifacts/addon-install.log artifacts/addon-upgrade.log
echo "== install logistics_observability on a new database $DB and run its tests"
"${ODOO[@]}" -i logistics_observability --logfile=artifacts/addon-install.log || true
check artifacts/addon-install.log "install"
echo "== upgrade (-u) and run its tests again"
"${ODOO[@]}" -u logistics_observability --logfile=artifacts/addon-upgrade.log || true
check artifacts/addon-upgrade.log "upgrade"
