import { Gauge, type Registry } from "prom-client";
import type { SloTracker } from "../slo/tracker.ts";

const LABELS = ["tenant", "sli", "carrier", "channel"] as const;

/**
 * Error budget, burn rates and targets of every SLO, computed from the in-memory ledgers when Prometheus scrapes
 * (a few array sums per series), so they are as fresh as the last reading and cost nothing between scrapes.
 * Labels are the SLI's own (carrier, channel) plus the burn window: bounded by construction.
 */
export function registerSloMetrics(registry: Registry, slo: SloTracker): void {
  // One scrape collects the four gauges one after the other: the statuses are computed once for all of them.
  let computed: { at: number; statuses: ReturnType<SloTracker["all"]> } | undefined;
  const statuses = () => {
    const now = Date.now();
    if (!computed || now - computed.at > 1000) computed = { at: now, statuses: slo.all(now) };
    return computed.statuses;
  };
  const labelsOf = (s: { tenant: string; sli: string; labels: Record<string, string> }) => ({ tenant: s.tenant, sli: s.sli, carrier: s.labels.carrier ?? "", channel: s.labels.channel ?? "" });
  new Gauge({
    name: "logistics_slo_error_budget_remaining",
    help: "Share of the SLO's error budget left over its window (1 untouched, 0 spent, negative overspent).",
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of statuses()) if (s.budgetRemaining !== null) this.set(labelsOf(s), s.budgetRemaining);
    },
  });
  new Gauge({
    name: "logistics_slo_burn_rate",
    help: "How fast the error budget burns over each alerting window (1 spends it exactly over the SLO window).",
    labelNames: [...LABELS, "window"],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of statuses()) for (const [window, rate] of Object.entries(s.burnRates)) if (rate !== null) this.set({ ...labelsOf(s), window }, rate);
    },
  });
  new Gauge({
    name: "logistics_slo_target",
    help: "Share of sampled time the SLI must meet its objective over the SLO window.",
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of statuses()) this.set(labelsOf(s), s.slo.target);
    },
  });
  new Gauge({
    name: "logistics_slo_objective",
    help: "Objective in force per tenant (its Odoo settings, else the config, else the catalogue).",
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of statuses()) this.set(labelsOf(s), s.slo.objective);
    },
  });
}

/** Alerts by tenant, state, severity and kind, read from the store at scrape time (the source of truth). */
export function registerAlertMetrics(registry: Registry, alerts: () => Promise<Array<{ tenant: string; state: string; severity: string; kind: string }>>): void {
  new Gauge({
    name: "logistics_alerts",
    help: "Alerts per state (pending, firing, resolved), severity (page, ticket) and kind (threshold, burn_rate, anomaly).",
    labelNames: ["tenant", "state", "severity", "kind"],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = new Map<string, { labels: Record<string, string>; n: number }>();
      for (const a of await alerts()) {
        const labels = { tenant: a.tenant, state: a.state, severity: a.severity, kind: a.kind };
        const k = JSON.stringify(labels);
        counts.set(k, { labels, n: (counts.get(k)?.n ?? 0) + 1 });
      }
      for (const { labels, n } of counts.values()) this.set(labels, n);
    },
  });
}
