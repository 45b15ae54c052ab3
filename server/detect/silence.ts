/**
 * Silences and inhibition, pure. A silence mutes the notifications of the alerts its matchers select until it
 * ends; an inhibition mutes what a known upstream failure explains, and only that: a failing collector explains
 * the stale readings of its own signals (an unreachable Odoo its tenant's business alerts, a failing PostgreSQL
 * collector the database signals), never the alerts of another source. One missing extension in the monitored
 * database must not silence every business alert of every tenant.
 */
import type { Layer } from "../sli/catalog.ts";

export interface Silence {
  id: number;
  /** Exact matches on tenant, sli and label names; every given matcher must hold. */
  matchers: Record<string, string>;
  creator: string;
  comment: string;
  startsAt: number;
  endsAt: number;
}

export interface AlertIdentity {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  layer: Layer;
}

export function silenceMatches(s: Silence, a: AlertIdentity, now: number): boolean {
  if (now < s.startsAt || now >= s.endsAt) return false;
  return Object.entries(s.matchers).every(([k, v]) => (k === "tenant" ? a.tenant : k === "sli" ? a.sli : a.labels[k]) === v);
}

/** A collector whose last run failed: the upstream facts inhibition reasons from. */
export interface FailingSource {
  tenant: string;
  source: string;
  /** What its last run failed with. */
  error?: string | null;
}

/** Which collector's readings a layer's signals are. */
const SOURCE_OF_LAYER: Readonly<Record<Layer, string>> = {
  business: "odoo_business", database: "postgres", cache: "redis", host: "host", ingress: "traefik", tls: "tls", backup: "backups", security: "odoo_business", capacity: "capacity", monitoring: "",
};

/** Why an alert is inhibited, or null. */
export function inhibitedBy(a: AlertIdentity, failing: readonly FailingSource[]): string | null {
  const source = SOURCE_OF_LAYER[a.layer];
  // The monitor's own failures are what the others are muted for: they are never muted themselves.
  if (a.layer === "monitoring") return null;
  if (a.layer === "business" || a.layer === "security") return failing.some((f) => f.source === source && f.tenant === a.tenant) ? `odoo unreachable for ${a.tenant}` : null;
  return failing.some((f) => f.source === source) ? `${source === "postgres" ? "postgresql" : source} collector failing` : null;
}
