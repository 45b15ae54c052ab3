/**
 * Silences and inhibition, pure. A silence mutes the notifications of the alerts its matchers select until it
 * ends; an inhibition mutes what a known upstream failure explains (an unreachable Odoo explains its tenant's
 * business alerts; a PostgreSQL outage explains the business and database alerts of every tenant).
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
}

/** Why an alert is inhibited, or null. */
export function inhibitedBy(a: AlertIdentity, failing: readonly FailingSource[]): string | null {
  if (failing.some((f) => f.source === "postgres") && (a.layer === "business" || a.layer === "database")) return "postgresql collector failing";
  if (a.layer === "business" && failing.some((f) => f.source === "odoo_business" && f.tenant === a.tenant)) return `odoo unreachable for ${a.tenant}`;
  return null;
}
