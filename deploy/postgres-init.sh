#!/usr/bin/env bash
# A least-privilege role for the backend's PostgreSQL collector, and the backend's own store database. Passwords
# come from the environment (docker compose refuses to start without them): no default password ships.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v monitor_password="$MONITOR_PASSWORD" -v store_password="$STORE_PASSWORD" <<'SQL'
CREATE ROLE logistics_monitor LOGIN PASSWORD :'monitor_password';
GRANT pg_monitor TO logistics_monitor;
CREATE DATABASE logistics_observability;
CREATE ROLE logistics_observability LOGIN PASSWORD :'store_password';
ALTER DATABASE logistics_observability OWNER TO logistics_observability;
-- In the database the collector connects to (the view covers every database of the server); Odoo's database
-- is created later, by Odoo's database manager.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SQL
