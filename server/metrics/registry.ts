import { collectDefaultMetrics } from "prom-client";
import { SLI_CATALOG, type SliDefinition } from "../sli/catalog.ts";
import type { Sample } from "../sli/sample.ts";
import type { RunReport } from "../collectors/report.ts";
import { ExpositionRegistry, type GaugeFamily, type Labels } from "./exposition.ts";

const PREFIX = "logistics_";

/**
 * The backend's metrics: one gauge per catalogue signal (labels from the catalogue only, so cardinality is
 * bounded by tenants x carriers/channels), the objectives, and the sampler's health per collector. Each run
 * re-renders the series it owns when it lands (its tenant and source), so a scrape joins text instead of
 * formatting every series. A missing reading removes the series and sets logistics_sli_missing: absent data is
 * never a 0. The process' own metrics keep their standard names (`process_*`, `nodejs_*`).
 */
export class Metrics {
  readonly registry = new ExpositionRegistry();
  readonly #sli = new Map<string, GaugeFamily>();
  readonly #missing: GaugeFamily;
  readonly #duration: GaugeFamily;
  readonly #success: GaugeFamily;
  readonly #lastSuccess: GaugeFamily;
  readonly #lastSuccessAt = new Map<string, number>();

  constructor(targets: (def: SliDefinition) => number) {
    collectDefaultMetrics({ register: this.registry });
    for (const def of SLI_CATALOG) this.#sli.set(def.id, this.registry.family(PREFIX + def.id, `${def.title} (${def.unit}).`, ["tenant", ...def.labels]));
    this.#missing = this.registry.family(PREFIX + "sli_missing", "1 when the latest reading of an SLI is missing (source down, timed out, or no data in the window).", ["tenant", "sli"]);
    const objective = this.registry.family(PREFIX + "sli_objective", "Objective of each SLI; `better` says which side is good.", ["sli", "better"]);
    this.#duration = this.registry.family(PREFIX + "collector_duration_seconds", "Duration of the last run of each collector.", ["tenant", "source"]);
    this.#success = this.registry.family(PREFIX + "collector_success", "1 when the last run of the collector succeeded, 0 when it failed or timed out.", ["tenant", "source"]);
    this.#lastSuccess = this.registry.family(PREFIX + "collector_last_success_timestamp_seconds", "Unix time of the last successful run of each collector.", ["tenant", "source"]);
    objective.setSeries("catalogue", SLI_CATALOG.map((def) => [{ sli: def.id, better: def.better }, targets(def)] as const));
  }

  /** A run's readings replace what the previous run of the same collector said of the same SLIs. */
  observeRun(report: RunReport): void {
    const labels = { tenant: report.tenant, source: report.source };
    const owner = `${report.tenant}\u0000${report.source}`;
    this.#duration.setSeries(owner, [[labels, report.durationSeconds]]);
    this.#success.setSeries(owner, [[labels, report.ok ? 1 : 0]]);
    if (report.ok) this.#lastSuccessAt.set(owner, report.finishedAt.getTime() / 1000);
    const last = this.#lastSuccessAt.get(owner);
    if (last !== undefined) this.#lastSuccess.setSeries(owner, [[labels, last]]);
    // A shared collector (PostgreSQL) reads for several tenants: its series are owned per tenant it read for.
    const bySli = new Map<string, Map<string, Sample[]>>();
    for (const s of report.samples) {
      let tenants = bySli.get(s.sli);
      if (!tenants) bySli.set(s.sli, (tenants = new Map()));
      tenants.set(s.tenant, [...(tenants.get(s.tenant) ?? []), s]);
    }
    for (const [sli, tenants] of bySli) {
      const family = this.#sli.get(sli);
      if (!family) continue;
      for (const [tenant, samples] of tenants) {
        const present = samples.filter((s) => s.value !== null);
        family.setSeries(`${tenant}\u0000${report.source}`, present.map((s) => [{ tenant, ...s.labels } as Labels, s.value!] as const));
        this.#missing.setSeries(`${tenant}\u0000${report.source}\u0000${sli}`, [[{ tenant, sli }, present.length ? 0 : 1]]);
      }
    }
  }

  /** Re-renders what depends on the alert evaluation of this run (SLO budgets, alert counts). */
  async judged(report: RunReport): Promise<void> {
    await this.registry.judged(report);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
