import { BURN_WINDOWS, judgeBurn, windowLabel, type BurnVerdict } from "../detect/burn-rate.ts";
import { anomalyScore, baseline, expectedBand, type Baseline, type CalendarRule } from "../detect/seasonal.ts";
import { SeriesLedger } from "../detect/slo-ledger.ts";
import { alertingOf, SEASONAL_SLIS, sliDefinition } from "../sli/catalog.ts";
import type { Objectives, Slo } from "../sli/objectives.ts";
import type { Sample } from "../sli/sample.ts";
import { labelsKey } from "../sli/labels.ts";
import type { SloReading, SloStore } from "../store/slo.ts";

export interface SloStatus {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  slo: Slo;
  /** Share of the error budget left over the SLO window; negative once overspent; null without readings. */
  budgetRemaining: number | null;
  /** Burn rate per window label ("5m", "1h", ...); null without readings in the window. */
  burnRates: Record<string, number | null>;
  verdict: BurnVerdict;
}

export interface SeasonalStatus {
  value: number;
  expected: number;
  band: { low: number; high: number };
  score: number;
  baseline: Baseline;
}

interface Series {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  ledger: SeriesLedger;
  /** The baseline of the current hour, computed once per hour. */
  cached?: { hour: number; baseline: Baseline | undefined };
}

/**
 * Share of the SLO window's error budget left. The budget is (1 - target) of the whole window; a series younger
 * than its window has spent only what its bad readings cost, so its readings are scaled up to the window at their
 * own pace (three bad minutes on day one are 0.7% of a 28-day, 99% budget, not all of it). Past one window the
 * scale is 1 and this is the usual 1 - (bad / known) / (1 - target).
 */
export function budgetRemaining(t: { known: number; bad: number }, slo: Pick<Slo, "target" | "windowSeconds">, historySeconds: number): number | null {
  if (!t.known) return null;
  const observed = Math.min(slo.windowSeconds, Math.max(historySeconds, 60));
  const readingsInWindow = (t.known * slo.windowSeconds) / observed;
  return 1 - t.bad / ((1 - slo.target) * readingsInWindow);
}

export const seriesKey = (tenant: string, sli: string, labels: Record<string, string>) => `${tenant}/${sli}/${labelsKey(labels)}`;

/**
 * The SLO ledgers of every series with an error budget, in memory and mirrored in the store's rollups (a
 * restart rebuilds them), plus the seasonal baselines drawn from the same hourly rollups.
 */
export class SloTracker {
  readonly #series = new Map<string, Series>();

  constructor(
    private readonly store: SloStore,
    readonly objectives: Objectives,
    private readonly seasonal: { calendar: readonly CalendarRule[]; offsetMinutes: (tenant: string, at: number) => number },
  ) {}

  async restore(now: Date): Promise<number> {
    let restored = 0;
    for (const tenant of await this.store.tenants()) {
      const buckets = await this.store.load(now, tenant);
      for (const b of buckets) this.seriesOf(b.tenant, b.sli, b.labels).ledger.restore(b.resolution, b.at.getTime(), b);
      restored += buckets.length;
    }
    for (const { tenant, settings } of await this.store.allSettings()) this.objectives.setTenant(tenant, settings);
    return restored;
  }

  /**
   * Reloads one tenant's ledgers from the store: another backend sharing the store judged it until now (this one
   * has just taken its lease), and its ledgers here are as old as this process's start.
   */
  async restoreTenant(tenant: string, now: Date): Promise<void> {
    for (const [key, s] of this.#series) if (s.tenant === tenant) this.#series.delete(key);
    for (const b of await this.store.load(now, tenant)) this.seriesOf(b.tenant, b.sli, b.labels).ledger.restore(b.resolution, b.at.getTime(), b);
  }

  private seriesOf(tenant: string, sli: string, labels: Record<string, string>): Series {
    const key = seriesKey(tenant, sli, labels);
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { tenant, sli, labels, ledger: new SeriesLedger() }));
    return s;
  }

  /** Judges a run's readings against their objectives and adds them to the ledgers; missing readings count neither way. */
  async observe(samples: readonly Sample[]): Promise<void> {
    const readings: SloReading[] = [];
    for (const s of samples) {
      const def = sliDefinition(s.sli);
      if (!def || alertingOf(def) !== "slo" || s.value === null) continue;
      const objective = this.objectives.objective(s.tenant, def);
      const bad = def.better === "lower" ? s.value > objective : s.value < objective;
      this.seriesOf(s.tenant, s.sli, s.labels).ledger.record(s.at.getTime(), s.value, bad);
      readings.push({ tenant: s.tenant, sli: s.sli, labelsKey: labelsKey(s.labels), labels: s.labels, at: s.at, value: s.value, bad });
    }
    await this.store.record(readings);
  }

  status(tenant: string, sli: string, labels: Record<string, string>, now: number): SloStatus | undefined {
    const series = this.#series.get(seriesKey(tenant, sli, labels));
    const def = sliDefinition(sli);
    if (!series || !def) return undefined;
    const slo = this.objectives.slo(tenant, def);
    const rate = (seconds: number) => series.ledger.burnRate(now, seconds, slo.target);
    const budget = budgetRemaining(series.ledger.tally(now, slo.windowSeconds), slo, series.ledger.historySeconds(now));
    return {
      tenant,
      sli,
      labels,
      slo,
      budgetRemaining: budget,
      burnRates: Object.fromEntries(BURN_WINDOWS.map((w) => [windowLabel(w), rate(w) ?? null])),
      verdict: judgeBurn((seconds) => series.ledger.tally(now, seconds), slo.target, series.ledger.historySeconds(now)),
    };
  }

  all(now: number, tenant?: string): SloStatus[] {
    return [...this.#series.values()].filter((s) => !tenant || s.tenant === tenant).flatMap((s) => this.status(s.tenant, s.sli, s.labels, now) ?? []);
  }

  /** Where a seasonal SLI's reading stands against its hour-of-week baseline; undefined while history is short. */
  seasonalStatus(sample: Sample): SeasonalStatus | undefined {
    if (!SEASONAL_SLIS.has(sample.sli) || sample.value === null) return undefined;
    const series = this.#series.get(seriesKey(sample.tenant, sample.sli, sample.labels));
    if (!series) return undefined;
    const at = sample.at.getTime();
    const hour = Math.floor(at / 3_600_000) * 3_600_000;
    if (series.cached?.hour !== hour) {
      series.cached = { hour, baseline: baseline(series.ledger.hourlyMeans(), hour, this.seasonal.calendar, (t) => this.seasonal.offsetMinutes(sample.tenant, t)) };
    }
    const b = series.cached.baseline;
    if (!b) return undefined;
    return { value: sample.value, expected: b.median, band: expectedBand(b), score: anomalyScore(sample.value, b), baseline: b };
  }

  /** Every seasonal series' band for its latest hour (the dashboard draws it). */
  seasonalSeries(tenant: string): Array<{ sli: string; labels: Record<string, string>; hourlyMeans: Array<{ at: number; value: number }> }> {
    return [...this.#series.values()].filter((s) => s.tenant === tenant && SEASONAL_SLIS.has(s.sli)).map((s) => ({ sli: s.sli, labels: s.labels, hourlyMeans: s.ledger.hourlyMeans() }));
  }
}
