/**
 * The PostgreSQL collector's own cost on the monitored server, beside the baseline users already run:
 * prometheus-postgres-exporter (Debian's package) with its default collectors, scraped once per cycle, on the same
 * database in the same run. Each side connects as its own pg_monitor role; pg_stat_statements gives the
 * execution time each role cost the server. Goal: ratio (ours / exporter) at most 1.0.
 *   npm run bench:collectors [-- --cycles 30 --databases 8]
 */
import { spawn, execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import pg from "pg";
import { PostgresCollector } from "../../server/collectors/postgres/collector.ts";
import { Secret } from "../../server/config/secret.ts";

const { values } = parseArgs({ options: { cycles: { type: "string", default: "30" }, databases: { type: "string", default: "8" } } });
const CYCLES = Number(values.cycles);
const DATABASES = Number(values.databases);
const EXPORTER = "/usr/bin/prometheus-postgres-exporter";
const EXPORTER_PORT = 19187;

const adminUrl = process.env.TEST_PG_URL ?? execFileSync("scripts/dev/postgres.sh", ["start"], { encoding: "utf8" }).trim();
const withUser = (user: string, db = "postgres") => {
  const u = new URL(adminUrl);
  u.username = user;
  u.password = "bench";
  u.pathname = `/${db}`;
  return u.toString();
};

async function sql(text: string, db = "postgres"): Promise<pg.QueryResult> {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/** Tenant databases shaped like small Odoo databases: many tables, some rows, some activity. */
async function prepare(): Promise<void> {
  await sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  for (const role of ["lo_bench_ours", "lo_bench_exporter"]) {
    await sql(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN PASSWORD 'bench'; END IF; END $$`);
    await sql(`GRANT pg_monitor TO ${role}`);
  }
  const existing = new Set((await sql("SELECT datname FROM pg_database")).rows.map((r) => r.datname));
  for (let i = 1; i <= DATABASES; i++) {
    const db = `lo_bench_tenant_${i}`;
    if (existing.has(db)) continue;
    await sql(`CREATE DATABASE ${db}`);
    const tables = Array.from({ length: 60 }, (_, t) => `CREATE TABLE t${t} (id serial PRIMARY KEY, state text, write_date timestamp DEFAULT now()); INSERT INTO t${t} (state) SELECT 'done' FROM generate_series(1, 200);`).join("\n");
    await sql(tables, db);
  }
}

async function startExporter(): Promise<() => void> {
  const child = spawn(EXPORTER, [`--web.listen-address=127.0.0.1:${EXPORTER_PORT}`], {
    env: { ...process.env, DATA_SOURCE_NAME: `${withUser("lo_bench_exporter")}?sslmode=disable` },
    stdio: "ignore",
  });
  for (let i = 0; i < 50; i++) {
    if (await fetch(`http://127.0.0.1:${EXPORTER_PORT}/metrics`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return () => child.kill();
}

async function costByRole(): Promise<Map<string, { ms: number; calls: number }>> {
  const rows = (await sql(`SELECT r.rolname, sum(s.total_exec_time)::float8 AS ms, sum(s.calls)::float8 AS calls
    FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname IN ('lo_bench_ours', 'lo_bench_exporter') GROUP BY r.rolname`)).rows;
  return new Map(rows.map((r) => [r.rolname, { ms: r.ms, calls: r.calls }]));
}

const fmt = (n: number, d = 2) => n.toFixed(d);

async function main(): Promise<void> {
  await prepare();
  const tenants = new Map(Array.from({ length: DATABASES }, (_, i) => [`lo_bench_tenant_${i + 1}`, `tenant-${i + 1}`]));
  const collector = new PostgresCollector({ url: new Secret(withUser("lo_bench_ours")), tenantDatabases: {}, longRunningSeconds: 300, statementTimeoutMs: 5000, topStatements: 10 }, tenants);
  const stopExporter = await startExporter();
  try {
    // Warm both sides (connections, catalog caches, the collector's first-cycle text fetch), then measure.
    await collector.collect({ now: new Date(), signal: new AbortController().signal });
    await (await fetch(`http://127.0.0.1:${EXPORTER_PORT}/metrics`)).text();
    await sql("SELECT pg_stat_statements_reset()");
    let oursWall = 0;
    let exporterWall = 0;
    let series = 0;
    for (let i = 0; i < CYCLES; i++) {
      let t = performance.now();
      const readings = await collector.collect({ now: new Date(Date.now() + i * 60_000), signal: new AbortController().signal });
      oursWall += performance.now() - t;
      series = readings.length;
      t = performance.now();
      await (await fetch(`http://127.0.0.1:${EXPORTER_PORT}/metrics`)).text();
      exporterWall += performance.now() - t;
    }
    const cost = await costByRole();
    const ours = cost.get("lo_bench_ours") ?? { ms: NaN, calls: NaN };
    const exporter = cost.get("lo_bench_exporter") ?? { ms: NaN, calls: NaN };
    console.log(`PostgreSQL collector cost per cycle, ${DATABASES} tenant databases x 60 tables, ${CYCLES} cycles (pg_stat_statements by role)`);
    console.log(`                              server exec ms/cycle  statements/cycle  wall ms/cycle`);
    console.log(`  ours (${series} series)          ${fmt(ours.ms / CYCLES).padStart(10)}  ${fmt(ours.calls / CYCLES, 1).padStart(16)}  ${fmt(oursWall / CYCLES).padStart(13)}`);
    console.log(`  postgres_exporter defaults ${fmt(exporter.ms / CYCLES).padStart(10)}  ${fmt(exporter.calls / CYCLES, 1).padStart(16)}  ${fmt(exporterWall / CYCLES).padStart(13)}`);
    console.log(`ratio ours/exporter: server time ${fmt(ours.ms / exporter.ms)} (goal <= 1.0), statements ${fmt(ours.calls / exporter.calls)}`);
  } finally {
    stopExporter();
    await collector.close();
  }
}

if (!(await import("node:fs")).existsSync(EXPORTER)) {
  console.log(`bench:collectors: NOT RUN (${EXPORTER} missing: apt-get install prometheus-postgres-exporter)`);
} else {
  await main();
}
