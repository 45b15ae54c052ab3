import { odooStamp, type Rec } from "./database.ts";
import { DAY, HOUR, MINUTE, SECOND, type Process, type Simulation } from "./simulation.ts";

/** How one OCA queue_job channel drains: its runner capacity changes during the day, so its backlog does too. */
interface Channel {
  name: string;
  /** Median execution time, seconds. */
  execSeconds: number;
  failureRatio: number;
  /** Mean number of jobs the runner starts in the minute starting at `minute`. */
  capacity(minute: number): number;
}

/**
 * root.carrier calls the carriers' APIs: normally ~6 jobs a minute (0.1 when slow), but the carrier API is slow every afternoon
 * (14:30-16:00 UTC, right in the dispatch peak), so a backlog builds and drains. root.edi is sent to the EDI
 * partner in batches every 15 minutes (a sawtooth backlog), plus a large nightly stock-level import at 01:00.
 */
const CHANNELS: readonly Channel[] = [
  {
    name: "root.carrier",
    execSeconds: 2.5,
    failureRatio: 0.01,
    capacity(minute) {
      const h = new Date(minute).getUTCHours() + new Date(minute).getUTCMinutes() / 60;
      return h >= 14.5 && h < 16 ? 0.1 : 6;
    },
  },
  {
    name: "root.edi",
    execSeconds: 1.2,
    failureRatio: 0.003,
    capacity: (minute) => ((minute / MINUTE) % 15 === 0 ? 40 : 0),
  },
];

const NIGHTLY_IMPORT_JOBS = 150;
/** queue_job's autovacuum keeps done jobs 30 days by default; the demo keeps one to bound its memory. */
const KEEP_DONE = DAY;

/**
 * OCA queue.job rows and the job runner. Jobs go pending -> started -> done, or failed (an admin requeues those
 * after some hours). Without queue_job installed, enqueue is a no-op, as the modules that enqueue jobs would not
 * be there either.
 */
export class JobQueue implements Process {
  readonly #pending = new Map<string, Rec[]>(CHANNELS.map((c) => [c.name, []]));
  readonly #enabled: boolean;
  #uuid = 0;

  constructor(private readonly sim: Simulation) {
    this.#enabled = sim.db.has("queue.job");
  }

  /** Creates a pending job at `t`. */
  enqueue(channel: string, name: string, model: string, method: string, t: number): void {
    if (!this.#enabled) return;
    const job = this.sim.db.create("queue.job", {
      uuid: this.#nextUuid(), name, channel, state: "pending", priority: 10, model_name: model, method_name: method,
      date_created: odooStamp(t), date_enqueued: false, date_started: false, date_done: false, exec_time: 0,
      retry: 0, max_retries: 5, exc_name: false, exc_message: false,
    }, t);
    if (job) this.#pending.get(channel)!.push(job);
  }

  tick(minute: number): void {
    if (!this.#enabled) return;
    const { rng } = this.sim;
    const d = new Date(minute);
    if (d.getUTCHours() === 1 && d.getUTCMinutes() === 0) {
      for (let i = 1; i <= NIGHTLY_IMPORT_JOBS; i++) {
        this.sim.at(minute + i * 200, (t) => this.enqueue("root.edi", `EDI: import stock levels (part ${i})`, "stock.quant", "_edi_import_levels", t));
      }
    }
    if (d.getUTCMinutes() === 30) this.#vacuum(minute);
    for (const channel of CHANNELS) {
      const queue = this.#pending.get(channel.name)!;
      const mean = channel.capacity(minute);
      const slots = mean >= 20 ? Math.round(mean) : rng.poisson(mean);
      for (const job of queue.splice(0, slots)) {
        this.sim.at(minute + rng.uniform(0, 59) * SECOND, (t) => this.#run(job, channel, t));
      }
    }
  }

  #run(job: Rec, channel: Channel, t: number): void {
    const { db, rng } = this.sim;
    db.write("queue.job", job, { state: "started", date_enqueued: odooStamp(t - 400), date_started: odooStamp(t) }, t);
    const exec = rng.logNormal(channel.execSeconds, 0.6);
    this.sim.at(t + exec * SECOND, (end) => {
      if (rng.chance(channel.failureRatio)) {
        db.write("queue.job", job, {
          state: "failed", exec_time: exec, exc_name: "requests.exceptions.ReadTimeout",
          exc_message: "HTTPSConnectionPool: Read timed out. (read timeout=30)",
        }, end);
        this.sim.at(end + rng.logNormal(6 * HOUR, 0.5), (at) => this.#requeue(job, channel, at));
        return;
      }
      db.write("queue.job", job, { state: "done", date_done: odooStamp(end), exec_time: Math.round(exec * 1000) / 1000 }, end);
    });
  }

  /** An admin's "Requeue": back to pending, keeping date_created, so the wait shows in the backlog's age. */
  #requeue(job: Rec, channel: Channel, t: number): void {
    if (job.state !== "failed") return;
    this.sim.db.write("queue.job", job, { state: "pending", retry: Number(job.retry) + 1, exc_name: false, exc_message: false, date_started: false }, t);
    this.#pending.get(channel.name)!.push(job);
  }

  #vacuum(minute: number): void {
    const limit = odooStamp(minute - KEEP_DONE);
    for (const job of [...this.sim.db.records("queue.job")]) {
      if (job.state === "done" && String(job.date_done) < limit) this.sim.db.unlink("queue.job", job.id);
    }
  }

  #nextUuid(): string {
    const n = (++this.#uuid).toString(16).padStart(12, "0");
    const r = () => Math.floor(this.sim.rng.next() * 0x10000).toString(16).padStart(4, "0");
    return `${r()}${r()}-${r()}-4${r().slice(1)}-a${r().slice(1)}-${n}`;
  }
}
