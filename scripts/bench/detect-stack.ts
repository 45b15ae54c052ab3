/**
 * The stack the detection benchmark samples: a real PostgreSQL (the monitored server, with a tenant database
 * and a neighbour's), a real Redis, a real TLS endpoint, this host's /proc, backup events, and the demo Odoo
 * simulator on an accelerated clock. Each round is one run of every collector at the next simulated interval,
 * judged by the real pipeline (store on its own PostgreSQL, SLO tracker, evaluator).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { Redis } from "ioredis";
import pg from "pg";
import { AlertEvaluator } from "../../server/alerts/evaluator.ts";
import { buildCollectors } from "../../server/app/collectors.ts";
import type { Collector } from "../../server/collectors/collector.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo, type DemoOdoo } from "../../server/demo/server.ts";
import { Objectives } from "../../server/sli/objectives.ts";
import { stamp } from "../../server/sli/sample.ts";
import { SloTracker } from "../../server/slo/tracker.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

export const MINUTE = 60_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

export function dbUrl(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A self-signed certificate valid for `days`, made by openssl. */
export function certificate(dir: string, days: number): { key: string; cert: string } {
  const key = join(dir, `key-${days}.pem`);
  const cert = join(dir, `cert-${days}.pem`);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", String(days), "-subj", "/CN=localhost"], { stdio: "ignore" });
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
}

/** The servers that live for the whole benchmark: monitored PostgreSQL, Redis, a TLS endpoint. */
export interface Servers {
  pgUrl: string;
  storePgUrl: string;
  redisUrl: string;
  redis: Redis;
  tlsPort: number;
  setCertificate(days: number): void;
  dir: string;
  close(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const pgUrl = process.env.TEST_PG_URL;
  if (!pgUrl) throw new Error("TEST_PG_URL is unset: run through `npm run bench:detect` (scripts/dev/postgres.sh run starts the monitored PostgreSQL)");
  // The store on a server of its own: its writes must not be the monitored server's noisy neighbour.
  const storePgUrl = execFileSync("scripts/dev/postgres.sh", ["start"], { encoding: "utf8" }).trim();
  for (const db of ["demo", "lo_neighbour"]) await sql(pgUrl, `CREATE DATABASE ${db}`);
  await sql(dbUrl(pgUrl, "demo"), "CREATE TABLE dispatch_rows (id int PRIMARY KEY, n int NOT NULL); INSERT INTO dispatch_rows VALUES (1, 0), (2, 0)");
  const redisPort = await freePort();
  const redisServer: ChildProcess = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  for (let i = 0; !(await listening(redisPort)); i++) {
    if (i > 100) throw new Error(`redis-server did not start on port ${redisPort}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await redis.ping();
  const dir = mkdtempSync(join(tmpdir(), "lo-bench-detect-"));
  const certs = { long: certificate(dir, 90), short: certificate(dir, 5) };
  const server = tls.createServer({ ...certs.long }, (socket) => socket.end());
  const tlsPort = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  return {
    pgUrl, storePgUrl, redisUrl, redis, tlsPort, dir,
    setCertificate: (days) => server.setSecureContext(days < 30 ? certs.short : certs.long),
    async close() {
      redis.disconnect();
      redisServer.kill();
      server.close();
      execFileSync("scripts/dev/postgres.sh", ["stop", storePgUrl], { stdio: "ignore" });
    },
  };
}

/** One scenario's backend: a fresh store, a demo Odoo on the simulated clock, every collector, the evaluator. */
export interface Stack {
  store: Store;
  demo: DemoOdoo;
  evaluator: AlertEvaluator;
  /** Runs every collector once at the next simulated interval and evaluates each run. */
  round(): Promise<void>;
  now(): number;
  intervalMs: number;
  close(): Promise<void>;
}

let stacks = 0;

export async function startStack(servers: Servers, opts: { start: number; intervalMs: number; seed?: number; targets?: Record<string, number> }): Promise<Stack> {
  const storeDb = `lo_detect_store_${++stacks}`;
  await sql(servers.storePgUrl, `CREATE DATABASE ${storeDb}`);
  const store = await openStore({ url: dbUrl(servers.storePgUrl, storeDb) });
  await store.migrate();
  let now = opts.start;
  // No carrier outage at start: the scenarios bring their own faults.
  const demo = await startDemoOdoo({ seed: opts.seed ?? 7, now: () => new Date(now), labelIncidentAt: new Date(opts.start - 40 * 86_400_000) });
  const file = join(servers.dir, `config-${stacks}.json`);
  writeFileSync(file, JSON.stringify({
    port: 0, apiToken: "bench-detect-token-0123456789", dataDir: servers.dir,
    tenants: [{ name: "demo", url: demo.url, db: demo.db, user: demo.user, password: demo.password, timeoutMs: 10_000 }],
    // A one-hour window: the rolling SLIs (label failure ratio) follow a fault within minutes.
    sampling: { intervalSeconds: opts.intervalMs / 1000, windowHours: 1 },
    sources: {
      postgres: { url: servers.pgUrl },
      redis: { url: servers.redisUrl },
      host: { mounts: ["/"] },
      tls: { endpoints: [{ name: "odoo", host: "127.0.0.1", port: servers.tlsPort, servername: "localhost" }] },
    },
    alerts: { recipients: ["ops@example.com"], repeatMinutes: 0 },
    targets: opts.targets ?? {},
  }));
  const config = loadConfig({}, file);
  const slo = new SloTracker(store.slo, new Objectives(config.targets, config.slo), { calendar: [], offsetMinutes: () => 0 });
  await slo.restore(new Date(now));
  const collectors: Collector[] = buildCollectors(config, config.tenants, store).all;
  let failing: Array<{ tenant: string; source: string }> = [];
  const evaluator = new AlertEvaluator(store, slo, {
    forSeconds: config.alerts.forSeconds, intervalSeconds: opts.intervalMs / 1000, recipients: config.alerts.recipients, repeatMinutes: 0,
    anomalyThreshold: config.alerts.anomalyThreshold, channelOf: () => "smtp", redisTenants: [], tenants: ["demo"],
  }, () => failing);
  return {
    store, demo, evaluator, intervalMs: opts.intervalMs,
    now: () => now,
    async round() {
      now += opts.intervalMs;
      const at = new Date(now);
      const failed: typeof failing = [];
      for (const c of collectors) {
        let readings: Awaited<ReturnType<Collector["collect"]>> = [];
        let ok = true;
        try {
          readings = await c.collect({ now: at, signal: AbortSignal.timeout(20_000) });
        } catch {
          ok = false;
          failed.push({ tenant: c.tenant, source: c.source });
        }
        failing = [...failed];
        const samples = readings.map((r) => stamp(c.tenant, c.source, at, r));
        if (ok) await store.recordRun(c.tenant, c.source, samples);
        await evaluator.evaluate({ tenant: c.tenant, source: c.source, ok, durationSeconds: 0, finishedAt: at, samples });
      }
    },
    async close() {
      await demo.close();
      await store.close();
    },
  };
}
