import type { Reading } from "../sli/sample.ts";

export interface CollectContext {
  now: Date;
  /** Aborted when the runner's deadline passes; long operations should stop early. */
  signal: AbortSignal;
}

/**
 * One source of readings for one tenant (or "global"). The runner is the only caller: it times the run under a
 * deadline and turns a failure into a missing reading for each SLI in `slis`.
 */
export interface Collector {
  readonly tenant: string;
  /** Bounded label value, e.g. "odoo_business". */
  readonly source: string;
  readonly slis: readonly string[];
  collect(ctx: CollectContext): Promise<Reading[]>;
  close?(): Promise<void>;
}
