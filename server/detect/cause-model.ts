/**
 * What can affect what in an Odoo logistics stack: a small, explicit model, so that a business alert is never
 * blamed on a layer that cannot reach it. Pure. Each edge says how far the candidate is from the symptom
 * (0: it is the symptom's own service; 1: directly; 2: through one shared resource) and how a person names it.
 */
import type { Layer } from "../sli/catalog.ts";

/** Layers a cause can name: the signal layers plus a carrier's or mail server's integration, a noisy tenant, a change. */
export type CauseLayer = Layer | "application" | "integration" | "tenant" | "change" | "monitoring";

export interface Symptom {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  layer: Layer;
}

export interface Candidate {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  layer: Layer;
}

export interface Topology {
  /** Tenants whose Odoo uses the monitored Redis (queues, sessions, cache); Redis explains nothing of the others. */
  redisTenants: ReadonlySet<string>;
}

export interface Edge {
  distance: 0 | 1 | 2;
  layer: CauseLayer;
}

export const LABEL_SLIS: ReadonlySet<string> = new Set(["label_failure_ratio", "label_latency_p95_seconds"]);
const MAIL = new Set(["mail_failed", "mail_outgoing_backlog", "mail_outgoing_oldest_age_seconds"]);
const CRON = new Set(["cron_failing_jobs", "cron_stuck_jobs", "cron_max_lag_seconds"]);
const QUEUE = new Set(["queue_job_backlog", "queue_job_oldest_wait_seconds", "queue_job_failed"]);
/** Business volumes: a surge of them is a cause of lateness downstream. */
export const WORKLOAD_SLIS: ReadonlySet<string> = new Set(["ready_backlog", "queue_job_backlog", "mail_outgoing_backlog"]);
/** What a growing ready backlog makes late. */
const DOWNSTREAM_OF_BACKLOG = new Set(["late_open_deliveries", "on_time_delivery_ratio", "delivery_avg_delay_seconds", "ready_backlog_oldest_age_seconds",
  "order_confirm_to_first_ship_p50_seconds", "order_confirm_to_first_ship_p95_seconds", "order_confirm_to_full_ship_p50_seconds", "order_confirm_to_full_ship_p95_seconds"]);

/** Contention inside one database: it slows that database's Odoo requests, and nothing in other databases. */
const DB_CONTENTION = new Set([
  "pg_lock_waiting_sessions", "pg_lock_oldest_wait_seconds", "pg_blocking_sessions", "pg_blocking_chain_depth", "pg_long_running_sessions",
  "pg_idle_in_transaction_sessions", "pg_idle_in_transaction_oldest_seconds", "pg_deadlocks_per_second", "pg_statement_time_per_second",
  "pg_temp_bytes_per_second", "pg_cache_hit_ratio",
]);
/** Saturation of the server every database shares. */
const DB_SERVER = new Set(["pg_connections_used_ratio", "pg_replica_replay_delay_seconds"]);
/** Signals that say nothing about the speed of anything else: they are facts of their own area. */
const INERT = new Set(["pg_database_size_bytes", "pg_database_growth_bytes_per_hour", "pg_commits_per_second", "pg_wal_archive_failures",
  "pg_wal_last_archived_age_seconds", "pg_replication_lag_seconds", "redis_keys", "redis_ops_per_second", "redis_expired_keys_per_second",
  "redis_fragmentation_ratio", "redis_last_save_age_seconds", "redis_persistence_ok", "host_container_restarts", "ingress_requests_per_second"]);

/** A signal that never explains anything but itself. */
export const isInert = (sli: string): boolean => INERT.has(sli);

/** Business symptoms that Odoo's own requests produce: what database contention and saturation slow down. */
function servedByOdooRequests(sli: string): boolean {
  return !LABEL_SLIS.has(sli) && sli !== "mail_failed";
}

/**
 * The edge from a deviating candidate signal to a symptom, or null when the candidate cannot affect it. A tenant
 * named "global" is shared infrastructure (the whole PostgreSQL server, the host); "other" is a database no tenant
 * owns. Another tenant's signals reach a symptom only as a noisy neighbour (see noisyNeighbour), never directly.
 */
export function edge(c: Candidate, s: Symptom, topo: Topology): Edge | null {
  if (INERT.has(c.sli) || c.sli === "pg_tenant_share") return null;
  const sameTenant = c.tenant === s.tenant;
  const shared = c.tenant === "global";
  if (s.layer === "business") return businessEdge(c, s, topo, sameTenant, shared);
  return infraEdge(c, s, sameTenant, shared);
}

function businessEdge(c: Candidate, s: Symptom, topo: Topology, sameTenant: boolean, shared: boolean): Edge | null {
  switch (c.layer) {
    case "database":
      if (!servedByOdooRequests(s.sli)) return null;
      if (DB_CONTENTION.has(c.sli) && sameTenant) return { distance: LABEL_SLIS.has(s.sli) || MAIL.has(s.sli) ? 2 : 1, layer: "database" };
      if (DB_SERVER.has(c.sli) && (shared || sameTenant)) return { distance: 1, layer: "database" };
      if (c.sli === "pg_connections" && sameTenant) return { distance: 1, layer: "database" };
      return null;
    case "cache":
      return topo.redisTenants.has(s.tenant) && servedByOdooRequests(s.sli) ? { distance: 1, layer: "cache" } : null;
    case "capacity":
      // Every worker busy: requests queue, so everything served by Odoo's requests slows (journeys first).
      if (c.sli === "odoo_workers_busy_ratio" && sameTenant && servedByOdooRequests(s.sli)) return { distance: 1, layer: "capacity" };
      if (c.sli === "cron_threads_saturation_ratio" && sameTenant && (CRON.has(s.sli) || MAIL.has(s.sli) || QUEUE.has(s.sli)) && !s.sli.endsWith("_failed")) return { distance: 1, layer: "capacity" };
      return null;
    case "host":
      return shared && servedByOdooRequests(s.sli) ? { distance: 2, layer: "host" } : null;
    case "ingress":
      // Users who cannot reach Odoo do not validate deliveries: the flow slows, jobs and mail do not.
      return shared && !CRON.has(s.sli) && !QUEUE.has(s.sli) && !MAIL.has(s.sli) && servedByOdooRequests(s.sli) ? { distance: 2, layer: "ingress" } : null;
    case "business":
      if (!sameTenant) return null;
      if (CRON.has(c.sli) && (MAIL.has(s.sli) || QUEUE.has(s.sli)) && !CRON.has(s.sli)) return { distance: 1, layer: "application" };
      if (c.sli === "mail_failed" && MAIL.has(s.sli) && s.sli !== "mail_failed") return { distance: 1, layer: "integration" };
      if (c.sli === "ready_backlog" && DOWNSTREAM_OF_BACKLOG.has(s.sli)) return { distance: 1, layer: "business" };
      return null;
    default:
      return null;
  }
}

function infraEdge(c: Candidate, s: Symptom, sameTenant: boolean, shared: boolean): Edge | null {
  if (c.layer === "host" && shared && s.layer !== "host" && s.layer !== "tls") return { distance: 2, layer: "host" };
  if (s.layer === "database" && c.layer === "database" && (sameTenant || shared) && c.sli !== s.sli) {
    // Who holds the locks explains who waits; saturation of the server explains slow statements.
    if (DB_CONTENTION.has(c.sli) || DB_SERVER.has(c.sli) || c.sli === "pg_connections") return { distance: 1, layer: "database" };
  }
  if (s.layer === "backup" && c.sli === "host_disk_used_ratio") return { distance: 1, layer: "host" };
  return null;
}

/**
 * A neighbour taking most of a shared resource while that resource is saturated: how one tenant starves the
 * others. Its share alone is not enough (one lock wait elsewhere is "100% of the lock waits" of an idle server).
 */
export function noisyNeighbour(share: Candidate & { labels: Record<string, string> }, s: Symptom, saturated: ReadonlySet<string>): Edge | null {
  if (share.sli !== "pg_tenant_share" || share.tenant === s.tenant || share.tenant === "global") return null;
  if (s.layer === "business" && !servedByOdooRequests(s.sli)) return null;
  if (s.layer !== "business" && s.layer !== "database" && s.layer !== "host") return null;
  const resource = share.labels.resource ?? "";
  return saturated.has(resource) ? { distance: 1, layer: "tenant" } : null;
}

/** Which server-wide signal says a resource whose shares are counted is saturated. */
export const SATURATION_OF: Readonly<Record<string, readonly string[]>> = {
  connections: ["pg_connections_used_ratio"],
  active_sessions: ["pg_connections_used_ratio", "host_cpu_used_ratio", "host_load1_per_cpu"],
  statement_time: ["pg_statement_time_per_second", "host_cpu_used_ratio", "host_load1_per_cpu"],
  lock_waits: ["pg_lock_waiting_sessions"],
  size: ["host_disk_used_ratio"],
};

/** A deploy or module change of the symptom's tenant (or of the whole platform) in the window before it. */
export function changeEdge(deployTenant: string | null, s: Symptom): Edge | null {
  if (deployTenant !== null && deployTenant !== s.tenant) return null;
  return { distance: s.layer === "business" ? 1 : 2, layer: "change" };
}
