import cron, { type ScheduledTask } from "node-cron";
import type { Collector } from "../collectors/collector.ts";
import type { Runner } from "../collectors/runner.ts";
import type { Logger } from "../log/logger.ts";
import { cronExpression, jitterSeconds } from "./cadence.ts";

export interface SchedulerOptions {
  intervalSeconds: number;
  jitterSeconds: number;
}

/**
 * Fires a sampling cycle on a clock-aligned cadence; each collector starts after its own jitter. The runner keeps
 * cycles of one collector from overlapping. stop() waits for the runs in flight so the store closes cleanly.
 */
export class Scheduler {
  #task: ScheduledTask | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<unknown>>();
  #stopped = false;

  constructor(
    private readonly collectors: readonly Collector[],
    private readonly runner: Runner,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
  ) {}

  /** Runs a first cycle at once (so that readiness does not wait a whole interval), then on the cadence. */
  start(): void {
    const expression = cronExpression(this.options.intervalSeconds);
    this.cycle(false);
    this.#task = cron.schedule(expression, () => this.cycle(true), { name: "sampling-cycle" });
    this.log.info({ every: this.options.intervalSeconds, jitter: this.options.jitterSeconds, collectors: this.collectors.length }, "sampling scheduled");
  }

  private cycle(withJitter: boolean): void {
    for (const collector of this.collectors) {
      const delay = withJitter ? jitterSeconds(collector.tenant, this.options.jitterSeconds) * 1000 : 0;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (this.#stopped) return;
        const run = this.runner.run(collector).catch((err) => this.log.error({ err: String(err) }, "runner crashed"));
        this.#running.add(run);
        void run.finally(() => this.#running.delete(run));
      }, delay);
      this.#timers.add(timer);
    }
  }

  /** Stops scheduling, then waits (up to `graceMs`) for runs in flight to be stored. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopped = true;
    await this.#task?.stop();
    await this.#task?.destroy();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.#running]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
}
