/**
 * The status page's two answers, pure: the public one (components, their state and since when, current incidents
 * as component + state + since, 90 days of history) and the detailed one, which adds each component's SLIs with
 * value and objective, the incidents' titles and probable causes, and the journeys' last runs. The public view is
 * built from the detailed facts by leaving out, so nothing is added to it by accident: no values, causes, labels,
 * reasons of missing readings, hosts or logins.
 */
import type { Incident } from "../detect/incidents.ts";
import type { SliStatus } from "../sli/status.ts";
import { componentOf, type ComponentId } from "./components.ts";
import { componentHistory, spansOn, type DayState } from "./history.ts";
import { alertsOn, componentStatuses, overallState, type ComponentState, type Owner, type StateInputs, type StateReason, type StatusIncident } from "./state.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A latest reading with what the detailed page says about it. */
export interface DetailedReading {
  sli: string;
  title: string;
  labels: Record<string, string>;
  owner: Owner;
  unit: "seconds" | "ratio" | "count" | "bytes" | "per_second" | "days";
  better: "lower" | "higher";
  at: number;
  value: number | null;
  missing: string | null;
  objective: number;
  status: SliStatus;
}

export interface JourneyRunFacts {
  journey: string;
  at: number;
  ok: boolean;
  seconds: number;
  failedStep: string | null;
  error: string | null;
  steps: Array<{ step: string; ok: boolean; seconds: number; error?: string }>;
  skipped: string[];
}

/** Everything the store says about one tenant's status, gathered at `now`. */
export interface StatusFacts extends Omit<StateInputs, "readings" | "incidents"> {
  tenant: string;
  title: string;
  now: number;
  readings: readonly DetailedReading[];
  /** The tenant's and the shared infrastructure's incidents of the last 90 days, with who owns each. */
  incidents: ReadonlyArray<{ owner: Owner; incident: Incident }>;
  journeys: readonly JourneyRunFacts[];
}

export interface PublicComponent {
  id: ComponentId;
  name: string;
  state: ComponentState;
  since: string | null;
  reason: StateReason;
  uptime: number | null;
  days: DayState[];
}

export interface PublicIncident {
  components: Array<{ id: ComponentId; name: string }>;
  state: "outage" | "degraded";
  since: string;
}

export interface PublicStatus {
  tenant: string;
  title: string;
  generatedAt: string;
  overall: ComponentState;
  historyDays: number;
  /** The first day of every component's `days` (UTC). */
  firstDay: string;
  components: PublicComponent[];
  incidents: PublicIncident[];
}

export interface DetailedStatus extends Omit<PublicStatus, "components" | "incidents"> {
  components: Array<PublicComponent & { slis: Array<Omit<DetailedReading, "owner" | "at"> & { at: string; shared: boolean }> }>;
  incidents: Array<PublicIncident & {
    id: number;
    /** An incident of the shared infrastructure (the database server), not of the tenant's own. */
    shared: boolean;
    severity: "page" | "ticket";
    title: string;
    openedAt: string;
    probableCause: { subject: string; evidence: string; confidence: number; layer: string } | null;
  }>;
  journeys: Array<Omit<JourneyRunFacts, "at"> & { at: string }>;
}

const asStatusIncident = ({ owner, incident: i }: { owner: Owner; incident: Incident }): StatusIncident => ({
  id: i.id ?? 0, owner, state: i.state, openedAt: i.openedAt, resolvedAt: i.resolvedAt,
  alerts: i.alerts.map((a) => ({ sli: a.sli, labels: a.labels, owner, severity: a.severity, state: a.state, since: a.since })),
});

export function detailedStatus(facts: StatusFacts): DetailedStatus {
  const incidents = facts.incidents.map(asStatusIncident);
  const inputs: StateInputs = { ...facts, readings: facts.readings.map((r) => ({ ...r, breach: r.status === "breach" })), incidents };
  const statuses = componentStatuses(inputs);
  // A component with no reading at all (no PostgreSQL source, no journey configured) has no history either.
  const sampled = new Set(facts.readings.map((r) => componentOf(r.sli, r.labels, r.owner)));
  const histories = statuses.map((c) => componentHistory(spansOn(c.id, incidents, facts.now), sampled.has(c.id) ? facts.firstDataAt : null, facts.now));
  const names = new Map(statuses.map((c) => [c.id, c.name]));
  return {
    tenant: facts.tenant,
    title: facts.title,
    generatedAt: iso(facts.now)!,
    overall: overallState(statuses),
    historyDays: histories[0]!.days.length,
    firstDay: histories[0]!.firstDay,
    components: statuses.map((c, n) => ({
      id: c.id, name: c.name, state: c.state, since: iso(c.since), reason: c.reason, uptime: histories[n]!.uptime, days: histories[n]!.days,
      slis: facts.readings
        .filter((r) => componentOf(r.sli, r.labels, r.owner) === c.id)
        .map(({ owner, at, ...r }) => ({ ...r, at: iso(at)!, shared: owner === "global" })),
    })),
    incidents: facts.incidents.flatMap(({ owner, incident: i }, n) => {
      if (i.state !== "open") return [];
      const touched = statuses.filter((c) => alertsOn(c.id, incidents[n]!).some((a) => a.state === "firing"));
      // The shared infrastructure's incidents are this tenant's only where they touch its components.
      if (owner === "global" && !touched.length) return [];
      const firing = i.alerts.filter((a) => a.state === "firing");
      const cause = i.causes[0];
      return [{
        components: touched.map((c) => ({ id: c.id, name: names.get(c.id)! })),
        // A ticket on a component that is down for another reason (its Odoo unreachable) reads as the outage it is.
        state: i.severity === "page" || touched.some((c) => c.state === "outage") ? "outage" : "degraded",
        since: iso(firing.length ? Math.min(...firing.map((a) => a.since)) : i.openedAt)!,
        id: i.id ?? 0, shared: owner === "global", severity: i.severity, title: i.title, openedAt: iso(i.openedAt)!,
        probableCause: cause ? { subject: cause.subject, evidence: cause.evidence, confidence: cause.confidence, layer: cause.layer } : null,
      }];
    }),
    journeys: facts.journeys.map((j) => ({ ...j, at: iso(j.at)! })),
  };
}

/**
 * The detailed answer for a token bound to the tenant: the shared server's incidents without their titles and causes,
 * which may name other tenants (as /incidents keeps them from such a token).
 */
export function forTenantToken(detailed: DetailedStatus): DetailedStatus {
  return {
    ...detailed,
    incidents: detailed.incidents.map((i) => (i.shared ? { ...i, title: "Incident of the shared database server", probableCause: null } : i)),
  };
}

/** The public answer: the detailed one with everything but components, states, times and history left out. */
export function publicStatus(detailed: DetailedStatus): PublicStatus {
  return {
    tenant: detailed.tenant,
    title: detailed.title,
    generatedAt: detailed.generatedAt,
    overall: detailed.overall,
    historyDays: detailed.historyDays,
    firstDay: detailed.firstDay,
    components: detailed.components.map(({ id, name, state, since, reason, uptime, days }) => ({ id, name, state, since, reason, uptime, days })),
    incidents: detailed.incidents.filter((i) => i.components.length > 0).map(({ components, state, since }) => ({ components, state, since })),
  };
}
