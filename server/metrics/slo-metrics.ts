import { alertingOf, SLI_CATALOG } from "../sli/catalog.ts";
import type { SloStatus, SloTracker } from "../slo/tracker.ts";
import type { RunReport } from "../collectors/report.ts";
import type { ExpositionRegistry, Labels } from "./exposition.ts";

/** Label names an SLO series may carry besides tenant and sli: its SLI's own (carrier, channel), from the catalogue. */
export const SLO_SERIES_LABELS: readonly string[] = [...new Set(SLI_CATALOG.filter((d) => alertingOf(d) === "slo").flatMap((d) => d.labels))];

const tenantsOf = (report: RunReport, keep: (sli: string) => boolean) => new Set(report.samples.filter((s) => keep(s.sli)).map((s) => s.tenant));
const SLO_SLIS: ReadonlySet<string> = new Set(SLI_CATALOG.filter((d) => alertingOf(d) === "slo").map((d) => d.id));

/**
 * Error budget, burn rates, target and objective of every SLO, from the in-memory ledgers. They are rendered when
 * a tenant's run has been judged, at the time the backend judged it, so they say what its alerts were decided on
 * and a scrape only copies them. Labels are the SLI's own (carrier, channel) plus the burn window: bounded by
 * construction; an SLI without a carrier has no carrier label (never `carrier=""`). With several backends on one
 * store, each exports the tenants it holds (`owns`): Prometheus scraping them all sees each series once.
 */
export function registerSloMetrics(registry: ExpositionRegistry, slo: SloTracker, owns: (tenant: string) => boolean = () => true): void {
  const labelNames = ["tenant", "sli", ...SLO_SERIES_LABELS];
  const budget = registry.family("logistics_slo_error_budget_remaining", "Share of the SLO's error budget left over its window (1 untouched, 0 spent, negative overspent).", labelNames, owns);
  const burn = registry.family("logistics_slo_burn_rate", "How fast the error budget burns over each alerting window (1 spends it exactly over the SLO window).", [...labelNames, "window"], owns);
  const target = registry.family("logistics_slo_target", "Share of sampled time the SLI must meet its objective over the SLO window.", labelNames, owns);
  const objective = registry.family("logistics_slo_objective", "Objective in force per tenant (its Odoo settings, else the config, else the catalogue).", labelNames, owns);

  const render = (tenant: string, statuses: readonly SloStatus[]) => {
    let b = "";
    let r = "";
    let t = "";
    let o = "";
    for (const s of statuses) {
      const labels: Labels = { tenant: s.tenant, sli: s.sli, ...s.labels };
      if (s.budgetRemaining !== null) b += budget.line(labels, s.budgetRemaining);
      for (const [window, rate] of Object.entries(s.burnRates)) if (rate !== null) r += burn.line({ ...labels, window }, rate);
      t += target.line(labels, s.slo.target);
      o += objective.line(labels, s.slo.objective);
    }
    budget.set(tenant, b);
    burn.set(tenant, r);
    target.set(tenant, t);
    objective.set(tenant, o);
  };

  // The ledgers restored at start, then each judged run's tenants.
  const now = Date.now();
  const byTenant = new Map<string, SloStatus[]>();
  for (const s of slo.all(now)) {
    const list = byTenant.get(s.tenant);
    if (list) list.push(s);
    else byTenant.set(s.tenant, [s]);
  }
  for (const [tenant, statuses] of byTenant) render(tenant, statuses);
  registry.afterJudgement(async (report) => {
    const at = Date.now();
    for (const tenant of tenantsOf(report, (sli) => SLO_SLIS.has(sli))) render(tenant, slo.all(at, tenant));
  });
}

type AlertCount = { tenant: string; state: string; severity: string; kind: string };

/**
 * Alerts by tenant, state, severity and kind, read from the store (the source of truth) once a run's evaluation
 * has changed them: every tenant the run read for, so a scrape never reads the store.
 */
export function registerAlertMetrics(registry: ExpositionRegistry, alerts: (tenant?: string) => Promise<AlertCount[]>): Promise<void> {
  const family = registry.family("logistics_alerts", "Alerts per state (pending, firing, resolved), severity (page, ticket) and kind (threshold, burn_rate, anomaly).", ["tenant", "state", "severity", "kind"]);
  const render = (tenant: string, list: readonly AlertCount[]) => {
    const counts = new Map<string, { labels: Labels; n: number }>();
    for (const a of list) {
      const k = `${a.state}\u0000${a.severity}\u0000${a.kind}`;
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { labels: { tenant, state: a.state, severity: a.severity, kind: a.kind }, n: 1 });
    }
    family.setSeries(tenant, [...counts.values()].map((c) => [c.labels, c.n] as const));
  };
  const judged = new Set<string>();
  registry.afterJudgement(async (report) => {
    // A store that cannot answer keeps the last counts: the runner's store health says why.
    for (const tenant of tenantsOf(report, () => true)) {
      judged.add(tenant);
      await alerts(tenant).then((list) => render(tenant, list), () => {});
    }
  });
  // The alerts restored from the store, before the first run is judged.
  return alerts().then(
    (list) => {
      const byTenant = new Map<string, AlertCount[]>();
      for (const a of list) {
        const l = byTenant.get(a.tenant);
        if (l) l.push(a);
        else byTenant.set(a.tenant, [a]);
      }
      for (const [tenant, l] of byTenant) if (!judged.has(tenant)) render(tenant, l);
    },
    () => {},
  );
}
