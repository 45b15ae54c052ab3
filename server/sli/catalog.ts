/**
 * The business SLIs, one entry each: what it measures, its unit, which direction is good, and the default
 * objective a fresh install is judged against (config `targets` overrides it). Labels are the only ones the
 * SLI may carry, so /metrics cardinality is bounded by construction.
 */
/** Label names a signal may carry; values are bounded by config (carriers, channels, routers, endpoints) or by enums. */
export type SignalLabel = "carrier" | "channel" | "failure_type" | "state" | "resource" | "router" | "service" | "endpoint" | "queue" | "db" | "kind" | "device" | "mount" | "source" | "namespace" | "journey" | "step";

export type Layer = "business" | "database" | "cache" | "host" | "ingress" | "tls" | "backup" | "security" | "capacity" | "monitoring";

export interface SliDefinition {
  id: string;
  title: string;
  unit: "seconds" | "ratio" | "count" | "bytes" | "per_second" | "days";
  /** "lower": the value must stay at or under the target; "higher": at or over it. */
  better: "lower" | "higher";
  target: number;
  labels: readonly SignalLabel[];
  /** Where the signal comes from: what a probable-cause analysis blames. */
  layer?: Layer;
  /** Needs an optional Odoo module; without it the SLI is "not available", not an error. */
  requires?: "queue_job" | "logistics_observability";
}

import { INFRA_SIGNALS } from "./infra-catalog.ts";
import { JOURNEY_SIGNALS, SECURITY_SIGNALS } from "./journey-security-catalog.ts";
import { CAPACITY_SIGNALS } from "./capacity-catalog.ts";

const HOUR = 3600;

export const BUSINESS_SLIS = [
  { id: "order_quote_to_confirm_p50_seconds", title: "Quote to confirmation (p50)", unit: "seconds", better: "lower", target: 24 * HOUR, labels: [] },
  { id: "order_quote_to_confirm_p95_seconds", title: "Quote to confirmation (p95)", unit: "seconds", better: "lower", target: 72 * HOUR, labels: [] },
  { id: "order_confirm_to_first_ship_p50_seconds", title: "Confirmation to first shipment (p50)", unit: "seconds", better: "lower", target: 8 * HOUR, labels: [] },
  { id: "order_confirm_to_first_ship_p95_seconds", title: "Confirmation to first shipment (p95)", unit: "seconds", better: "lower", target: 24 * HOUR, labels: [] },
  { id: "order_confirm_to_full_ship_p50_seconds", title: "Confirmation to full shipment (p50)", unit: "seconds", better: "lower", target: 12 * HOUR, labels: [] },
  { id: "order_confirm_to_full_ship_p95_seconds", title: "Confirmation to full shipment (p95)", unit: "seconds", better: "lower", target: 48 * HOUR, labels: [] },
  { id: "on_time_delivery_ratio", title: "On-time deliveries (Odoo On Time %)", unit: "ratio", better: "higher", target: 0.95, labels: [] },
  { id: "delivery_avg_delay_seconds", title: "Average delay (Odoo Avg Delay)", unit: "seconds", better: "lower", target: 4 * HOUR, labels: [] },
  { id: "delivery_avg_lead_time_seconds", title: "Average lead time (Odoo Avg Lead Time)", unit: "seconds", better: "lower", target: 24 * HOUR, labels: [] },
  { id: "late_open_deliveries", title: "Late open deliveries (Odoo Late filter)", unit: "count", better: "lower", target: 10, labels: [] },
  { id: "ready_backlog", title: "Deliveries ready to ship", unit: "count", better: "lower", target: 200, labels: [] },
  { id: "ready_backlog_oldest_age_seconds", title: "Oldest ready delivery, time past its scheduled date", unit: "seconds", better: "lower", target: 24 * HOUR, labels: [] },
  { id: "wave_delay_p95_seconds", title: "Wave completion delay past schedule (p95)", unit: "seconds", better: "lower", target: 2 * HOUR, labels: [] },
  { id: "late_open_waves", title: "Open waves past their scheduled date", unit: "count", better: "lower", target: 0, labels: [] },
  { id: "label_failure_ratio", title: "Carrier label failures", unit: "ratio", better: "lower", target: 0.01, labels: ["carrier"] },
  { id: "label_latency_p95_seconds", title: "Carrier label latency (p95)", unit: "seconds", better: "lower", target: 10, labels: ["carrier"], requires: "logistics_observability" },
  { id: "cron_max_lag_seconds", title: "Largest scheduled-job lag", unit: "seconds", better: "lower", target: 15 * 60, labels: [] },
  { id: "cron_failing_jobs", title: "Scheduled jobs failing", unit: "count", better: "lower", target: 0, labels: [] },
  { id: "cron_stuck_jobs", title: "Scheduled jobs stuck or killed", unit: "count", better: "lower", target: 0, labels: [] },
  { id: "queue_job_backlog", title: "Job queue backlog", unit: "count", better: "lower", target: 500, labels: ["channel"], requires: "queue_job" },
  { id: "queue_job_oldest_wait_seconds", title: "Oldest queued job wait", unit: "seconds", better: "lower", target: 15 * 60, labels: ["channel"], requires: "queue_job" },
  { id: "queue_job_failed", title: "Failed jobs", unit: "count", better: "lower", target: 0, labels: ["channel"], requires: "queue_job" },
  { id: "mail_failed", title: "Outgoing mails failed", unit: "count", better: "lower", target: 0, labels: ["failure_type"] },
  { id: "mail_outgoing_backlog", title: "Outgoing mails waiting", unit: "count", better: "lower", target: 100, labels: [] },
  { id: "mail_outgoing_oldest_age_seconds", title: "Oldest outgoing mail waiting", unit: "seconds", better: "lower", target: 2 * HOUR, labels: [] },
] as const satisfies readonly SliDefinition[];

/** Every signal: business SLIs first, then the infrastructure signals they are correlated with. */
export const SLI_CATALOG: readonly SliDefinition[] = [...BUSINESS_SLIS.map((d): SliDefinition => ({ ...d, layer: "business" })), ...JOURNEY_SIGNALS, ...INFRA_SIGNALS, ...SECURITY_SIGNALS, ...CAPACITY_SIGNALS];

/** Business-layer ids a business collector section may read: the service levels and the capacity signals Odoo gives. */
export type SliId = (typeof BUSINESS_SLIS)[number]["id"] | "cron_due_jobs";

const BY_ID: ReadonlyMap<string, SliDefinition> = new Map(SLI_CATALOG.map((d) => [d.id, d]));

export function sliDefinition(id: string): SliDefinition | undefined {
  return BY_ID.get(id);
}

/** Checks config `targets` against the catalogue, so that a typo in an SLI id fails at start-up. */
export function unknownTargetKeys(targets: Record<string, number>): string[] {
  return Object.keys(targets).filter((k) => !BY_ID.has(k));
}

/**
 * Gauges of something already broken (a failing scheduled job, a failed mail or queue job) alert on their
 * threshold after a for-duration; a budget of "failing cron minutes" would only delay the news. So do all
 * infrastructure signals. The other business SLIs are service levels with an error budget.
 */
const THRESHOLD_BUSINESS: ReadonlySet<string> = new Set(["cron_failing_jobs", "cron_stuck_jobs", "queue_job_failed", "mail_failed", "journey_failed_step", "journey_step_seconds", "cron_due_jobs"]);

export function alertingOf(def: SliDefinition): "slo" | "threshold" {
  return (def.layer ?? "business") === "business" && !THRESHOLD_BUSINESS.has(def.id) ? "slo" : "threshold";
}

/** Business volumes and latencies that follow the day and the week: what the seasonal detector watches. */
export const SEASONAL_SLIS: ReadonlySet<string> = new Set([
  "ready_backlog",
  "late_open_deliveries",
  "order_quote_to_confirm_p50_seconds",
  "order_confirm_to_first_ship_p50_seconds",
  "label_latency_p95_seconds",
  "mail_outgoing_backlog",
]);
