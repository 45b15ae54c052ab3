import type { SliDefinition } from "./catalog.ts";

const HOUR = 3600;
const DAY = 24 * HOUR;
const MiB = 1024 * 1024;

type Def = Omit<SliDefinition, "layer">;
const layer = (l: SliDefinition["layer"], defs: Def[]): SliDefinition[] => defs.map((d) => ({ ...d, layer: l }));

/**
 * Infrastructure signals sampled beside the business SLIs, each with a default objective (a threshold that
 * config `targets` can override), so that every signal has a status and the alerting has one vocabulary.
 */
export const INFRA_SIGNALS: readonly SliDefinition[] = [
  ...layer("database", [
    { id: "pg_connections", title: "PostgreSQL connections by state", unit: "count", better: "lower", target: 200, labels: ["state"] },
    { id: "pg_connections_used_ratio", title: "PostgreSQL connections used of max_connections", unit: "ratio", better: "lower", target: 0.8, labels: [] },
    { id: "pg_lock_waiting_sessions", title: "Sessions waiting on a lock", unit: "count", better: "lower", target: 0, labels: [] },
    { id: "pg_lock_oldest_wait_seconds", title: "Oldest lock wait", unit: "seconds", better: "lower", target: 30, labels: [] },
    { id: "pg_blocking_sessions", title: "Sessions blocking others (heads and links of blocking chains)", unit: "count", better: "lower", target: 0, labels: [] },
    { id: "pg_blocking_chain_depth", title: "Longest blocking chain", unit: "count", better: "lower", target: 1, labels: [] },
    { id: "pg_long_running_sessions", title: "Queries running longer than the threshold", unit: "count", better: "lower", target: 0, labels: [] },
    { id: "pg_idle_in_transaction_sessions", title: "Sessions idle in transaction", unit: "count", better: "lower", target: 0, labels: [] },
    { id: "pg_idle_in_transaction_oldest_seconds", title: "Oldest idle-in-transaction session", unit: "seconds", better: "lower", target: 60, labels: [] },
    { id: "pg_commits_per_second", title: "Commits per second", unit: "per_second", better: "lower", target: 5000, labels: [] },
    { id: "pg_rollbacks_per_second", title: "Rollbacks per second", unit: "per_second", better: "lower", target: 10, labels: [] },
    { id: "pg_deadlocks_per_second", title: "Deadlocks per second", unit: "per_second", better: "lower", target: 0, labels: [] },
    { id: "pg_temp_bytes_per_second", title: "Temporary file bytes written per second", unit: "bytes", better: "lower", target: 10 * MiB, labels: [] },
    { id: "pg_cache_hit_ratio", title: "Buffer cache hit ratio", unit: "ratio", better: "higher", target: 0.95, labels: [] },
    { id: "pg_database_size_bytes", title: "Database size", unit: "bytes", better: "lower", target: 500 * 1024 * MiB, labels: [] },
    { id: "pg_database_growth_bytes_per_hour", title: "Database growth", unit: "bytes", better: "lower", target: 1024 * MiB, labels: [] },
    { id: "pg_replication_lag_seconds", title: "Replication lag (worst replica, seen from the primary)", unit: "seconds", better: "lower", target: 30, labels: [] },
    { id: "pg_replica_replay_delay_seconds", title: "Replay delay on this replica", unit: "seconds", better: "lower", target: 30, labels: [] },
    { id: "pg_wal_archive_failures", title: "WAL archiving failures since the last success", unit: "count", better: "lower", target: 0, labels: [] },
    { id: "pg_wal_last_archived_age_seconds", title: "Age of the last archived WAL segment", unit: "seconds", better: "lower", target: 15 * 60, labels: [] },
    { id: "pg_statement_time_per_second", title: "Statement execution time per second (pg_stat_statements)", unit: "seconds", better: "lower", target: 1, labels: [] },
    { id: "pg_tenant_share", title: "Tenant's share of a database resource", unit: "ratio", better: "lower", target: 0.7, labels: ["resource"] },
  ]),
  ...layer("cache", [
    { id: "redis_memory_used_ratio", title: "Redis memory used of maxmemory", unit: "ratio", better: "lower", target: 0.9, labels: [] },
    { id: "redis_memory_used_bytes", title: "Redis memory used", unit: "bytes", better: "lower", target: 4096 * MiB, labels: [] },
    { id: "redis_fragmentation_ratio", title: "Redis memory fragmentation", unit: "ratio", better: "lower", target: 1.5, labels: [] },
    { id: "redis_evicted_keys_per_second", title: "Keys evicted per second", unit: "per_second", better: "lower", target: 0, labels: [] },
    { id: "redis_expired_keys_per_second", title: "Keys expired per second", unit: "per_second", better: "lower", target: 10_000, labels: [] },
    { id: "redis_persistence_ok", title: "Last RDB save and AOF write succeeded (1) or not (0)", unit: "count", better: "higher", target: 1, labels: ["kind"] },
    { id: "redis_last_save_age_seconds", title: "Time since the last successful RDB save", unit: "seconds", better: "lower", target: 2 * HOUR, labels: [] },
    { id: "redis_connected_clients", title: "Connected clients", unit: "count", better: "lower", target: 5000, labels: [] },
    { id: "redis_blocked_clients", title: "Clients blocked on a blocking call", unit: "count", better: "lower", target: 100, labels: [] },
    { id: "redis_ops_per_second", title: "Commands per second", unit: "per_second", better: "lower", target: 100_000, labels: [] },
    { id: "redis_keys", title: "Keys per database", unit: "count", better: "lower", target: 10_000_000, labels: ["db"] },
    { id: "redis_queue_length", title: "Length of a configured queue key", unit: "count", better: "lower", target: 1000, labels: ["queue"] },
  ]),
  ...layer("host", [
    { id: "host_cpu_used_ratio", title: "CPU used (of the host, or of the container's quota)", unit: "ratio", better: "lower", target: 0.85, labels: [] },
    { id: "host_load1_per_cpu", title: "1-minute load per CPU", unit: "ratio", better: "lower", target: 1.5, labels: [] },
    { id: "host_memory_used_ratio", title: "Memory used (of the host, or of the container's limit)", unit: "ratio", better: "lower", target: 0.9, labels: [] },
    { id: "host_disk_used_ratio", title: "Disk space used", unit: "ratio", better: "lower", target: 0.85, labels: ["mount"] },
    { id: "host_disk_free_bytes", title: "Disk space available", unit: "bytes", better: "higher", target: 0, labels: ["mount"] },
    { id: "host_disk_io_busy_ratio", title: "Share of time the device was busy", unit: "ratio", better: "lower", target: 0.8, labels: ["device"] },
    { id: "host_pressure_ratio", title: "Pressure stall: share of time some tasks stalled (avg10)", unit: "ratio", better: "lower", target: 0.1, labels: ["resource"] },
    { id: "host_container_restarts", title: "Container or pod restarts", unit: "count", better: "lower", target: 0, labels: ["service"] },
    { id: "k8s_container_restarts", title: "Kubernetes container restarts since the last reading", unit: "count", better: "lower", target: 0, labels: ["namespace"] },
    { id: "k8s_oom_kills", title: "Kubernetes containers killed out of memory", unit: "count", better: "lower", target: 0, labels: ["namespace"] },
    { id: "k8s_pending_pods", title: "Kubernetes pods pending too long", unit: "count", better: "lower", target: 0, labels: ["namespace"] },
    { id: "k8s_nodes_under_pressure", title: "Kubernetes nodes under pressure or not ready", unit: "count", better: "lower", target: 0, labels: [] },
  ]),
  ...layer("ingress", [
    { id: "ingress_requests_per_second", title: "Requests per second", unit: "per_second", better: "lower", target: 10_000, labels: ["router", "service"] },
    { id: "ingress_5xx_ratio", title: "Share of 5xx answers", unit: "ratio", better: "lower", target: 0.01, labels: ["router", "service"] },
    { id: "ingress_latency_p50_seconds", title: "Request latency (p50)", unit: "seconds", better: "lower", target: 0.5, labels: ["router", "service"] },
    { id: "ingress_latency_p95_seconds", title: "Request latency (p95)", unit: "seconds", better: "lower", target: 2, labels: ["router", "service"] },
  ]),
  ...layer("tls", [
    { id: "tls_leaf_expiry_days", title: "Days until the leaf certificate expires", unit: "days", better: "higher", target: 14, labels: ["endpoint"] },
    { id: "tls_chain_expiry_days", title: "Days until the earliest certificate of the chain expires", unit: "days", better: "higher", target: 14, labels: ["endpoint"] },
    { id: "tls_chain_valid", title: "Chain verifies against the trust store for the name (1) or not (0)", unit: "count", better: "higher", target: 1, labels: ["endpoint"] },
  ]),
  ...layer("backup", [
    { id: "backup_last_success_age_seconds", title: "Time since the last successful backup", unit: "seconds", better: "lower", target: 26 * HOUR, labels: [] },
    { id: "backup_failing", title: "Last backup attempt failed", unit: "count", better: "lower", target: 0, labels: [] },
    { id: "backup_last_size_bytes", title: "Size of the last successful backup", unit: "bytes", better: "higher", target: 1, labels: [] },
    { id: "restore_test_last_success_age_seconds", title: "Time since the last successful restore test", unit: "seconds", better: "lower", target: 8 * DAY, labels: [] },
    { id: "restore_test_failing", title: "Restore tests whose last run failed", unit: "count", better: "lower", target: 0, labels: [] },
    { id: "restore_test_duration_of_objective_ratio", title: "Last successful restore's duration over its recovery time objective (worst test)", unit: "ratio", better: "lower", target: 1, labels: [] },
    { id: "wal_archive_gap_seconds", title: "Time since the last WAL segment reached the backup store", unit: "seconds", better: "lower", target: 15 * 60, labels: [] },
  ]),
  // The monitor's own health, one series per collector: "cannot sample this tenant" and "a source of ours is
  // failing" are alerts of their own (like Prometheus' up == 0), never only a mute on the alerts they explain.
  ...layer("monitoring", [
    { id: "sampling_up", title: "Sampling works (1) or not (0)", unit: "count", better: "higher", target: 1, labels: ["source"] },
  ]),
];
