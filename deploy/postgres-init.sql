-- A least-privilege role for the backend's PostgreSQL collector, and the backend's own store database.
CREATE ROLE logistics_monitor LOGIN PASSWORD 'change-me-monitor';
GRANT pg_monitor TO logistics_monitor;
CREATE DATABASE logistics_observability;
CREATE ROLE logistics_observability LOGIN PASSWORD 'change-me-store';
ALTER DATABASE logistics_observability OWNER TO logistics_observability;
\c odoo
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
