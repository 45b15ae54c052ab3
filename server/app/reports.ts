import { CHANGE_WINDOW_MS } from "../detect/rank-causes.ts";
import { sliDefinition } from "../sli/catalog.ts";
import type { Objectives } from "../sli/objectives.ts";
import type { CapacityReport } from "../capacity/report.ts";
import type { Store } from "../store/store.ts";
import { CUSTOMER_VISIBLE_SLIS, firstCustomerBreach } from "../report/customer-symptom.ts";
import { weeklyDigest, type Digest } from "../report/digest.ts";
import { isReportable } from "../report/incident-figures.ts";
import { scorecard, type Scorecard } from "../report/scorecard.ts";
import { previousWeek, type Week } from "../report/week.ts";

const DAY_MS = 86_400_000;
/** How far before an incident's first abnormal signal its customer-facing readings are read: the state before it. */
const BEFORE_MS = 15 * 60_000;
/** At most this many incidents are judged per scorecard: a tenant with more has a bigger problem than a slow page. */
const MAX_INCIDENTS = 500;

export interface ReportContext {
  store: Store;
  objectives: Objectives;
  /** The capacity report (its monthly cost estimates), when the backend computes one. */
  capacity?: (now: Date) => Promise<CapacityReport>;
}

/** Reads what a week's digest needs from the store and composes it. */
export async function loadDigest(ctx: ReportContext, tenant: string, week: Week, timezone: string, now: number): Promise<Digest> {
  const previous = previousWeek(week, timezone);
  const { reports, incidents } = ctx.store;
  const [thisLedger, lastLedger, thisIncidents, lastIncidents] = await Promise.all([
    reports.ledgerTallies(tenant, new Date(week.from), new Date(week.to)),
    reports.ledgerTallies(tenant, new Date(previous.from), new Date(previous.to)),
    incidents.openedBetween(tenant, new Date(week.from), new Date(week.to)),
    incidents.openedBetween(tenant, new Date(previous.from), new Date(previous.to)),
  ]);
  return weeklyDigest({
    tenant,
    timezone,
    week,
    previous,
    now,
    ledger: { thisWeek: thisLedger, lastWeek: lastLedger },
    sloTarget: (sli) => ctx.objectives.slo(tenant, sliDefinition(sli)!).target,
    incidents: { thisWeek: thisIncidents.filter(isReportable), lastWeek: lastIncidents.filter(isReportable) },
  });
}

/** Reads what the scorecard of the last `days` days needs and answers the five questions. */
export async function loadScorecard(ctx: ReportContext, tenant: string, days: number, now: number): Promise<Scorecard> {
  const from = now - days * DAY_MS;
  const { reports, incidents, events } = ctx.store;
  const opened = (await incidents.openedBetween(tenant, new Date(from), new Date(now), MAX_INCIDENTS)).filter(isReportable);
  const objectiveOf = (sli: string) => {
    const def = sliDefinition(sli);
    return def && { objective: ctx.objectives.objective(tenant, def), better: def.better };
  };
  const judged = [];
  for (const incident of opened) {
    const end = incident.resolvedAt ?? now;
    const readings = await reports.readings(tenant, [...CUSTOMER_VISIBLE_SLIS], new Date(incident.firstAbnormalAt - BEFORE_MS), new Date(end));
    judged.push({ incident, customerSymptom: firstCustomerBreach(readings, objectiveOf, incident.firstAbnormalAt, end) });
  }
  const restoreDef = sliDefinition("restore_test_last_success_age_seconds")!;
  const [restore, shares, deploys, audit, capacity] = await Promise.all([
    reports.restoreTests(new Date(from), new Date(now)),
    reports.tenantShares(tenant, new Date(from), new Date(now)),
    events.list({ kind: "deploy", tenant, from: new Date(from), to: new Date(now), limit: 5000 }),
    ctx.store.audit.countsByCategory(tenant, new Date(from), new Date(now)),
    ctx.capacity?.(new Date(now)).catch(() => undefined),
  ]);
  const cost = capacity?.tenants.find((t) => t.tenant === tenant)?.monthlyCost;
  return scorecard({
    tenant,
    days,
    from,
    to: now,
    incidents: judged,
    restoreTests: { ...restore, objectiveSeconds: ctx.objectives.objective(tenant, restoreDef) },
    tenantShares: shares,
    deploys: deploys.map((d) => ({ at: d.at.getTime() })),
    changeWindowMs: CHANGE_WINDOW_MS,
    audit,
    monthlyCost: cost && { currency: cost.currency, total: cost.total },
  });
}
