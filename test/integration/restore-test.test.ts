import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import pg from "pg";
import { createApp } from "../../server/api/app.ts";
import { startBackend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { OPENAPI } from "../../server/api/openapi.ts";
import { BackupsCollector } from "../../server/collectors/backups.ts";
import { Runner } from "../../server/collectors/runner.ts";
import type { RestoreTest, Tenant } from "../../server/config/load.ts";
import { restoreTestSchema } from "../../server/config/restore-schema.ts";
import { Secret } from "../../server/config/secret.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { Metrics } from "../../server/metrics/registry.ts";
import { takeBackup, type BackupTaken } from "../../server/restore/backup.ts";
import { NO_COUNTS_NOTE } from "../../server/restore/plan.ts";
import { recordRestoreTest, runRestoreTest, type RestoreResult } from "../../server/restore/runner.ts";
import { startRestoreTests, type RestoreTests } from "../../server/restore/schedule.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

/**
 * Restore tests with the real pg_dump and pg_restore on a throwaway PostgreSQL (TEST_PG_URL): a source database
 * shaped like Odoo's key tables is backed up with its row counts, written to after the backup, and restored into
 * scratch databases that are always dropped; good, corrupted, miscounted and too slow restores, and the API.
 */
const adminUrl = process.env.TEST_PG_URL;
if (!adminUrl) console.log("# restore test suite: NOT RUN (TEST_PG_URL unset; `npm test` starts a server)");

const run = randomBytes(3).toString("hex");
const SOURCE = `lo_restore_src_${process.pid}_${run}`;
const urlOf = (db: string) => {
  const u = new URL(adminUrl!);
  u.pathname = `/${db}`;
  return u.toString();
};
const TOKEN = "restore-api-token-0123456789";

// ajv-formats is CommonJS: its default export is the plugin, under .default when imported from ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(OPENAPI, "openapi.json");
/** The answer matches the OpenAPI document's schema for it (the demo backend of openapi.test.ts has no restore test). */
const documented = (schema: string, body: unknown) => {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`)!;
  assert.ok(validate(body), `${schema}: ${ajv.errorsText(validate.errors)}`);
};

async function sql(url: string, text: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Scratch databases of a test still on the server: none may be left behind. */
const leftovers = async (name: string) => (await sql(adminUrl!, "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [`lo_restore_${name.replaceAll("-", "_")}_`])).map((r) => r.datname);

describe("restore tests with real pg_dump and pg_restore", { skip: adminUrl ? false : "TEST_PG_URL unset" }, () => {
  let dir: string;
  let backup: BackupTaken;
  let store: Store;
  const archiveDir = () => join(dir, "backups");

  /** A restore test as the config file would give it (defaults filled in by the schema). */
  const restoreTest = (name: string, archivePath: string, extra: Record<string, unknown> = {}): RestoreTest => {
    const raw = restoreTestSchema.parse({ name, archive: { kind: "pg_dump", path: archivePath }, scratchUrl: adminUrl, ...extra });
    return { ...raw, scratchUrl: new Secret(raw.scratchUrl) };
  };

  /** A copy of the archive (and of its counts file unless told not to) in a directory of its own. */
  const copyArchive = (sub: string, withCounts = true) => {
    const to = join(dir, sub);
    mkdirSync(to, { recursive: true });
    const file = join(to, "copy.dump");
    copyFileSync(backup.file, file);
    if (withCounts) copyFileSync(backup.countsFile, `${file}.counts.json`);
    return file;
  };

  const collect = async (names: string[]) => {
    const readings = await new BackupsCollector(store, undefined, names).collect({ now: new Date(), signal: new AbortController().signal });
    return (sli: string) => readings.find((r) => r.sli === sli)!;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lo-restore-"));
    store = await openStore({ inMemory: true });
    await sql(adminUrl!, `CREATE DATABASE ${SOURCE}`);
    await sql(urlOf(SOURCE), `
      CREATE TABLE res_partner (id serial PRIMARY KEY, name text NOT NULL);
      CREATE TABLE product_product (id serial PRIMARY KEY, default_code text);
      CREATE TABLE sale_order (id serial PRIMARY KEY, partner_id int REFERENCES res_partner, state text NOT NULL);
      CREATE TABLE stock_picking_batch (id serial PRIMARY KEY, name text);
      CREATE TABLE stock_picking (id serial PRIMARY KEY, partner_id int REFERENCES res_partner, batch_id int REFERENCES stock_picking_batch, state text NOT NULL);
      CREATE TABLE stock_move (id serial PRIMARY KEY, picking_id int REFERENCES stock_picking, product_id int REFERENCES product_product, product_uom_qty numeric);
      CREATE INDEX stock_picking_state ON stock_picking (state);
      INSERT INTO res_partner (name) SELECT 'Partner ' || i FROM generate_series(1, 40) i;
      INSERT INTO product_product (default_code) SELECT 'P' || i FROM generate_series(1, 25) i;
      INSERT INTO sale_order (partner_id, state) SELECT 1 + i % 40, (ARRAY['draft','sale','done'])[1 + i % 3] FROM generate_series(1, 300) i;
      INSERT INTO stock_picking_batch (name) SELECT 'WAVE/' || i FROM generate_series(1, 12) i;
      INSERT INTO stock_picking (partner_id, batch_id, state) SELECT 1 + i % 40, 1 + i % 12, (ARRAY['assigned','done','cancel','confirmed'])[1 + i % 4] FROM generate_series(1, 500) i;
      INSERT INTO stock_move (picking_id, product_id, product_uom_qty) SELECT 1 + i % 500, 1 + i % 25, i FROM generate_series(1, 2000) i;
    `);
    mkdirSync(archiveDir());
    backup = await takeBackup({ sourceUrl: urlOf(SOURCE), file: join(archiveDir(), `${SOURCE}-1.dump`) });
    // Work goes on after the backup: the restore must match the backup's snapshot, not today's rows.
    await sql(urlOf(SOURCE), `INSERT INTO stock_picking (partner_id, state) SELECT 1, 'assigned' FROM generate_series(1, 7);
      INSERT INTO sale_order (partner_id, state) VALUES (1, 'draft'); DELETE FROM stock_move WHERE id <= 10`);
  });

  after(async () => {
    await store?.close();
    await sql(adminUrl!, `DROP DATABASE IF EXISTS ${SOURCE} WITH (FORCE)`).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  test("the backup writes its archive and the row counts of the very snapshot it dumped", () => {
    assert.deepEqual(backup.counts, { sale_order: 300, stock_picking: 500, stock_move: 2000, stock_picking_batch: 12, res_partner: 40, product_product: 25 });
    assert.deepEqual(backup.absentTables, []);
    const counts = JSON.parse(readFileSync(backup.countsFile, "utf8")) as { database: string; takenAt: string; counts: Record<string, number>; sizeBytes: number };
    assert.equal(counts.database, SOURCE);
    assert.equal(counts.sizeBytes, statSync(backup.file).size);
    assert.ok(Date.parse(counts.takenAt) <= Date.now());
    assert.deepEqual(counts.counts, backup.counts);
  });

  test("a good archive restores: every key table as at backup time, the sample query answers, the scratch database is dropped", async () => {
    const t = restoreTest("good", archiveDir());
    const result = await runRestoreTest(t);
    assert.equal(result.status, "success", result.error);
    assert.equal(result.archive, `${SOURCE}-1.dump`, "the newest *.dump of the directory, by file name only");
    assert.equal(result.archiveSizeBytes, backup.sizeBytes);
    assert.equal(result.backupTakenAt, backup.takenAt);
    assert.ok(result.durationSeconds! > 0 && result.durationSeconds! < 60, `duration ${result.durationSeconds}`);
    assert.ok(result.checkSeconds! >= 0);
    assert.equal(result.withinObjective, true);
    assert.equal(result.objectiveRatio, Math.round((result.durationSeconds! / 3600) * 1000) / 1000);
    const byName = new Map(result.checks.map((c) => [c.name, c]));
    assert.deepEqual({ ...byName.get("table stock_picking") }, { name: "table stock_picking", ok: true, expected: 500, actual: 500, detail: "500 rows, as at backup time" });
    assert.equal(byName.get("table stock_move")!.actual, 2000, "rows deleted after the backup are back");
    assert.deepEqual({ ...byName.get("sample query") }, { name: "sample query", ok: true, expected: null, actual: 4, detail: "4 rows" });
    assert.equal(byName.get("scratch database dropped")!.ok, true);
    assert.equal(result.checks.length, 6 + 2);
    assert.deepEqual(await leftovers("good"), []);
    assert.ok(!JSON.stringify(result).includes(adminUrl!), "no URL in the result");

    await recordRestoreTest(store, result);
    const v = await collect(["good"]);
    assert.equal(v("restore_test_failing").value, 0);
    assert.ok(Math.abs(v("restore_test_duration_of_objective_ratio").value! - result.durationSeconds! / 3600) < 1e-6);
    assert.ok(v("restore_test_last_success_age_seconds").value! < 60);
  });

  test("an archive without a counts file is still restored and checked, and says it has no counts", async () => {
    const result = await runRestoreTest(restoreTest("nocounts", copyArchive("nocounts", false)));
    assert.equal(result.status, "success", result.error);
    assert.equal(result.note, NO_COUNTS_NOTE);
    assert.equal(result.backupTakenAt, null);
    const picking = result.checks.find((c) => c.name === "table stock_picking")!;
    assert.deepEqual({ ...picking }, { name: "table stock_picking", ok: true, expected: null, actual: 500, detail: `500 rows restored (${NO_COUNTS_NOTE})` });
    assert.deepEqual(await leftovers("nocounts"), []);
  });

  test("a truncated archive fails with pg_restore's error, and the scratch database is dropped", async () => {
    const file = copyArchive("corrupt");
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const result = await runRestoreTest(restoreTest("corrupt", file));
    assert.equal(result.status, "failure");
    assert.match(result.error!, /pg_restore exited with 1: .*(could not read|unexpected end|error)/i);
    assert.equal(result.withinObjective, null, "no duration to judge: the restore did not complete");
    documented("RestoreResult", JSON.parse(JSON.stringify(result)));
    assert.equal(result.checks.find((c) => c.name === "scratch database dropped")?.ok, true);
    assert.deepEqual(await leftovers("corrupt"), []);

    await recordRestoreTest(store, result);
    const v = await collect(["good", "corrupt"]);
    assert.equal(v("restore_test_failing").value, 1, "the failing test, whatever the other's success");
    assert.equal((await collect(["good"]))("restore_test_failing").value, 0, "a test no longer configured is left out");
  });

  test("row counts that differ from the backup's fail, naming the table with expected and actual", async () => {
    const file = copyArchive("mismatch");
    const counts = JSON.parse(readFileSync(`${file}.counts.json`, "utf8")) as { counts: Record<string, number> };
    counts.counts.stock_picking = 507;
    writeFileSync(`${file}.counts.json`, JSON.stringify(counts));
    const result = await runRestoreTest(restoreTest("mismatch", file));
    documented("RestoreResult", result);
    assert.equal(result.status, "failure");
    assert.equal(result.error, "key tables differ from the backup: stock_picking (500 rows restored, 507 at backup time)");
    const picking = result.checks.find((c) => c.name === "table stock_picking")!;
    assert.deepEqual([picking.ok, picking.expected, picking.actual], [false, 507, 500]);
    assert.ok(result.checks.filter((c) => c.name !== "table stock_picking").every((c) => c.ok));
    assert.deepEqual(await leftovers("mismatch"), []);
  });

  test("a restore slower than its objective succeeds but misses the objective: the ratio SLI is above 1", async () => {
    const t = { ...restoreTest("slow", archiveDir()), recoveryObjectiveSeconds: 0.001 };
    const result = await runRestoreTest(t);
    assert.equal(result.status, "success", result.error);
    assert.equal(result.withinObjective, false);
    assert.ok(result.objectiveRatio! > 1);
    await recordRestoreTest(store, result);
    const ratio = (await collect(["good", "slow"]))("restore_test_duration_of_objective_ratio").value!;
    assert.ok(ratio > 1, `ratio ${ratio}`);
    assert.deepEqual(await leftovers("slow"), []);
  });

  test("a missing archive directory or an empty one fails and says which", async () => {
    const missing = await runRestoreTest(restoreTest("missing", join(dir, "nope")));
    assert.equal(missing.status, "failure");
    assert.equal(missing.error, `archive ${join(dir, "nope")}: does not exist`);
    mkdirSync(join(dir, "empty"));
    const empty = await runRestoreTest(restoreTest("empty", join(dir, "empty")));
    assert.equal(empty.error, `archive directory ${join(dir, "empty")}: no *.dump file in it`);
    assert.deepEqual(empty.checks, []);
  });

  test("the backend runs each test on its schedule; a broken one stops neither the other nor the sampler", async () => {
    const file = join(dir, "backend.json");
    const every2s = "*/2 * * * * *";
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: TOKEN, dataDir: join(dir, "backend-data"), sampling: { intervalSeconds: 5, jitterSeconds: 0 },
      restoreTests: [
        { name: "sched-good", archive: { kind: "pg_dump", path: archiveDir() }, scratchUrl: adminUrl, schedule: every2s },
        { name: "sched-broken", archive: { kind: "pg_dump", path: join(dir, "nowhere") }, scratchUrl: adminUrl, schedule: every2s },
      ],
    }));
    const backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true });
    try {
      const deadline = Date.now() + 30_000;
      let latest: Awaited<ReturnType<Store["events"]["latestRestoreTests"]>> = [];
      while (Date.now() < deadline) {
        latest = await backend.store.events.latestRestoreTests(["sched-good", "sched-broken"]);
        if (latest.length === 2 && backend.runner.health().some((h) => h.source === "odoo_business")) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.deepEqual(latest.map((e) => [e.name, e.payload.status]).sort(), [["sched-broken", "failure"], ["sched-good", "success"]]);
      assert.ok(backend.runner.health().some((h) => h.source === "odoo_business" && h.ok), "the demo tenant is sampled meanwhile");
    } finally {
      await backend.stop();
    }
    assert.deepEqual(await leftovers("sched-good"), [], "a test in flight at the stop is aborted and its database dropped");
  });

  describe("the API", () => {
    let restore: RestoreTests;
    let base: string;
    let close: () => void;
    let usToken: string;
    let readOnly: string;
    const tenant = (name: string): Tenant => ({ name, url: "http://odoo.invalid", db: name, user: "u", credential: new Secret("x"), credentialKind: "password", timezone: "UTC", timeoutMs: 1000, demo: false });

    before(async () => {
      restore = startRestoreTests([restoreTest("eu-db", archiveDir(), { tenant: "eu" }), restoreTest("us-db", archiveDir(), { tenant: "us" }), restoreTest("platform", archiveDir())], {
        store, log: silentLogger(), instance: `test-${run}`, ownsSharedWork: () => true, schedule: false,
      });
      const app = createApp({
        config: { apiToken: new Secret(TOKEN), targets: {}, tenants: [tenant("eu"), tenant("us")], sampling: { intervalSeconds: 60, timeoutSeconds: 5, windowHours: 24, credentialCheckCycles: 1, maxConcurrentRuns: 32 } },
        store, runner: new Runner(store, undefined, silentLogger(), 1000), metrics: new Metrics((d) => d.target), log: silentLogger(), restoreTests: restore,
      });
      const server = app.listen(0);
      await new Promise((r) => server.once("listening", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
      close = () => server.close();
      usToken = (await store.tokens.create({ tenant: "us", scopes: ["read", "write"], label: "Odoo us" }, new Date())).token;
      readOnly = (await store.tokens.create({ tenant: null, scopes: ["read"], label: "dashboard" }, new Date())).token;
    });
    after(async () => {
      close?.();
      await restore?.stop();
    });

    const call = async (method: string, path: string, token = TOKEN) => {
      const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    test("POST …/run runs a test and answers its result; a second run while it runs is 409", async () => {
      const first = restore.run("eu-db");
      const busy = await call("POST", "/restore-tests/eu-db/run");
      assert.equal(busy.status, 409);
      assert.equal(busy.body.parameter, "name");
      assert.equal((await first).status, "success");
      // Another backend on the store holds the test's lease: it runs there, not twice.
      await store.leases.acquire(["restore-test:eu-db"], "other-backend", 60_000);
      const elsewhere = await call("POST", "/restore-tests/eu-db/run");
      assert.equal(elsewhere.status, 409);
      assert.match(String(elsewhere.body.error), /running on another backend/);
      await store.leases.release(["restore-test:eu-db"], "other-backend");
      const again = await call("POST", "/restore-tests/eu-db/run");
      assert.equal(again.status, 200);
      const result = again.body as unknown as RestoreResult;
      documented("RestoreResult", result);
      assert.equal(result.status, "success");
      assert.equal(result.tenant, "eu");
      assert.equal(result.checks.length, 8);
      assert.deepEqual(await leftovers("eu-db"), []);
    });

    test("GET lists every configured test with its last result, from the events", async () => {
      const list = await call("GET", "/restore-tests");
      assert.equal(list.status, 200);
      for (const t of list.body.restoreTests as unknown[]) documented("RestoreTest", t);
      const tests = list.body.restoreTests as Array<{ name: string; tenant: string | null; running: boolean; last: RestoreResult | null; lastSuccessAt: string | null; schedule: string }>;
      assert.deepEqual(tests.map((t) => t.name), ["eu-db", "us-db", "platform"]);
      const eu = tests[0]!;
      assert.equal(eu.last?.status, "success");
      assert.equal(eu.last?.name, "eu-db");
      assert.ok(eu.lastSuccessAt);
      assert.equal(eu.schedule, "0 3 * * 0");
      assert.equal(tests[1]!.last, null);
      assert.ok(!JSON.stringify(list.body).includes(dir), "no archive directory");
      assert.ok(!JSON.stringify(list.body).includes("postgres://"), "no scratch URL");
    });

    test("a tenant's token sees and runs its tenant's tests only: 403 on another tenant's and on the platform's", async () => {
      const list = await call("GET", "/restore-tests", usToken);
      assert.deepEqual((list.body.restoreTests as Array<{ name: string }>).map((t) => t.name), ["us-db"]);
      const other = await call("POST", "/restore-tests/eu-db/run", usToken);
      assert.equal(other.status, 403);
      assert.match(String(other.body.error), /bound to tenant "us"/);
      assert.equal((await call("POST", "/restore-tests/platform/run", usToken)).status, 403);
      assert.equal((await call("POST", "/restore-tests/us-db/run", usToken)).status, 200);
    });

    test("running needs the write scope; an unknown test is 404", async () => {
      assert.equal((await call("POST", "/restore-tests/eu-db/run", readOnly)).status, 403);
      const unknown = await call("POST", "/restore-tests/nope/run");
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.parameter, "name");
    });
  });
});
