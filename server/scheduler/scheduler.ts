import type { Collector } from "../collectors/collector.ts";
import type { Runner } from "../collectors/runner.ts";
import type { Logger } from "../log/logger.ts";
import { jitterSeconds, nextSlot } from "./cadence.ts";

export interface SchedulerOptions {
  intervalSeconds: number;
  jitterSeconds: number;
  /**
   * Whether this instance samples a collector in the cycle that started at `cycleStartedAt` (performance.now()):
   * its tenant's lease, when several backends share a store.
   */
  owns?: (collector: Collector, cycleStartedAt: number) => boolean;
  /** Runs in flight at most; the others wait their turn (their deadline starts when they start). */
  maxConcurrent?: number;
}

/**
 * Fires a sampling cycle every interval; each collector starts after its own jitter. The runner keeps cycles of
 * one collector from overlapping. stop() waits for the runs in flight so the store closes cleanly.
 *
 * The cadence is aligned on the wall clock once, at start, and then kept on the monotonic clock: a clock stepped
 * back two days must not stop sampling for two days, nor one stepped forward replay (or log) every missed cycle.
 * A cycle the process was too busy to start is skipped, with one log line, not run late in a burst.
 */
export class Scheduler {
  #timer: NodeJS.Timeout | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<unknown>>();
  #stopped = false;
  #lastCycleAt: number | undefined;
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    private readonly collectors: readonly Collector[],
    private readonly runner: Runner,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
  ) {}

  /**
   * Runs a first cycle at once, spread like the others (so that readiness does not wait a whole interval, and 500
   * tenants do not all start in the same second), then on the cadence.
   */
  start(): void {
    this.cycle();
    const intervalMs = this.options.intervalSeconds * 1000;
    this.plan(performance.now() + nextSlot(Date.now(), intervalMs) - Date.now(), intervalMs);
    this.log.info({ every: this.options.intervalSeconds, jitter: this.options.jitterSeconds, collectors: this.collectors.length }, "sampling scheduled");
  }

  /** When the last cycle started (performance.now() ms): what readiness checks for a stalled scheduler. */
  progress(): { lastCycleAt: number | undefined; intervalMs: number } {
    return { lastCycleAt: this.#lastCycleAt, intervalMs: this.options.intervalSeconds * 1000 };
  }

  private plan(due: number, intervalMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const now = performance.now();
      // Timers may fire a millisecond before performance.now() reaches `due`: that is on time, not a cycle early.
      const late = Math.max(0, Math.floor((now - due) / intervalMs));
      if (late > 0) this.log.warn({ skipped: late }, `sampling: ${late} cycle${late === 1 ? "" : "s"} skipped (the process was busy or suspended)`);
      this.cycle();
      this.plan(due + (late + 1) * intervalMs, intervalMs);
    }, Math.max(0, due - performance.now()));
  }

  private cycle(): void {
    const startedAt = (this.#lastCycleAt = performance.now());
    for (const collector of this.collectors) {
      const delay = jitterSeconds(collector.tenant, this.options.jitterSeconds) * 1000;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        // Asked when the run starts, after the jitter: a tenant whose lease moved in between is not sampled twice.
        if (this.#stopped || this.options.owns?.(collector, startedAt) === false) return;
        const run = this.bounded(async () => void (this.#stopped || (await this.runner.run(collector)))).catch((err) => this.log.error({ err: String(err) }, "runner crashed"));
        this.#running.add(run);
        void run.finally(() => this.#running.delete(run));
      }, delay);
      this.#timers.add(timer);
    }
  }

  /** At most `maxConcurrent` runs at once: a slow store or Odoo fleet queues runs instead of piling them up. */
  private async bounded<T>(fn: () => Promise<T>): Promise<T> {
    const max = this.options.maxConcurrent ?? 32;
    if (this.#inFlight >= max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inFlight++;
    try {
      return await fn();
    } finally {
      this.#inFlight--;
      this.#waiting.shift()?.();
    }
  }

  /** Stops scheduling, then waits (up to `graceMs`) for runs in flight to be stored. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.#running]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
}
