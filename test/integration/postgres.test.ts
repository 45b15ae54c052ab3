import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { PostgresCollector } from "../../server/collectors/postgres/collector.ts";
import { Secret } from "../../server/config/secret.ts";
import type { Reading } from "../../server/sli/sample.ts";

/**
 * The PostgreSQL collector on a real server, connected as a pg_monitor role (never a superuser), while a real
 * transaction holds a row lock and a second session waits on it.
 */
const adminUrl = process.env.TEST_PG_URL;
if (!adminUrl) console.log("# postgres collector suite: NOT RUN (TEST_PG_URL unset; `npm test` starts a server)");

const DB = `lo_tenant_${process.pid}`;
const urlFor = (base: string, db: string, user?: string, password?: string) => {
  const u = new URL(base);
  u.pathname = `/${db}`;
  if (user) {
    u.username = user;
    u.password = password ?? "";
  }
  return u.toString();
};

describe("PostgreSQL collector on a real server", { skip: adminUrl ? false : "TEST_PG_URL unset" }, () => {
  const clients: pg.Client[] = [];
  let collector: PostgresCollector;
  let holder: pg.Client;
  let waiter: pg.Client;
  let waiting: Promise<unknown>;

  const connect = async (url: string) => {
    const c = new pg.Client({ connectionString: url });
    c.on("error", () => {});
    await c.connect();
    clients.push(c);
    return c;
  };

  before(async () => {
    const admin = await connect(adminUrl!);
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.query(`CREATE DATABASE ${DB}`);
    await admin.query(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lo_monitor') THEN CREATE ROLE lo_monitor LOGIN PASSWORD 'monitor-pw'; END IF; END $$`);
    await admin.query("GRANT pg_monitor TO lo_monitor");
    const tenantDb = await connect(urlFor(adminUrl!, DB));
    await tenantDb.query("CREATE TABLE stock_picking (id int PRIMARY KEY, state text); INSERT INTO stock_picking VALUES (1, 'assigned')");
    holder = await connect(urlFor(adminUrl!, DB));
    waiter = await connect(urlFor(adminUrl!, DB));
    await holder.query("BEGIN; UPDATE stock_picking SET state = 'done' WHERE id = 1");
    waiting = waiter.query("UPDATE stock_picking SET state = 'cancel' WHERE id = 1").catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    collector = new PostgresCollector(
      { url: new Secret(urlFor(adminUrl!, "postgres", "lo_monitor", "monitor-pw")), tenantDatabases: {}, longRunningSeconds: 300, statementTimeoutMs: 5000, topStatements: 5 },
      new Map([[DB, "tenant-a"]]),
    );
  });

  after(async () => {
    await holder?.query("ROLLBACK").catch(() => {});
    await waiting;
    await collector?.close();
    for (const c of clients.reverse()) await c.end().catch(() => {});
    const admin = new pg.Client({ connectionString: adminUrl! });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  });

  const value = (rs: Reading[], sli: string, tenant?: string, labels?: Record<string, string>) =>
    rs.find((r) => r.sli === sli && (tenant === undefined || r.tenant === tenant) && (!labels || JSON.stringify(r.labels) === JSON.stringify(labels)));

  test("a row lock held by an idle-in-transaction session: waiting session, blocking chain, wait age", async () => {
    const rs = await collector.collect({ now: new Date(), signal: new AbortController().signal });
    assert.equal(value(rs, "pg_lock_waiting_sessions", "tenant-a")!.value, 1);
    assert.ok(value(rs, "pg_lock_oldest_wait_seconds", "tenant-a")!.value! > 0.1, "wait age");
    assert.equal(value(rs, "pg_blocking_sessions")!.value, 1);
    assert.equal(value(rs, "pg_blocking_chain_depth")!.value, 1);
    assert.equal(value(rs, "pg_idle_in_transaction_sessions", "tenant-a")!.value, 1);
    const d = collector.details()!;
    const holderPid = (await holder.query("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
    // holder is in a transaction: asking its pid above runs inside it, which keeps it idle in transaction after
    assert.deepEqual(d.blocking.heads, [holderPid]);
    assert.equal(d.blocking.waits[0]!.tenant, "tenant-a");
  });

  test("connections per database match pg_stat_activity", async () => {
    const rs = await collector.collect({ now: new Date(), signal: new AbortController().signal });
    const admin = clients[0]!;
    const truth = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`, [DB])).rows[0].n;
    const counted = rs.filter((r) => r.sli === "pg_connections" && r.tenant === "tenant-a").reduce((s, r) => s + (r.value ?? 0), 0);
    assert.equal(counted, truth);
    assert.ok(truth >= 3);
    const share = value(rs, "pg_tenant_share", "tenant-a", { resource: "lock_waits" });
    assert.equal(share!.value, 1, "tenant-a holds every lock wait");
  });

  test("rates come on the second cycle; the monitor role needs no superuser", async () => {
    const rs = await collector.collect({ now: new Date(Date.now() + 1000), signal: new AbortController().signal });
    assert.ok(value(rs, "pg_commits_per_second", "tenant-a")!.value! >= 0);
    const admin = clients[0]!;
    assert.equal((await admin.query("SELECT rolsuper FROM pg_roles WHERE rolname = 'lo_monitor'")).rows[0].rolsuper, false);
  });
});

/**
 * pg_stat_statements created in the monitored database but not preloaded (a common install): reading it fails,
 * and once that failure took the whole collector down. Only statement time may go missing, saying why.
 */
describe("PostgreSQL collector without pg_stat_statements preloaded", { skip: adminUrl ? false : "TEST_PG_URL unset" }, () => {
  let url: string;
  before(() => {
    url = execFileSync("scripts/dev/postgres.sh", ["start"], { encoding: "utf8", env: { ...process.env, TEST_PG_PRELOAD: "" } }).trim();
  });
  after(() => {
    if (url) execFileSync("scripts/dev/postgres.sh", ["stop", url]);
  });

  test("the other signals are read; statement time is missing with the reason", async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("CREATE EXTENSION pg_stat_statements");
    await admin.end();
    const collector = new PostgresCollector({ url: new Secret(url), tenantDatabases: { postgres: "acme" }, longRunningSeconds: 300, statementTimeoutMs: 5000, topStatements: 10 }, new Map());
    try {
      const readings = await collector.collect({ now: new Date(), signal: AbortSignal.timeout(10_000) });
      const statement = readings.find((r) => r.sli === "pg_statement_time_per_second" && r.tenant === "acme");
      assert.match(statement?.missing ?? "", /^pg_stat_statements cannot be read: .*shared_preload_libraries/);
      assert.ok(readings.some((r) => r.sli === "pg_connections_used_ratio" && typeof r.value === "number"), "connections are still read");
      assert.ok(readings.some((r) => r.sli === "pg_lock_waiting_sessions" && r.value === 0), "locks are still read");
    } finally {
      await collector.close?.();
    }
  });
});
