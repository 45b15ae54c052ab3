import { Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { SLI_CATALOG, type SliDefinition } from "../sli/catalog.ts";
import type { Sample } from "../sli/sample.ts";
import type { RunReport } from "../collectors/report.ts";


const PREFIX = "logistics_";

/**
 * The backend's own prom-client Registry: one gauge per business SLI (labels from the catalogue only, so
 * cardinality is bounded by tenants x carriers/channels), the objectives, and the sampler's health per
 * collector. A missing reading removes the series and sets logistics_sli_missing: absent data is never a 0.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #sli = new Map<string, Gauge>();
  readonly #seen = new Map<string, Array<Record<string, string>>>();
  readonly #missing: Gauge;
  readonly #target: Gauge;
  readonly #duration: Gauge;
  readonly #success: Gauge;
  readonly #lastSuccess: Gauge;

  constructor(targets: (def: SliDefinition) => number) {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX + "process_" });
    for (const def of SLI_CATALOG) {
      this.#sli.set(def.id, this.gauge(def.id, `${def.title} (${def.unit}).`, ["tenant", ...def.labels]));
    }
    this.#missing = this.gauge("sli_missing", "1 when the latest reading of an SLI is missing (source down, timed out, or no data in the window).", ["tenant", "sli"]);
    this.#target = this.gauge("sli_objective", "Objective of each SLI; `better` says which side is good.", ["sli", "better"]);
    this.#duration = this.gauge("collector_duration_seconds", "Duration of the last run of each collector.", ["tenant", "source"]);
    this.#success = this.gauge("collector_success", "1 when the last run of the collector succeeded, 0 when it failed or timed out.", ["tenant", "source"]);
    this.#lastSuccess = this.gauge("collector_last_success_timestamp_seconds", "Unix time of the last successful run of each collector.", ["tenant", "source"]);
    for (const def of SLI_CATALOG) this.#target.set({ sli: def.id, better: def.better }, targets(def));
  }

  private gauge(name: string, help: string, labelNames: string[]): Gauge {
    return new Gauge({ name: PREFIX + name, help, labelNames, registers: [this.registry] });
  }

  observeRun(report: RunReport): void {
    const labels = { tenant: report.tenant, source: report.source };
    this.#duration.set(labels, report.durationSeconds);
    this.#success.set(labels, report.ok ? 1 : 0);
    if (report.ok) this.#lastSuccess.set(labels, report.finishedAt.getTime() / 1000);
    const series = new Map<string, Sample[]>();
    for (const s of report.samples) {
      const k = `${s.tenant}\u0000${s.sli}`;
      series.set(k, [...(series.get(k) ?? []), s]);
    }
    for (const samples of series.values()) this.setSli(samples[0]!.tenant, samples[0]!.sli, samples);
  }

  private setSli(tenant: string, sli: string, samples: Sample[]): void {
    const gauge = this.#sli.get(sli);
    if (!gauge) return;
    const key = `${tenant}\u0000${sli}`;
    for (const old of this.#seen.get(key) ?? []) gauge.remove(old);
    const present = samples.filter((s) => s.value !== null);
    const set = present.map((s) => ({ tenant, ...s.labels }));
    present.forEach((s, i) => gauge.set(set[i]!, s.value!));
    this.#seen.set(key, set);
    this.#missing.set({ tenant, sli }, present.length ? 0 : 1);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
