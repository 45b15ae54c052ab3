import { CronWorker } from "./crons.ts";
import { Database } from "./database.ts";
import { Mailer } from "./mail.ts";
import { JobQueue } from "./queue-jobs.ts";
import { seededRandom } from "./random.ts";
import { SalesDesk } from "./sales.ts";
import { Warehouse } from "./shipping.ts";
import { DAY, HOUR, type Process, Simulation } from "./simulation.ts";

export interface WorldOptions {
  /** The present: the world is created this much history before it and brought up to it. */
  now: Date;
  /** Same seed and same clock, same world. Default 1. */
  seed?: number;
  /** History simulated at creation, hours. Default 48. */
  backfillHours?: number;
  /** Around when DHL's label API fails (default: `now`, so a fresh demo shows it); fixed, the world depends on time alone. */
  labelIncidentAt?: Date;
  /** sale_stock, stock_delivery, stock_picking_batch installed. Default true. */
  apps?: boolean;
  /** OCA queue_job installed. Default true. */
  queueJob?: boolean;
  /** The project's addon (logistics.label.event) installed. Default true; needs the apps. */
  labelEvents?: boolean;
}

/** Deliveries already days late at creation: the supplier backlog a real warehouse always has. */
const INITIAL_LATE_DELIVERIES = 6;

/**
 * The demo Odoo's data: a seasonal logistics workload simulated minute by minute from a seed. Creating it
 * backfills `backfillHours` of history; `advanceTo` then follows the wall clock, so every sample sees a world that
 * has moved on as a real one would (new orders, waves, shipments, cron runs, mail and job queues).
 */
export class DemoWorld {
  readonly db: Database;
  readonly #sim: Simulation;
  readonly #processes: Process[];

  constructor(options: WorldOptions) {
    const apps = options.apps ?? true;
    const start = options.now.getTime() - (options.backfillHours ?? 48) * HOUR;
    this.db = new Database({ apps, queueJob: options.queueJob ?? true, labelEvents: options.labelEvents ?? true }, start - 90 * DAY);
    this.#sim = new Simulation(this.db, seededRandom(options.seed ?? 1), start);
    const mailer = new Mailer(this.#sim);
    const jobs = new JobQueue(this.#sim);
    const crons = new CronWorker(this.#sim, { "Mail: Email Queue Manager": (t) => mailer.processQueue(t) });
    this.#processes = [crons, mailer, jobs];
    if (apps) {
      // DHL's label API has been failing one request in three since the day before start, until 3 h after it.
      const present = (options.labelIncidentAt ?? options.now).getTime();
      const warehouse = new Warehouse(this.#sim, mailer, jobs, { carrier: "DHL Express", from: present - 20 * HOUR, to: present + 3 * HOUR, failure: 0.35 });
      const sales = new SalesDesk(this.#sim, warehouse, mailer, jobs);
      warehouse.seedBacklog((t) => sales.createConfirmed(t), INITIAL_LATE_DELIVERIES);
      this.#processes.unshift(sales, warehouse);
    }
    this.advanceTo(options.now);
  }

  /** Simulates up to `now` (whole minutes); a time in the past is a no-op, the world never goes back. */
  advanceTo(now: Date): void {
    this.#sim.runUntil(now.getTime(), this.#processes);
  }

  /** The first minute not yet simulated: everything before it has happened. */
  get clock(): Date {
    return new Date(this.#sim.clock);
  }
}
