import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../metrics/registry.ts";
import type { RunReport } from "./report.ts";
import { reading, stamp, type Reading, type Sample } from "../sli/sample.ts";
import type { Store } from "../store/store.ts";
import type { Collector } from "./collector.ts";

export interface CollectorHealth {
  tenant: string;
  source: string;
  ok: boolean;
  lastRunAt: Date;
  lastSuccessAt: Date | null;
  durationSeconds: number;
  error: string | null;
  runs: number;
}

const key = (c: { tenant: string; source: string }) => `${c.tenant}/${c.source}`;

class DeadlineExceeded extends Error {}

/** A run's samples waiting for the store. */
interface PendingRun {
  owner: string;
  source: string;
  samples: Sample[];
}

/** Runs held in memory while the store is down: 2,000 runs is over half an hour of 50 collectors at 60 s. */
const MAX_HELD_RUNS = 2_000;

/** The monitor's own reading of each run: whether this source could be sampled at all. */
const upReading = (source: string, ok: boolean): Reading => ({ sli: "sampling_up", labels: { source }, value: ok ? 1 : 0 });

/**
 * The one place that decides what a collector failure means. It runs a collector under a deadline, keeps one
 * run in flight per collector, turns a failure into a missing reading (with the reason) for each of the
 * collector's SLIs, stores the run atomically, reports it to /metrics, and logs state changes once.
 */
export class Runner {
  readonly #health = new Map<string, CollectorHealth>();
  readonly #inFlight = new Set<string>();
  readonly #startedAt = new Map<string, number>();
  readonly #pending: PendingRun[] = [];
  #storeError: string | null = null;
  #writing: Promise<void> = Promise.resolve();
  #dropped = 0;
  readonly #observers: Array<(report: RunReport) => Promise<void>> = [];

  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics | undefined,
    private readonly log: Logger,
    private readonly deadlineMs: number,
  ) {}

  /** Called after each stored run (alert evaluation); an observer's failure is logged, never the run's. */
  onRun(observer: (report: RunReport) => Promise<void>): void {
    this.#observers.push(observer);
  }

  health(): CollectorHealth[] {
    return [...this.#health.values()];
  }

  healthOf(tenant: string, source: string): CollectorHealth | undefined {
    return this.#health.get(key({ tenant, source }));
  }

  /** Runs once; while the previous run of this collector has not finished, reports it as wedged instead. */
  async run(collector: Collector, now: Date = new Date()): Promise<RunReport> {
    const k = key(collector);
    if (this.#inFlight.has(k)) return this.wedged(collector, now);
    this.#inFlight.add(k);
    this.#startedAt.set(k, Date.now());
    const started = performance.now();
    const controller = new AbortController();
    const work = collector.collect({ now, signal: controller.signal });
    // The in-flight mark lasts as long as the work, even past the deadline: never two runs against one Odoo.
    work.then(() => this.#inFlight.delete(k), () => this.#inFlight.delete(k));
    let readings: Reading[];
    let error: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceeded(`no result within ${this.deadlineMs / 1000} s`)), this.deadlineMs);
      });
      readings = await Promise.race([work, deadline]);
    } catch (err) {
      controller.abort();
      error = err instanceof Error ? err.message : String(err);
      readings = collector.slis.map((sli) => reading(sli, undefined, `${collector.source} failed: ${error}`));
    } finally {
      clearTimeout(timer);
    }
    const durationSeconds = (performance.now() - started) / 1000;
    const samples = [...readings, upReading(collector.source, error === null)].map((r) => stamp(collector.tenant, collector.source, now, r));
    const report: RunReport = { tenant: collector.tenant, source: collector.source, ok: error === null, durationSeconds, finishedAt: new Date(), samples };
    this.track(report, error);
    await this.record({ owner: collector.tenant, source: collector.source, samples });
    this.metrics?.observeRun(report);
    await this.notify(report);
    return report;
  }

  /**
   * Writes a run, after the runs a store outage held back (oldest first, so that "latest" ends right). While the
   * store fails, runs wait in memory up to a bound; beyond it the oldest are dropped and counted.
   */
  private async record(run: PendingRun): Promise<void> {
    // Healthy store, nothing held: runs of different collectors write concurrently (one run per collector at a
    // time, so each collector's runs stay in order).
    if (this.#storeError === null && this.#pending.length === 0) {
      try {
        await this.store.recordRun(run.owner, run.source, run.samples);
        return;
      } catch (err) {
        this.held((err as Error).message);
      }
    }
    this.#pending.push(run);
    // One replaying writer at a time: concurrent replays would each write the head of the queue.
    this.#writing = this.#writing.then(() => this.flush());
    return this.#writing;
  }

  private held(error: string): void {
    if (this.#storeError === null) this.log.error({ err: error }, "store write failed: runs are held in memory until it recovers");
    this.#storeError = error;
  }

  private async flush(): Promise<void> {
    while (this.#pending.length) {
      const next = this.#pending[0]!;
      try {
        await this.store.recordRun(next.owner, next.source, next.samples);
      } catch (err) {
        this.held((err as Error).message);
        while (this.#pending.length > MAX_HELD_RUNS) {
          this.#pending.shift();
          this.#dropped++;
        }
        return;
      }
      this.#pending.shift();
      if (this.#storeError !== null) {
        this.log.info({ held: this.#pending.length + 1 }, "store writes recovered: writing the held runs");
        this.#storeError = null;
      }
    }
  }

  /** Whether runs reach the store: what readiness reports. */
  storeHealth(): { ok: boolean; error: string | null; heldRuns: number; droppedRuns: number } {
    return { ok: this.#storeError === null, error: this.#storeError, heldRuns: this.#pending.length, droppedRuns: this.#dropped };
  }

  /**
   * A run still in flight from an earlier cycle (an Odoo that accepted the request and never answers) is a failed
   * run of its own: the tenant is reported as not sampled, and its readings stay as the last run left them.
   */
  private async wedged(collector: Collector, now: Date): Promise<RunReport> {
    const k = key(collector);
    // Stable while the same run hangs, so that it is logged once.
    const started = new Date(this.#startedAt.get(k) ?? Date.now());
    const error = `wedged: the run started at ${started.toISOString().slice(11, 19)} UTC has not finished`;
    const samples = [stamp(collector.tenant, collector.source, now, upReading(collector.source, false))];
    const report: RunReport = { tenant: collector.tenant, source: collector.source, ok: false, durationSeconds: 0, finishedAt: new Date(), samples };
    this.track(report, error);
    this.metrics?.observeRun(report);
    await this.notify(report);
    return report;
  }

  private async notify(report: RunReport): Promise<void> {
    for (const observe of this.#observers) {
      await observe(report).catch((err) => this.log.error({ tenant: report.tenant, source: report.source, err: String(err) }, "run observer failed"));
    }
  }

  private track(report: RunReport, error: string | null): void {
    const k = key(report);
    const prev = this.#health.get(k);
    const where = { tenant: report.tenant, source: report.source };
    if (error && prev?.error !== error) this.log.error({ ...where, cause: error }, `${report.tenant}: ${report.source} failed: ${error}`);
    if (!error && prev && !prev.ok) this.log.info(where, `${report.tenant}: ${report.source} recovered`);
    this.#health.set(k, {
      ...where,
      ok: report.ok,
      lastRunAt: report.finishedAt,
      lastSuccessAt: report.ok ? report.finishedAt : (prev?.lastSuccessAt ?? null),
      durationSeconds: report.durationSeconds,
      error,
      runs: (prev?.runs ?? 0) + 1,
    });
  }
}
