/**
 * Good and bad sampled time of one SLI series, rolled up per minute (for the burn-rate windows, up to 3 days)
 * and per hour (for the SLO window, up to 90 days), in fixed typed-array rings: a cycle adds one reading and
 * reads a window in a few thousand array steps, whatever the age of the service. Pure, no I/O.
 */
const MINUTE = 60_000;
const HOUR = 3_600_000;
export const MINUTE_SLOTS = 3 * 24 * 60;
export const HOUR_SLOTS = 90 * 24;

import type { Tally } from "./burn-rate.ts";

export type { Tally };

export interface Bucket extends Tally {
  sum: number;
}

/**
 * Counts fit 16 bits: at the fastest cadence (5 s) an hour holds 720 readings. The slot's unit number (minutes
 * or hours since 1970) fits 32 bits. Per series: 3 days of minutes and 90 days of hours, about 70 KiB.
 */
class Ring {
  readonly #stamp: Int32Array;
  readonly #known: Uint16Array;
  readonly #bad: Uint16Array;
  /** Sum of the readings' values (hours only): the hourly means the seasonal baselines are drawn from. */
  readonly #sum: Float64Array | undefined;

  constructor(
    private readonly slots: number,
    private readonly unitMs: number,
    withSums: boolean,
  ) {
    this.#stamp = new Int32Array(slots).fill(-1);
    this.#known = new Uint16Array(slots);
    this.#bad = new Uint16Array(slots);
    this.#sum = withSums ? new Float64Array(slots) : undefined;
  }

  add(at: number, known: number, bad: number, sum: number): void {
    const unit = Math.floor(at / this.unitMs);
    const i = unit % this.slots;
    if (this.#stamp[i] !== unit) {
      this.#stamp[i] = unit;
      this.#known[i] = 0;
      this.#bad[i] = 0;
      if (this.#sum) this.#sum[i] = 0;
    }
    this.#known[i] = this.#known[i]! + known;
    this.#bad[i] = this.#bad[i]! + bad;
    if (this.#sum) this.#sum[i] = this.#sum[i]! + sum;
  }

  /** Mean value per bucket, oldest first, for the buckets that have readings. */
  means(): Array<{ at: number; value: number }> {
    const out: Array<{ at: number; value: number }> = [];
    if (!this.#sum) return out;
    for (let i = 0; i < this.slots; i++) if (this.#stamp[i]! >= 0 && this.#known[i]) out.push({ at: this.#stamp[i]! * this.unitMs, value: this.#sum[i]! / this.#known[i]! });
    return out.sort((a, b) => a.at - b.at);
  }

  /** Buckets whose unit is in (unit(now) - units, unit(now)]. */
  tally(now: number, units: number): Tally {
    const last = Math.floor(now / this.unitMs);
    const t = { known: 0, bad: 0 };
    for (let unit = last; unit > last - Math.min(units, this.slots); unit--) {
      const i = unit % this.slots;
      if (this.#stamp[i] !== unit) continue;
      t.known += this.#known[i]!;
      t.bad += this.#bad[i]!;
    }
    return t;
  }
}

export class SeriesLedger {
  readonly #minutes = new Ring(MINUTE_SLOTS, MINUTE, false);
  readonly #hours = new Ring(HOUR_SLOTS, HOUR, true);
  /** The oldest reading's time: how much history the windows can speak for. */
  #first = Infinity;

  /** Seconds of history at `now` (0 before the first reading). */
  historySeconds(now: number): number {
    return this.#first === Infinity ? 0 : Math.max(0, (now - this.#first) / 1000);
  }

  /** One reading judged against its objective. */
  record(at: number, value: number, bad: boolean): void {
    this.#first = Math.min(this.#first, at);
    this.#minutes.add(at, 1, bad ? 1 : 0, value);
    this.#hours.add(at, 1, bad ? 1 : 0, value);
  }

  /** Restores a persisted bucket (at start-up). */
  restore(resolution: "minute" | "hour", at: number, b: Bucket): void {
    this.#first = Math.min(this.#first, at);
    (resolution === "minute" ? this.#minutes : this.#hours).add(at, b.known, b.bad, b.sum);
  }

  /** Hourly means of the last 90 days: the seasonal detector's history. */
  hourlyMeans(): Array<{ at: number; value: number }> {
    return this.#hours.means();
  }

  /** Known and bad readings in the window ending at `now`: by minute up to 3 days, by hour beyond. */
  tally(now: number, windowSeconds: number): Tally {
    return windowSeconds <= MINUTE_SLOTS * 60 ? this.#minutes.tally(now, Math.round(windowSeconds / 60)) : this.#hours.tally(now, Math.round(windowSeconds / 3600));
  }

  /** Burn rate over a window: 1 spends exactly the budget over the SLO window; undefined without readings. */
  burnRate(now: number, windowSeconds: number, target: number): number | undefined {
    const t = this.tally(now, windowSeconds);
    return t.known ? t.bad / t.known / (1 - target) : undefined;
  }
}
