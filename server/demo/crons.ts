import { odooStamp, type Rec } from "./database.ts";
import { DAY, HOUR, MINUTE, SECOND, type Process, type Simulation } from "./simulation.ts";

type IntervalType = "minutes" | "hours" | "days" | "weeks";

interface CronSpec {
  name: string;
  number: number;
  type: IntervalType;
  priority: number;
  /** Median run time, seconds. */
  seconds: number;
}

const INTERVAL_MS: Record<IntervalType, number> = { minutes: MINUTE, hours: HOUR, days: DAY, weeks: 7 * DAY };

/** Healthy scheduled actions of an Odoo 18 with sale and stock (names as Odoo ships them). */
const HEALTHY: readonly CronSpec[] = [
  { name: "Base: Auto-vacuum internal data", number: 1, type: "days", priority: 3, seconds: 20 },
  { name: "Mail: Email Queue Manager", number: 1, type: "hours", priority: 6, seconds: 3 },
  { name: "Procurement: run scheduler", number: 1, type: "days", priority: 5, seconds: 45 },
  { name: "Digest Emails", number: 1, type: "days", priority: 5, seconds: 4 },
  { name: "Notification: Notify scheduled messages", number: 1, type: "hours", priority: 5, seconds: 0.5 },
  { name: "Partner Autocomplete: Sync with remote DB", number: 1, type: "hours", priority: 6, seconds: 1 },
  { name: "SMS: SMS Queue Manager", number: 1, type: "hours", priority: 5, seconds: 0.4 },
  { name: "Sales: Send pending emails", number: 1, type: "days", priority: 5, seconds: 2 },
];

/** A project cron that breaks now and then: its failure_count grows while broken, until someone fixes it. */
const FLAKY: CronSpec = { name: "Carrier: Update tracking status", number: 30, type: "minutes", priority: 5, seconds: 8 };

/** ir.cron.progress rows are kept one week by Odoo's autovacuum. */
const KEEP_PROGRESS = 7 * DAY;

/**
 * The cron worker. Every active cron whose nextcall has passed runs within the minute: one ir.cron.progress row
 * per run (create_date = start, write_date = end, timed_out_counter back to 0), lastcall set, nextcall moved on
 * by whole intervals. The flaky cron fails for 20-40 hours at a time (failure_count +1 per run,
 * first_failure_date set), then works for 2-6 hours after a fix; broken spells are too short for Odoo 18's deactivation
 * (5 failures and 7 days), so it stays active, as such a cron does in production.
 */
export class CronWorker implements Process {
  readonly #crons: Array<{ rec: Rec; spec: CronSpec; running: boolean }> = [];
  /** While `now < #switchAt` the flaky cron is in its current spell, failing or not. */
  #failing = false;
  #switchAt: number;

  constructor(
    private readonly sim: Simulation,
    /** What a successful run of a cron does elsewhere in the world, by cron name (the mail queue's sending). */
    private readonly hooks: Readonly<Record<string, (t: number) => void>>,
  ) {
    const { db, rng, clock } = sim;
    for (const spec of [...HEALTHY, FLAKY]) {
      const every = spec.number * INTERVAL_MS[spec.type];
      const rec = db.create("ir.cron", {
        name: spec.name, cron_name: spec.name, active: true, interval_number: spec.number, interval_type: spec.type,
        priority: spec.priority, nextcall: odooStamp(clock + rng.uniform(0, every)), lastcall: false,
        failure_count: 0, first_failure_date: false,
      }, clock - 30 * DAY)!;
      this.#crons.push({ rec, spec, running: false });
    }
    this.#switchAt = clock + rng.uniform(0.5, 3) * HOUR;
  }

  tick(minute: number): void {
    for (const cron of this.#crons) {
      if (cron.running || !cron.rec.active || String(cron.rec.nextcall) > odooStamp(minute)) continue;
      cron.running = true;
      this.sim.at(minute + this.sim.rng.uniform(0, 30) * SECOND, (t) => this.#run(cron, t));
    }
  }

  #run(cron: { rec: Rec; spec: CronSpec; running: boolean }, start: number): void {
    const { db, rng } = this.sim;
    const progress = db.create("ir.cron.progress", { cron_id: cron.rec.id, done: 0, remaining: 0, deactivate: false, timed_out_counter: 1 }, start)!;
    const end = start + rng.logNormal(cron.spec.seconds, 0.5) * SECOND;
    this.sim.at(end, (t) => {
      const failed = cron.spec === FLAKY && this.#isFailing(start);
      db.write("ir.cron.progress", progress, { done: failed ? 0 : rng.int(1, 50), timed_out_counter: 0 }, t);
      const every = cron.spec.number * INTERVAL_MS[cron.spec.type];
      let next = Date.parse(`${String(cron.rec.nextcall).replace(" ", "T")}Z`);
      while (next <= start) next += every;
      db.write("ir.cron", cron.rec, {
        lastcall: odooStamp(start),
        nextcall: odooStamp(next),
        failure_count: failed ? Number(cron.rec.failure_count) + 1 : 0,
        first_failure_date: failed ? cron.rec.first_failure_date || odooStamp(start) : false,
      }, t);
      cron.running = false;
      if (!failed) this.hooks[cron.spec.name]?.(t);
      if (cron.spec.name === "Base: Auto-vacuum internal data") this.#vacuumProgress(t);
    });
  }

  #isFailing(t: number): boolean {
    while (t >= this.#switchAt) {
      this.#failing = !this.#failing;
      this.#switchAt += (this.#failing ? this.sim.rng.uniform(20, 40) : this.sim.rng.uniform(2, 6)) * HOUR;
    }
    return this.#failing;
  }

  #vacuumProgress(t: number): void {
    const limit = odooStamp(t - KEEP_PROGRESS);
    for (const p of [...this.sim.db.records("ir.cron.progress")]) if (String(p.create_date) < limit) this.sim.db.unlink("ir.cron.progress", p.id);
  }
}
