/**
 * What sampling costs, per tenant and per cycle, for 1, 10 and 50 simulated tenants, and on a real Odoo when
 * ODOO_URL is set; each measured against a baseline in the same run: the same collector without its incremental
 * state (a fresh store every cycle), i.e. re-reading the whole window each time, as a first version would.
 * The measured sampler stores into PostgreSQL when BENCH_STORE_URL is set (the test server by default), so that
 * RSS per tenant is the sampler's own and not the embedded store's arena.
 *   npm run bench:sampler [-- --cycles 3 --tenants 1,10,50]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";
import { BusinessCollector } from "../../server/collectors/business/index.ts";
import { loadConfig, type Tenant } from "../../server/config/load.ts";
import { Secret } from "../../server/config/secret.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

const { values } = parseArgs({ options: { cycles: { type: "string", default: "3" }, tenants: { type: "string", default: "1,10,50" }, "rss-child": { type: "boolean" } } });
const CYCLES = Number(values.cycles);
const WINDOW = 24 * 3600;

interface Figures {
  rpcs: number;
  wallMs: number;
  cpuMs: number;
}

/** A sampler whose collectors keep (ours) or lose (baseline) their incremental state between cycles. */
class Sampler {
  #stores: Store[] = [];
  #collectors: BusinessCollector[] = [];

  constructor(
    private readonly tenants: Tenant[],
    private readonly incremental: boolean,
    private readonly batch = true,
  ) {}

  /** Opens the store before anything is measured: PGlite's own memory is not a per-tenant cost. */
  async open(): Promise<void> {
    if (!this.#collectors.length) await this.fresh();
  }

  private async fresh(): Promise<void> {
    await Promise.all(this.#stores.map((s) => s.close()));
    const shared = await openStore(this.incremental && process.env.BENCH_STORE_URL ? { url: process.env.BENCH_STORE_URL } : { inMemory: true });
    this.#stores = [shared];
    this.#collectors = this.tenants.map((t) => new BusinessCollector(t, shared, { windowSeconds: WINDOW, batch: this.batch }));
  }

  /** One cycle over every tenant at once; returns RPCs, wall and CPU time per tenant. */
  async cycle(): Promise<Figures> {
    if (!this.#collectors.length) await this.fresh();
    else if (!this.incremental) {
      // The baseline forgets its cursors and facts but keeps its logged-in connections (no unfair login cost).
      const clients = this.#collectors;
      const store = await openStore({ inMemory: true });
      await Promise.all(this.#stores.map((s) => s.close()));
      this.#stores = [store];
      this.#collectors = clients.map((c) => c.withStore(store));
    }
    const before = this.#collectors.map((c) => c.rpcCount);
    const cpu = process.cpuUsage();
    const t = performance.now();
    const now = new Date();
    await Promise.all(this.#collectors.map((c) => c.collect({ now, signal: new AbortController().signal })));
    const wallMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const rpcs = this.#collectors.reduce((s, c, i) => s + c.rpcCount - before[i]!, 0) / this.tenants.length;
    return { rpcs, wallMs, cpuMs: (used.user + used.system) / 1000 / this.tenants.length };
  }

  async close(): Promise<void> {
    await Promise.all(this.#stores.map((s) => s.close()));
  }
}

async function measure(tenants: Tenant[], incremental: boolean): Promise<Figures> {
  const sampler = new Sampler(tenants, incremental);
  await sampler.open();
  await sampler.cycle(); // warm-up: logins, module detection, first window backfill
  const runs: Figures[] = [];
  for (let i = 0; i < CYCLES; i++) runs.push(await sampler.cycle());
  await sampler.close();
  const avg = (k: keyof Figures) => runs.reduce((s, r) => s + r[k], 0) / runs.length;
  return { rpcs: avg("rpcs"), wallMs: avg("wallMs"), cpuMs: avg("cpuMs") };
}

const row = (label: string, f: Figures & { rssMb?: number }, extra = "") =>
  `  ${label.padEnd(26)} ${f.rpcs.toFixed(1).padStart(8)} ${f.wallMs.toFixed(0).padStart(10)} ${f.cpuMs.toFixed(1).padStart(10)} ${(f.rssMb ?? NaN).toFixed(2).padStart(9)} ${extra}`;
const HEADER = `  ${"".padEnd(26)} ${"RPCs/t".padStart(8)} ${"wall ms".padStart(10)} ${"CPU ms/t".padStart(10)} ${"RSS MB/t".padStart(9)}`;

/**
 * Resident memory per tenant: a fresh process samples N tenants for a few cycles, another samples none; the
 * difference over N is what one more tenant costs (a shared process's RSS only moves in arena steps).
 */
async function rssPerTenant(addressesJson: string, n: number): Promise<number> {
  const rssOf = async (json: string) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/sampler.ts", "--rss-child"], { env: { ...process.env, BENCH_FLEET: json }, stdio: ["ignore", "pipe", "inherit"] });
    const [out] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
    return Number(out);
  };
  const [withTenants, without] = [await rssOf(addressesJson), await rssOf("[]")];
  if (!process.env.BENCH_STORE_URL) console.log("  (RSS with the embedded store: PGlite's arena dominates; set BENCH_STORE_URL for a per-tenant figure)");
  return (withTenants - without) / 1024 / 1024 / n;
}

/** Child mode: sample the fleet in BENCH_FLEET (maybe none) for warm-up plus CYCLES cycles, print RSS. */
async function rssChild(): Promise<never> {
  const tenants = fleetTenants(JSON.parse(process.env.BENCH_FLEET ?? "[]"));
  if (process.env.BENCH_STORE_URL) process.env.BENCH_STORE_URL = await freshDatabase(process.env.BENCH_STORE_URL);
  const sampler = new Sampler(tenants, true);
  await sampler.open();
  if (tenants.length) for (let i = 0; i <= CYCLES; i++) await sampler.cycle();
  console.log(process.memoryUsage().rss);
  process.exit(0);
}

/** A new empty database on the server, so that each measured process starts from the same state. */
async function freshDatabase(url: string): Promise<string> {
  const name = `lo_bench_${process.pid}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name}`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function fleetTenants(addresses: Array<{ url: string; db: string; user: string; password: string }>): Tenant[] {
  return addresses.map((a, i): Tenant => ({ name: `t${i}`, url: a.url, db: a.db, user: a.user, credential: new Secret(a.password), credentialKind: "password", timezone: "UTC", timeoutMs: 30_000, demo: true }));
}

/** Starts a fleet of N simulators in a child process; returns its addresses (as JSON) and a stop function. */
async function fleet(n: number, addon: boolean): Promise<{ json: string; stop(): void }> {
  const args = ["--import", "tsx", "scripts/bench/demo-fleet.ts", String(n), ...(addon ? [] : ["--without-addon"])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const [json] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return { json, stop: () => child.kill("SIGTERM") };
}

async function simulated(counts: number[]): Promise<void> {
  for (const n of counts) {
    const withAddon = await fleet(n, true);
    const snapshot = { ...(await measure(fleetTenants(JSON.parse(withAddon.json)), true)), rssMb: await rssPerTenant(withAddon.json, n) };
    withAddon.stop();
    const plainFleet = await fleet(n, false);
    const plain = await measure(fleetTenants(JSON.parse(plainFleet.json)), true);
    const base = await measure(fleetTenants(JSON.parse(plainFleet.json)), false);
    plainFleet.stop();
    console.log(`${n} simulated tenant(s), ${CYCLES} steady cycles each (per tenant per cycle; wall = the whole cycle)`);
    console.log(HEADER);
    console.log(row("addon: one-call snapshot", snapshot));
    console.log(row("standard calls (no addon)", plain));
    console.log(row("baseline: re-read window", base));
    const r = (a: Figures) => `RPCs ${(a.rpcs / base.rpcs).toFixed(2)}, wall ${(a.wallMs / base.wallMs).toFixed(2)}, CPU ${(a.cpuMs / base.cpuMs).toFixed(2)}`;
    console.log(`  ratio to baseline: snapshot ${r(snapshot)}; standard ${r(plain)}`);
  }
}

/** PostgreSQL execution time Odoo spent for one cycle, from pg_stat_statements on Odoo's database. */
async function pgTime(pgUrl: string, db: string, run: () => Promise<unknown>): Promise<number | string> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    const has = await c.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'").then((r) => r.rowCount, () => 0);
    if (!has) return "n/a (pg_stat_statements not installed in Odoo's database)";
    await c.query("SELECT pg_stat_statements_reset()");
    await run();
    const r = await c.query("SELECT sum(total_exec_time)::float8 AS ms FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1", [db]);
    return r.rows[0]?.ms ?? 0;
  } catch (err) {
    return `n/a (${(err as Error).message})`;
  } finally {
    await c.end();
  }
}

async function realOdoo(): Promise<void> {
  const tenant = loadConfig().tenants[0];
  if (!tenant) {
    console.log("real Odoo: NOT RUN (set ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD, and ODOO_PG_URL for PostgreSQL time)");
    return;
  }
  const pgUrl = process.env.ODOO_PG_URL ?? `postgres://odoo:odoo@127.0.0.1:5432/${tenant.db}`;
  console.log(`real Odoo ${new URL(tenant.url).origin} db ${tenant.db} (PostgreSQL time from pg_stat_statements, median of ${CYCLES})`);
  console.log(HEADER + "  PG ms/cycle");
  const variants: Array<[string, boolean, boolean]> = [
    ["addon: one-call snapshot", true, true],
    ["standard calls", true, false],
    ["baseline: re-read window", false, false],
  ];
  for (const [label, incremental, batch] of variants) {
    const sampler = new Sampler([tenant], incremental, batch);
    await sampler.cycle();
    const figures: Figures[] = [];
    const pgMs: Array<number | string> = [];
    for (let i = 0; i < CYCLES; i++) pgMs.push(await pgTime(pgUrl, tenant.db, async () => figures.push(await sampler.cycle())));
    await sampler.close();
    const avg = (k: keyof Figures) => figures.reduce((s, f) => s + f[k], 0) / figures.length;
    const numeric = pgMs.filter((x): x is number => typeof x === "number").sort((a, b) => a - b);
    const pgFigure = numeric.length ? numeric[Math.floor(numeric.length / 2)]!.toFixed(1) : String(pgMs[0]);
    console.log(row(label, { rpcs: avg("rpcs"), wallMs: avg("wallMs"), cpuMs: avg("cpuMs") }, pgFigure.padStart(11)));
  }
}

if (values["rss-child"]) await rssChild();
await simulated(values.tenants!.split(",").filter(Boolean).map(Number));
await realOdoo();
process.exit(0);
