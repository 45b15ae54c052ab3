#!/usr/bin/env bash
# Re-exports the addon's translation template (i18n/logistics_observability.pot) with Odoo's own exporter, from a
# database where the addon is installed at its current version, and merges it into every language's .po (new terms
# arrive untranslated; translations of terms that still exist are kept).
#   ODOO_DB=logistics bash scripts/i18n.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TREE=${ODOO_TREE:-/work/odoo-ce18}
DIR=odoo_addon/logistics_observability/i18n
/usr/bin/python3 "$TREE/odoo-bin" --addons-path="$TREE/addons,$TREE/odoo/addons,$PWD/odoo_addon" \
  --db_host="${PGHOST:-127.0.0.1}" --db_user="${PGUSER:-odoo}" --db_password="${PGPASSWORD:-odoo}" -d "${ODOO_DB:-logistics}" \
  --i18n-export="$DIR/logistics_observability.pot" --modules=logistics_observability --stop-after-init --log-level=warn
for po in "$DIR"/*.po; do
  msgmerge --quiet --update --no-fuzzy-matching --backup=none --no-wrap "$po" "$DIR/logistics_observability.pot"
  msgfmt --check -o /dev/null "$po"
  echo "$po: $(msgattrib --translated --no-obsolete "$po" | grep -c '^msgid' || true) translated of $(grep -c '^msgid' "$DIR/logistics_observability.pot")"
done
