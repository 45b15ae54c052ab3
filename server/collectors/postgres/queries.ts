/**
 * The PostgreSQL collector's queries, one per statistics view, beside the code that reads their rows. All of them
 * run under the role's statement_timeout and need only pg_monitor. None reads query texts except TEXTS, which is
 * asked only for statements that entered the top list since the last cycle.
 */

/** Client connections by database and state, and the server's limit. */
export const CONNECTIONS = `
  SELECT datname, coalesce(state, 'unknown') AS state, count(*)::int AS n,
         current_setting('max_connections')::int AS max_connections
  FROM pg_stat_activity
  WHERE backend_type = 'client backend' AND datname IS NOT NULL
  GROUP BY datname, state`;

/**
 * Odoo processes (application_name "odoo-<pid>", Odoo 17+) in a request right now, per database: a worker is busy
 * while its request runs a statement or holds a transaction open. Prefork workers only: a threaded server is one pid.
 */
export const ODOO_WORKERS = `
  SELECT datname, count(DISTINCT application_name) FILTER (WHERE state IN ('active', 'idle in transaction'))::int AS busy
  FROM pg_stat_activity
  WHERE backend_type = 'client backend' AND datname IS NOT NULL AND application_name LIKE 'odoo-%'
  GROUP BY datname`;

/** Sessions waiting on a lock, whom they wait for, and since when (pg_locks.waitstart, PostgreSQL 14+). */
export const LOCK_WAITS = `
  SELECT a.pid, a.datname, pg_blocking_pids(a.pid) AS blocked_by,
         extract(epoch FROM now() - coalesce(l.waitstart, a.state_change))::float8 AS wait_seconds
  FROM pg_stat_activity a
  LEFT JOIN LATERAL (SELECT min(waitstart) AS waitstart FROM pg_locks WHERE pid = a.pid AND NOT granted) l ON true
  WHERE a.wait_event_type = 'Lock'`;

/** Long-running queries and idle-in-transaction sessions ($1 = threshold in seconds). */
export const LONG_SESSIONS = `
  SELECT datname, state,
         extract(epoch FROM now() - query_start)::float8 AS query_seconds,
         extract(epoch FROM now() - state_change)::float8 AS state_seconds
  FROM pg_stat_activity
  WHERE backend_type = 'client backend' AND datname IS NOT NULL AND pid <> pg_backend_pid()
    AND ((state = 'active' AND query_start < now() - make_interval(secs => $1)) OR state LIKE 'idle in transaction%')`;

/** Cumulative counters per database, and its size. */
export const DATABASES = `
  SELECT datname, xact_commit::float8 AS commits, xact_rollback::float8 AS rollbacks, deadlocks::float8 AS deadlocks,
         temp_bytes::float8 AS temp_bytes, blks_hit::float8 AS blks_hit, blks_read::float8 AS blks_read,
         pg_database_size(datid)::float8 AS size_bytes
  FROM pg_stat_database
  WHERE datname IS NOT NULL AND datname NOT IN ('template0', 'template1')`;

/** Replication seen from either side: worst replay lag of the replicas on a primary, replay delay on a replica. */
export const REPLICATION = `
  SELECT pg_is_in_recovery() AS in_recovery,
         (SELECT max(extract(epoch FROM replay_lag))::float8 FROM pg_stat_replication) AS worst_replica_lag,
         (SELECT count(*)::int FROM pg_stat_replication) AS replicas,
         CASE WHEN NOT pg_is_in_recovery() THEN NULL
              WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
              ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS replay_delay`;

export const ARCHIVER = `
  SELECT current_setting('archive_mode') AS archive_mode, archived_count::float8, failed_count::float8,
         extract(epoch FROM now() - last_archived_time)::float8 AS last_archived_seconds,
         (last_failed_time IS NOT NULL AND (last_archived_time IS NULL OR last_failed_time > last_archived_time)) AS failing
  FROM pg_stat_archiver`;

export const HAS_STATEMENTS = `SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_stat_statements'`;

/** Execution time per database, without texts. */
export const STATEMENT_TIME = `
  SELECT d.datname, sum(s.total_exec_time)::float8 / 1000 AS seconds, sum(s.calls)::float8 AS calls
  FROM pg_stat_statements(false) s JOIN pg_database d ON d.oid = s.dbid
  GROUP BY d.datname`;

/** The heaviest statements by total time ($1 = how many), without texts. */
export const TOP_STATEMENTS = `
  SELECT d.datname, s.queryid::text AS queryid, s.calls::float8 AS calls, s.total_exec_time::float8 / 1000 AS seconds,
         s.mean_exec_time::float8 / 1000 AS mean_seconds, s.rows::float8 AS rows
  FROM pg_stat_statements(false) s JOIN pg_database d ON d.oid = s.dbid
  ORDER BY s.total_exec_time DESC LIMIT $1`;

/** Texts of the given statements only ($1 = queryids), truncated. */
export const TEXTS = `
  SELECT queryid::text AS queryid, left(query, 1000) AS query FROM pg_stat_statements(true) WHERE queryid::text = ANY($1)`;
