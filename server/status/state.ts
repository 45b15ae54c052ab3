/**
 * The state of each status-page component now, and since when: pure, from the latest readings, the incidents and
 * the live alert episodes. An outage is what stops the work (a page, Odoo unreachable, a user journey failing); a
 * degradation what slows it (a ticket, an objective missed); "no data" is said, never shown as operational.
 */
import { labelsKey } from "../sli/labels.ts";
import { COMPONENTS, componentOf, ODOO_SOURCE, type ComponentDefinition, type ComponentId } from "./components.ts";

export type ComponentState = "operational" | "degraded" | "outage" | "no_data";

/** Why a component is in its state: the page says it in words. */
export type StateReason = "odoo_unreachable" | "incident" | "journey_failed" | "objective_missed" | null;

/** Whose a record is: the tenant's own, or the shared infrastructure's (readings and incidents of "global"). */
export type Owner = "tenant" | "global";

/** A latest reading, judged against its objective. */
export interface StatusReading {
  sli: string;
  labels: Record<string, string>;
  owner: Owner;
  at: number;
  value: number | null;
  breach: boolean;
}

/** An alert episode: alone (live ones, for when a breach began) or as one of an incident's alerts. */
export interface StatusAlert {
  sli: string;
  labels: Record<string, string>;
  owner: Owner;
  severity: "page" | "ticket";
  state: "pending" | "firing" | "resolved";
  since: number;
}

export interface StatusIncident {
  id: number;
  owner: Owner;
  state: "open" | "resolved";
  openedAt: number;
  resolvedAt: number | null;
  alerts: StatusAlert[];
}

export interface StateInputs {
  readings: readonly StatusReading[];
  incidents: readonly StatusIncident[];
  /** Pending and firing alert episodes: when a missed objective began. */
  liveAlerts: readonly StatusAlert[];
  /** When the failing run of the tenant's Odoo sampling began, as the store knows it (null: unknown). */
  odooDownSince: number | null;
  /** The tenant's first reading the store still holds. */
  firstDataAt: number | null;
}

export interface ComponentStatus extends ComponentDefinition {
  state: ComponentState;
  since: number | null;
  reason: StateReason;
}

const earliest = (times: readonly number[]): number | null => (times.length ? Math.min(...times) : null);
const sameSeries = (a: { sli: string; labels: Record<string, string>; owner: Owner }, b: typeof a) => a.sli === b.sli && a.owner === b.owner && labelsKey(a.labels) === labelsKey(b.labels);

/** The alerts of an incident on one component, with the incident's owner. */
export function alertsOn(component: ComponentId, incident: StatusIncident): StatusAlert[] {
  return incident.alerts.filter((a) => componentOf(a.sli, a.labels, incident.owner) === component);
}

/** Whether the tenant's Odoo answered its last sampling, and since when it has not. */
export function odooDown(inputs: Pick<StateInputs, "readings" | "odooDownSince">): { since: number } | undefined {
  const up = inputs.readings.find((r) => r.owner === "tenant" && r.sli === "sampling_up" && r.labels.source === ODOO_SOURCE);
  if (!up || up.value !== 0) return undefined;
  return { since: inputs.odooDownSince ?? up.at };
}

/** One component's state: the first rule that holds, from the worst down. */
export function componentStatus(def: ComponentDefinition, inputs: StateInputs): ComponentStatus {
  const readings = inputs.readings.filter((r) => componentOf(r.sli, r.labels, r.owner) === def.id);
  const firing = inputs.incidents.filter((i) => i.state === "open").flatMap((i) => alertsOn(def.id, i)).filter((a) => a.state === "firing");
  const at = (state: ComponentState, since: number | null, reason: StateReason): ComponentStatus => ({ ...def, state, since, reason });

  const down = def.fromOdoo && readings.length > 0 ? odooDown(inputs) : undefined;
  if (down) return at("outage", down.since, "odoo_unreachable");
  const pages = firing.filter((a) => a.severity === "page");
  if (pages.length) return at("outage", earliest(pages.map((a) => a.since)), "incident");
  const failedJourneys = readings.filter((r) => r.sli === "journey_success" && r.value === 0);
  if (failedJourneys.length) return at("outage", liveSince(failedJourneys, inputs.liveAlerts), "journey_failed");
  if (firing.length) return at("degraded", earliest(firing.map((a) => a.since)), "incident");
  const breaching = readings.filter((r) => r.value !== null && r.breach);
  if (breaching.length) return at("degraded", liveSince(breaching, inputs.liveAlerts), "objective_missed");
  if (!readings.some((r) => r.value !== null)) return at("no_data", null, null);
  return at("operational", operationalSince(def, inputs), null);
}

/** When the live alert episodes of these readings began; null when none is live (not judged yet). */
function liveSince(readings: readonly StatusReading[], alerts: readonly StatusAlert[]): number | null {
  return earliest(alerts.filter((a) => a.state !== "resolved" && readings.some((r) => sameSeries(a, r))).map((a) => a.since));
}

/** Since the last incident on it (or, read from Odoo, on Odoo's reachability) ended, else since the first reading. */
function operationalSince(def: ComponentDefinition, inputs: StateInputs): number | null {
  const on = (i: StatusIncident) => alertsOn(def.id, i).length > 0 || (def.fromOdoo && alertsOn("odoo", i).length > 0);
  const ends = inputs.incidents.filter((i) => i.resolvedAt !== null && on(i)).map((i) => i.resolvedAt!);
  return ends.length ? Math.max(...ends) : inputs.firstDataAt;
}

export function componentStatuses(inputs: StateInputs): ComponentStatus[] {
  return COMPONENTS.map((def) => componentStatus(def, inputs));
}

const RANK: Record<ComponentState, number> = { no_data: 0, operational: 1, degraded: 2, outage: 3 };

/** The page's headline: the worst component's state ("no data" only when nothing has any). */
export function overallState(components: readonly ComponentStatus[]): ComponentState {
  return components.reduce<ComponentState>((worst, c) => (RANK[c.state] > RANK[worst] ? c.state : worst), "no_data");
}
