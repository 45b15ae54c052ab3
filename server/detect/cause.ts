/**
 * The probable cause of a business alert, from what else is out of bounds at the same moment: pure, a ranked
 * list of simple rules an operator would apply by hand. The first rule that matches names the layer and the
 * evidence; when none does, the cause is unknown (null), never guessed.
 */
import type { Layer } from "../sli/catalog.ts";

export interface Signal {
  tenant: string;
  sli: string;
  title: string;
  labels: Record<string, string>;
  layer: Layer;
  value: number | null;
  breaching: boolean;
}

export interface Affected {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
}

const LABEL_SLIS = new Set(["label_failure_ratio", "label_latency_p95_seconds"]);
/** Database signals by how directly they explain slow business transactions. */
const DATABASE_ORDER = [
  "pg_blocking_chain_depth", "pg_lock_oldest_wait_seconds", "pg_lock_waiting_sessions", "pg_idle_in_transaction_oldest_seconds",
  "pg_long_running_sessions", "pg_connections_used_ratio", "pg_deadlocks_per_second", "pg_replication_lag_seconds",
];
const APPLICATION = ["cron_failing_jobs", "cron_stuck_jobs", "queue_job_failed", "cron_max_lag_seconds"];
/** Failures themselves: one failing job does not explain another. */
const FAILURE_GAUGES = new Set([...APPLICATION, "mail_failed"]);

const shown = (s: Signal) => {
  const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(", ");
  return `${s.title}${labels ? ` (${labels})` : ""}`;
};

export function probableCause(alert: Affected, signals: readonly Signal[]): string | null {
  const near = (s: Signal) => s.breaching && (s.tenant === alert.tenant || s.tenant === "global");
  // A carrier whose labels fail while the others print: its integration, not Odoo.
  if (LABEL_SLIS.has(alert.sli) && alert.labels.carrier) {
    const peers = signals.filter((s) => s.tenant === alert.tenant && s.sli === alert.sli && s.labels.carrier !== alert.labels.carrier && s.value !== null);
    if (peers.length && peers.every((s) => !s.breaching)) return `integration: the ${alert.labels.carrier} label service (the other carriers are within their objective)`;
  }
  // Another tenant taking most of a shared database resource.
  const noisy = signals.find((s) => s.sli === "pg_tenant_share" && s.breaching && s.tenant !== alert.tenant);
  if (noisy) return `noisy tenant: ${noisy.tenant} takes ${Math.round((noisy.value ?? 0) * 100)}% of the database's ${noisy.labels.resource ?? "resources"}`;
  const db = DATABASE_ORDER.map((id) => signals.find((s) => s.sli === id && near(s))).find(Boolean);
  if (db) return `database: ${shown(db)}`;
  for (const layer of ["cache", "host", "ingress"] as const) {
    const s = signals.find((x) => x.layer === layer && near(x));
    if (s) return `${layer === "host" ? "infrastructure" : layer}: ${shown(s)}`;
  }
  const app = FAILURE_GAUGES.has(alert.sli) ? undefined : APPLICATION.map((id) => signals.find((s) => s.sli === id && near(s))).find(Boolean);
  if (app) return `application: ${shown(app)}`;
  return null;
}
