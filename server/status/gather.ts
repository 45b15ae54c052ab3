/**
 * Reads what a tenant's status page is made of from the store, and only from it: the page answers while the
 * tenant's Odoo is down, as fast as the store does.
 */
import type { Incident } from "../detect/incidents.ts";
import { sliDefinition, type SliDefinition } from "../sli/catalog.ts";
import { statusOf } from "../sli/status.ts";
import type { Store } from "../store/store.ts";
import { componentOf, ODOO_SOURCE } from "./components.ts";
import { HISTORY_DAYS } from "./history.ts";
import type { Owner, StatusAlert } from "./state.ts";
import type { DetailedReading, JourneyRunFacts, StatusFacts } from "./view.ts";

const DAY_MS = 86_400_000;
const GLOBAL = "global";

export interface GatherDeps {
  store: Store;
  /** The objective in force for a tenant's SLI (its Odoo's settings, the config, the catalogue). */
  objective: (tenant: string, def: SliDefinition) => number;
}

const ownerOf = (tenant: string): Owner => (tenant === GLOBAL ? "global" : "tenant");

export async function gatherStatus(deps: GatherDeps, tenant: string, title: string, now: number): Promise<StatusFacts> {
  const { store } = deps;
  const [own, shared, incidents, liveAlerts, firstDataAt] = await Promise.all([
    store.latest(tenant),
    store.latest(GLOBAL),
    store.incidents.overlapping([tenant, GLOBAL], new Date(now - HISTORY_DAYS * DAY_MS), new Date(now)),
    liveAlertsOf(store, tenant),
    store.status.firstDataAt(tenant),
  ]);
  const readings = [...own, ...shared].flatMap((s): DetailedReading[] => {
    const def = sliDefinition(s.sli);
    const owner = ownerOf(s.tenant);
    if (!def || componentOf(s.sli, s.labels, owner) === undefined) return [];
    const objective = deps.objective(s.tenant, def);
    return [{ sli: s.sli, title: def.title, labels: s.labels, owner, unit: def.unit, better: def.better, at: s.at.getTime(), value: s.value, missing: s.missing, objective, status: statusOf(s.value, def, objective) }];
  });
  const up = own.find((s) => s.sli === "sampling_up" && s.labels.source === ODOO_SOURCE);
  const odooDownSince = up?.value === 0 ? await store.status.failingSince(tenant, ODOO_SOURCE) : null;
  return {
    tenant,
    title,
    now,
    readings,
    incidents: incidents.map((incident: Incident) => ({ owner: ownerOf(incident.tenant), incident })),
    liveAlerts,
    odooDownSince,
    firstDataAt,
    journeys: await lastJourneyRuns(store, tenant, own.filter((s) => s.sli === "journey_success").map((s) => s.labels.journey ?? ""), now),
  };
}

/** Pending and firing alert episodes of the tenant and of the shared infrastructure. */
async function liveAlertsOf(store: Store, tenant: string): Promise<StatusAlert[]> {
  const lists = await Promise.all([tenant, GLOBAL].flatMap((t) => (["pending", "firing"] as const).map((state) => store.alerts.list({ tenant: t, state }))));
  return lists.flat().map((a) => ({ sli: a.sli, labels: a.labels, owner: ownerOf(a.tenant), severity: a.severity, state: a.state, since: a.since }));
}

/** The last run of each journey the tenant's readings name. */
async function lastJourneyRuns(store: Store, tenant: string, journeys: readonly string[], now: number): Promise<JourneyRunFacts[]> {
  const runs = await Promise.all([...new Set(journeys)].filter(Boolean).map((journey) => store.journeys.list({ tenant, journey, from: new Date(0), to: new Date(now), limit: 1 })));
  return runs.flatMap(([run]) => (run ? [{ journey: run.journey, at: run.at.getTime(), ok: run.ok, seconds: run.seconds, failedStep: run.failedStep, error: run.error, steps: run.steps, skipped: run.skipped }] : []));
}
