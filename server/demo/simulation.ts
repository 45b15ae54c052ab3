import type { Database } from "./database.ts";
import type { Random } from "./random.ts";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A part of the world that acts on the clock, e.g. customers placing orders or the cron worker polling. */
export interface Process {
  /** Called at the start of every simulated minute, before that minute's events run. */
  tick(minute: number): void;
}

interface Scheduled {
  at: number;
  seq: number;
  run: (at: number) => void;
}

/**
 * The discrete-event clock of the demo world. Time moves in whole minutes: each tick lets the processes schedule
 * what happens during that minute, then runs every event due before the minute ends, in time order, including
 * the events those events schedule. The world therefore depends on the seed and the minutes elapsed only, never
 * on how often it is sampled.
 */
export class Simulation {
  readonly #heap: Scheduled[] = [];
  #seq = 0;
  #clock: number;
  /** The time of the event being run (epoch ms): what the world's writes are stamped with. */
  now: number;

  constructor(
    readonly db: Database,
    readonly rng: Random,
    start: number,
  ) {
    this.#clock = Math.floor(start / MINUTE) * MINUTE;
    this.now = this.#clock;
  }

  /** The start of the first minute not yet simulated. */
  get clock(): number {
    return this.#clock;
  }

  /** Schedules `run` at `at` (epoch ms); a time in the past means "right after the current event". */
  at(at: number, run: (at: number) => void): void {
    this.#push({ at: Math.max(at, this.now), seq: this.#seq++, run });
  }

  /** Simulates every whole minute that ends at or before `until`. */
  runUntil(until: number, processes: readonly Process[]): void {
    while (this.#clock + MINUTE <= until) {
      const minute = this.#clock;
      this.now = minute;
      for (const p of processes) p.tick(minute);
      const end = minute + MINUTE;
      while (this.#heap.length && this.#heap[0]!.at < end) {
        const next = this.#pop();
        this.now = next.at;
        next.run(next.at);
      }
      this.#clock = end;
      this.now = end;
    }
  }

  // A binary min-heap on (at, seq): equal times run in the order they were scheduled.
  #less(a: Scheduled, b: Scheduled): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(item: Scheduled): void {
    const h = this.#heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #pop(): Scheduled {
    const h = this.#heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
