/**
 * The faults of the detection benchmark, one family each, injected on the real servers (PostgreSQL locks and
 * connections, a Redis memory squeeze, CPU burners, a short-lived certificate, a failed backup event) or in the
 * demo Odoo's data (label failures, a failing cron, failed mail, a backlog, a module upgrade), as each happens in
 * production. Each says which signals show it and what its true cause is.
 */
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import type { RankedCause } from "../../server/detect/rank-causes.ts";
import { dbUrl, type Servers, type Stack } from "./detect-stack.ts";

export interface Scenario {
  name: string;
  /** Signals of the fault; an incident holding one of them is its detection. */
  slis: readonly string[];
  /** Whether a ranked cause names the true cause. */
  truth: (c: RankedCause) => boolean;
  inject(s: Stack, servers: Servers): Promise<void>;
  /** Called before every round while the fault lasts (faults that keep producing data). */
  during?(s: Stack, servers: Servers, round: number): Promise<void> | void;
  clear(s: Stack, servers: Servers): Promise<void>;
}

const odooStamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

function labelEvents(s: Stack, carrier: string, ok: number, failed: number): void {
  const db = s.demo.world.db;
  const at = s.now() + 30_000;
  for (let i = 0; i < ok + failed; i++) {
    const success = i >= failed;
    db.create("logistics.label.event", {
      picking_ref: 1, picking_name: "WH/OUT/BENCH", carrier_ref: 1, carrier_name: carrier, delivery_type: "ups_rest", duration: 1.2, success,
      error_class: success ? false : "UserError", error_message: success ? false : `${carrier}: label service unavailable (HTTP 503)`,
    }, at);
  }
}

function failingCron(s: Stack, name: string) {
  return s.demo.world.db.create("ir.cron", {
    name, cron_name: name, active: true, interval_number: 5, interval_type: "minutes", priority: 5,
    nextcall: odooStamp(s.now() + 3_600_000), lastcall: odooStamp(s.now()), failure_count: 3, first_failure_date: odooStamp(s.now()),
  }, s.now())!;
}

let held: pg.Client[] = [];
let burners: ChildProcess[] = [];

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => {});
  await c.connect();
  return c;
}

async function releaseAll(): Promise<void> {
  for (const c of held) await c.end().catch(() => {});
  held = [];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "carrier label outage (UPS)",
    slis: ["label_failure_ratio"],
    truth: (c) => c.layer === "integration" && c.subject.includes("UPS Standard"),
    async inject() {},
    during: (s) => labelEvents(s, "UPS Standard", 4, 12),
    async clear() {},
  },
  {
    name: "row-lock contention",
    slis: ["pg_lock_waiting_sessions", "pg_lock_oldest_wait_seconds", "pg_blocking_sessions", "late_open_waves"],
    truth: (c) => c.layer === "database" && /lock|blocking/i.test(c.subject),
    async inject(s, servers) {
      const holder = await connect(dbUrl(servers.pgUrl, "demo"));
      await holder.query("BEGIN");
      await holder.query("UPDATE dispatch_rows SET n = n + 1 WHERE id = 1");
      held.push(holder);
      for (let i = 0; i < 6; i++) {
        const waiter = await connect(dbUrl(servers.pgUrl, "demo"));
        held.push(waiter);
        void waiter.query("UPDATE dispatch_rows SET n = n + 1 WHERE id = 1").catch(() => {});
      }
    },
    // What the locks do to Odoo: validations wait, the waves run late (the simulator does not lock rows itself).
    during(s, _servers, round) {
      if (round !== 1) return;
      s.demo.world.db.create("stock.picking.batch", {
        name: "WAVE/BENCH", state: "in_progress", is_wave: true, picking_type_code: "outgoing", scheduled_date: odooStamp(s.now() - 30 * 60_000),
      }, s.now());
    },
    async clear(s) {
      await held[0]?.query("ROLLBACK").catch(() => {});
      await releaseAll();
      for (const w of s.demo.world.db.records("stock.picking.batch")) if (w.name === "WAVE/BENCH") s.demo.world.db.write("stock.picking.batch", w, { state: "done" }, s.now());
    },
  },
  {
    name: "another database exhausting connections",
    slis: ["pg_connections_used_ratio", "pg_tenant_share"],
    truth: (c) => (c.layer === "tenant" && c.subject.startsWith("other")) || (c.layer === "database" && /connection/i.test(c.subject)),
    async inject(_s, servers) {
      const probe = await connect(servers.pgUrl);
      const res = await probe.query<{ max: string; used: string }>("SELECT current_setting('max_connections') AS max, (SELECT count(*) FROM pg_stat_activity) AS used");
      await probe.end();
      const target = Math.ceil(Number(res.rows[0]!.max) * 0.9) - Number(res.rows[0]!.used);
      for (let i = 0; i < target; i++) held.push(await connect(dbUrl(servers.pgUrl, "lo_neighbour")));
    },
    clear: releaseAll,
  },
  {
    name: "failing scheduled job",
    slis: ["cron_failing_jobs"],
    truth: (c) => c.layer === "application" && /scheduled jobs/i.test(c.subject),
    async inject(s) {
      failingCron(s, "Carrier: sync tracking numbers");
    },
    async clear(s) {
      for (const c of s.demo.world.db.records("ir.cron")) if (c.name === "Carrier: sync tracking numbers") s.demo.world.db.write("ir.cron", c, { failure_count: 0, first_failure_date: false }, s.now());
    },
  },
  {
    name: "Redis memory squeeze",
    slis: ["redis_memory_used_ratio", "redis_evicted_keys_per_second"],
    truth: (c) => c.layer === "cache" && /redis/i.test(c.subject),
    async inject(_s, { redis }) {
      for (let i = 0; i < 200; i++) await redis.set(`bench:fill:${i}`, "x".repeat(10_000));
      const used = Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]);
      await redis.config("SET", "maxmemory", String(Math.ceil(used * 1.03)));
    },
    // The fix a user makes: the limit removed. Its ratio then goes missing, which must not keep the alert firing.
    async clear(_s, { redis }) {
      await redis.config("SET", "maxmemory", "0");
    },
  },
  {
    name: "CPU saturation",
    slis: ["host_cpu_used_ratio", "host_load1_per_cpu", "host_pressure_ratio"],
    truth: (c) => c.layer === "host" && /cpu|load|pressure/i.test(c.subject),
    async inject() {
      for (let i = 0; i < 3; i++) burners.push(spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
      await new Promise((r) => setTimeout(r, 1500));
    },
    async clear() {
      for (const b of burners) b.kill("SIGKILL");
      burners = [];
    },
  },
  {
    name: "module upgrade, then failures",
    slis: ["cron_failing_jobs"],
    truth: (c) => c.layer === "change",
    async inject(s) {
      // `-u stock` of the same version: Odoo rewrites the installed module's row.
      const db = s.demo.world.db;
      for (const m of db.records("ir.module.module")) if (m.name === "stock") db.write("ir.module.module", m, { state: "installed" }, s.now() + 10_000);
      failingCron(s, "Stock: run dispatch rules");
    },
    async clear(s) {
      for (const c of s.demo.world.db.records("ir.cron")) if (c.name === "Stock: run dispatch rules") s.demo.world.db.write("ir.cron", c, { failure_count: 0, first_failure_date: false }, s.now());
    },
  },
  {
    name: "failed backup",
    slis: ["backup_failing"],
    truth: (c) => c.layer === "backup",
    async inject(s) {
      await s.store.events.append("backup", null, new Date(s.now() + 20_000), { kind: "base", status: "failure", tool: "pgbackrest", error: "archive-push: no space left" });
    },
    async clear(s) {
      await s.store.events.append("backup", null, new Date(s.now() + 20_000), { kind: "base", status: "success", tool: "pgbackrest", size: 5e9 });
    },
  },
  {
    name: "certificate about to expire",
    slis: ["tls_leaf_expiry_days", "tls_chain_expiry_days"],
    truth: (c) => c.layer === "tls",
    async inject(_s, servers) {
      servers.setCertificate(5);
    },
    async clear(_s, servers) {
      servers.setCertificate(90);
    },
  },
  {
    name: "mail server outage",
    slis: ["mail_failed", "mail_outgoing_backlog", "mail_outgoing_oldest_age_seconds"],
    truth: (c) => c.layer === "integration" && /mail server/.test(c.subject),
    async inject() {},
    during(s) {
      for (let i = 0; i < 25; i++) {
        s.demo.world.db.create("mail.mail", {
          subject: "Delivery order confirmation", email_to: "customer@example.com", state: "exception", scheduled_date: false,
          failure_type: "mail_smtp", failure_reason: "[Errno 111] Connection refused", auto_delete: true,
        }, s.now());
      }
    },
    async clear(s) {
      const db = s.demo.world.db;
      for (const m of [...db.records("mail.mail")]) if (m.state === "exception") db.unlink("mail.mail", m.id);
    },
  },
  {
    name: "backlog surge",
    slis: ["ready_backlog"],
    truth: (c) => c.layer === "business" && /surge/.test(c.subject),
    async inject(s) {
      for (let i = 0; i < 400; i++) {
        s.demo.world.db.create("stock.picking", {
          name: `WH/OUT/SURGE${i}`, origin: false, state: "assigned", priority: "0", picking_type_code: "outgoing", date: odooStamp(s.now()),
          scheduled_date: odooStamp(s.now() + 3_600_000), date_deadline: false, has_deadline_issue: false, date_done: false, carrier_id: false,
          carrier_tracking_ref: false, batch_id: false, sale_id: false, backorder_id: false,
        }, s.now());
      }
    },
    async clear(s) {
      const db = s.demo.world.db;
      for (const p of [...db.records("stock.picking")]) if (String(p.name).startsWith("WH/OUT/SURGE")) db.write("stock.picking", p, { state: "done", date_done: odooStamp(s.now()) }, s.now());
    },
  },
];

export async function cleanup(): Promise<void> {
  for (const b of burners) b.kill("SIGKILL");
  await releaseAll();
}
