import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { CapacityCollector } from "../../server/collectors/capacity.ts";
import { HostCollector } from "../../server/collectors/host.ts";
import { PostgresCollector } from "../../server/collectors/postgres/collector.ts";
import { Runner } from "../../server/collectors/runner.ts";
import { capacitySchema } from "../../server/config/capacity-schema.ts";
import { Secret } from "../../server/config/secret.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

/**
 * Capacity on a real PostgreSQL: a tenant database that really grows (rows inserted between cycles), sampled by the
 * real PostgreSQL and host collectors, gives a growth trend, the days until the tenant's quota and until the disk is
 * full, and a monthly cost; an Odoo worker in a transaction is a busy worker. Cycles are an hour apart on the
 * collectors' clock, so that six cycles make six hours of history in seconds.
 */
const adminUrl = process.env.TEST_PG_URL;
if (!adminUrl) console.log("# capacity suite: NOT RUN (TEST_PG_URL unset; `npm test` starts a server)");

const DB = `lo_capacity_${process.pid}`;
const HOUR = 3_600_000;
const urlFor = (db: string) => Object.assign(new URL(adminUrl!), { pathname: `/${db}` }).toString();

describe("capacity and cost on a growing real database", { skip: adminUrl ? false : "TEST_PG_URL unset" }, () => {
  let admin: pg.Client;
  let tenantDb: pg.Client;
  let worker: pg.Client;
  let store: Store;
  let runner: Runner;
  let postgres: PostgresCollector;
  let capacity: CapacityCollector;
  const start = Date.now() - 6 * HOUR;
  const config = capacitySchema.parse({
    tenants: { acme: { workers: 4, cronThreads: 2, storageQuotaBytes: 2e9 } },
    diskMount: "/",
    prices: { currency: "EUR", storageGbMonth: 0.2, connectionMonth: 1, workerMonth: 15 },
  });

  before(async () => {
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.query(`CREATE DATABASE ${DB}`);
    tenantDb = new pg.Client({ connectionString: urlFor(DB) });
    await tenantDb.connect();
    await tenantDb.query("CREATE TABLE stock_move_line (id serial PRIMARY KEY, payload text)");
    store = await openStore({ inMemory: true });
    await store.migrate();
    runner = new Runner(store, undefined, silentLogger(), 30_000);
    postgres = new PostgresCollector({ url: new Secret(adminUrl!), tenantDatabases: {}, longRunningSeconds: 300, statementTimeoutMs: 5000, topStatements: 0 }, new Map([[DB, "acme"]]));
    capacity = new CapacityCollector(config, ["acme"], store, { historyTtlMs: 0 });
    const host = new HostCollector({ procPath: "/proc", cgroupPath: "/sys/fs/cgroup", mounts: ["/"] });
    for (let hour = 0; hour <= 6; hour++) {
      // About 4 MB of rows an hour, as a busy warehouse's move lines would add.
      await tenantDb.query("INSERT INTO stock_move_line (payload) SELECT repeat(md5(g::text), 32) FROM generate_series(1, 3000) g");
      const at = new Date(start + hour * HOUR);
      await runner.run(postgres, at);
      await runner.run(host, at);
    }
  });

  after(async () => {
    await worker?.end().catch(() => {});
    await tenantDb?.end();
    await postgres?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin?.end();
  });

  test("the database's growth, the days until its quota and until the disk is full", async () => {
    const report = await capacity.report(new Date(start + 6 * HOUR));
    const acme = report.tenants[0]!;
    const perHour = acme.storage.growthBytesPerDay! / 24;
    console.log(`# acme: ${(acme.storage.databaseBytes! / 1e6).toFixed(1)} MB, growing ${(acme.storage.growthBytesPerDay! / 1e6).toFixed(1)} MB/day; quota 2 GB in ${acme.storage.daysUntilQuota!.toFixed(1)} days; disk ${report.disk.mount} (${(report.disk.freeBytes! / 1e9).toFixed(1)} GB free) full in ${report.disk.daysUntilFull!.toFixed(0)} days`);
    assert.ok(perHour > 2e6 && perHour < 8e6, `about 4 MB an hour, got ${perHour}`);
    const expected = (2e9 - acme.storage.totalBytes!) / acme.storage.growthBytesPerDay!;
    assert.ok(Math.abs(acme.storage.daysUntilQuota! - expected) < 1e-6);
    assert.ok(report.disk.freeBytes! > 0);
    assert.ok(Math.abs(report.disk.daysUntilFull! - Math.min(3650, report.disk.freeBytes! / report.disk.growthBytesPerDay!)) < 1e-6);
    assert.ok(acme.monthlyCost.total >= 60, "4 workers at 15 EUR, plus storage and connections");
    assert.equal(acme.monthlyCost.workers, 60);
  });

  test("readings: storage, growth, days until the quota and the disk; a quota near makes a hint", async () => {
    const tight = new CapacityCollector({ ...config, tenants: { acme: { ...config.tenants.acme!, storageQuotaBytes: 100e6 } } }, ["acme"], store, { historyTtlMs: 0 });
    const readings = await tight.collect({ now: new Date(start + 6 * HOUR), signal: AbortSignal.timeout(10_000) });
    const value = (sli: string) => readings.find((r) => r.sli === sli)?.value;
    assert.ok(value("tenant_storage_bytes")! > 10e6);
    assert.ok(value("tenant_storage_days_until_quota")! < 30);
    assert.ok(value("storage_days_until_full")! > 0);
    assert.ok(tight.lastReport!.hints.some((h) => h.scope === "acme" && h.verdict === "running out"));
  });

  test("an Odoo worker inside a transaction is a busy worker, counted against the configured workers", async () => {
    worker = new pg.Client({ connectionString: urlFor(DB), application_name: "odoo-424242" });
    await worker.connect();
    await worker.query("BEGIN; SELECT count(*) FROM stock_move_line");
    const at = new Date(start + 6 * HOUR + 60_000);
    await runner.run(postgres, at);
    const readings = await capacity.collect({ now: at, signal: AbortSignal.timeout(10_000) });
    assert.equal(readings.find((r) => r.sli === "odoo_workers_busy_ratio")?.value, 0.25);
    await worker.query("ROLLBACK");
  });
});
