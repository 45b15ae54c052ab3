import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../server/config/load.ts";
import { DEFAULT_KEY_TABLES } from "../../server/config/restore-schema.ts";
import {
  defaultTimeoutSeconds, judge, newestDump, NO_COUNTS_NOTE, restoreTestSignals, sampleCheck, scratchDatabaseName, tableChecks,
  type BackupCounts, type LatestRestoreEvent, type RestoreCheck,
} from "../../server/restore/plan.ts";
import { libpqEnv, scrubber } from "../../server/restore/pg-process.ts";

const counts = (c: Record<string, number>, absentTables: string[] = []): BackupCounts => ({ database: "prod", takenAt: "2026-11-29T02:00:00Z", counts: c, absentTables });
const ok = (name: string): RestoreCheck => ({ name, ok: true, expected: null, actual: null, detail: "" });

describe("which archive", () => {
  const cases: Array<[string, Array<{ name: string; mtimeMs: number }>, string | undefined]> = [
    ["the newest *.dump", [{ name: "a.dump", mtimeMs: 1 }, { name: "b.dump", mtimeMs: 3 }, { name: "c.dump", mtimeMs: 2 }], "b.dump"],
    ["other files and counts files are not archives", [{ name: "a.dump", mtimeMs: 1 }, { name: "a.dump.counts.json", mtimeMs: 5 }, { name: "b.dump.partial", mtimeMs: 6 }], "a.dump"],
    ["equal times: the later name (timestamped names sort)", [{ name: "db-20261129T020000Z.dump", mtimeMs: 7 }, { name: "db-20261130T020000Z.dump", mtimeMs: 7 }], "db-20261130T020000Z.dump"],
    ["none", [{ name: "notes.txt", mtimeMs: 1 }], undefined],
  ];
  for (const [name, entries, expected] of cases) test(name, () => assert.equal(newestDump(entries.map((e) => ({ ...e, size: 1 })))?.name, expected));
});

describe("key tables against the backup", () => {
  const cases: Array<[string, Array<[string, number | null]>, BackupCounts | undefined, Array<Pick<RestoreCheck, "ok" | "expected" | "actual" | "detail">>]> = [
    ["as many rows as at backup time", [["stock_picking", 500]], counts({ stock_picking: 500 }), [{ ok: true, expected: 500, actual: 500, detail: "500 rows, as at backup time" }]],
    ["fewer rows", [["stock_picking", 498]], counts({ stock_picking: 500 }), [{ ok: false, expected: 500, actual: 498, detail: "498 rows restored, 500 at backup time" }]],
    ["more rows", [["stock_picking", 501]], counts({ stock_picking: 500 }), [{ ok: false, expected: 500, actual: 501, detail: "501 rows restored, 500 at backup time" }]],
    ["an empty table restored empty", [["stock_picking", 0]], counts({ stock_picking: 0 }), [{ ok: true, expected: 0, actual: 0, detail: "0 rows, as at backup time" }]],
    ["a table missing after the restore", [["stock_picking", null]], counts({ stock_picking: 500 }), [{ ok: false, expected: 500, actual: null, detail: "does not exist after the restore; 500 rows at backup time" }]],
    ["absent at backup time and after (module not installed)", [["stock_picking_batch", null]], counts({}, ["stock_picking_batch"]), [{ ok: true, expected: null, actual: null, detail: "did not exist at backup time either" }]],
    ["absent at backup time, present after", [["stock_picking_batch", 3]], counts({}, ["stock_picking_batch"]), [{ ok: false, expected: null, actual: 3, detail: "did not exist at backup time but does after the restore" }]],
    ["a key table the backup did not count", [["sale_order", 3]], counts({}), [{ ok: false, expected: null, actual: 3, detail: "not counted at backup time" }]],
    ["no counts recorded: a table that exists passes, its count shown", [["sale_order", 12]], undefined, [{ ok: true, expected: null, actual: 12, detail: `12 rows restored (${NO_COUNTS_NOTE})` }]],
    ["no counts recorded: a missing table fails", [["sale_order", null]], undefined, [{ ok: false, expected: null, actual: null, detail: `does not exist after the restore (${NO_COUNTS_NOTE})` }]],
  ];
  for (const [name, restored, atBackup, expected] of cases) {
    test(name, () => {
      const checks = tableChecks(restored.map(([t]) => t), new Map(restored), atBackup);
      assert.deepEqual(checks.map(({ ok, expected, actual, detail }) => ({ ok, expected, actual, detail })), expected);
      assert.deepEqual(checks.map((c) => c.name), restored.map(([t]) => `table ${t}`));
    });
  }
});

describe("the verdict", () => {
  const mismatch: RestoreCheck = { name: "table stock_picking", ok: false, expected: 14, actual: 12, detail: "12 rows restored, 14 at backup time" };
  const cases: Array<[string, Parameters<typeof judge>[0], ReturnType<typeof judge>]> = [
    ["restored within the objective, every check passed", { restoreSeconds: 600, recoveryObjectiveSeconds: 3600, checks: [ok("table a"), ok("sample query")] },
      { status: "success", withinObjective: true, objectiveRatio: 600 / 3600 }],
    ["exactly the objective is within it", { restoreSeconds: 3600, recoveryObjectiveSeconds: 3600, checks: [] }, { status: "success", withinObjective: true, objectiveRatio: 1 }],
    ["slower than the objective: a success that misses it", { restoreSeconds: 5400, recoveryObjectiveSeconds: 3600, checks: [ok("table a")] },
      { status: "success", withinObjective: false, objectiveRatio: 1.5 }],
    ["a table that differs names it with expected and actual", { restoreSeconds: 60, recoveryObjectiveSeconds: 3600, checks: [mismatch, ok("sample query")] },
      { status: "failure", withinObjective: true, objectiveRatio: 60 / 3600, error: "key tables differ from the backup: stock_picking (12 rows restored, 14 at backup time)" }],
    ["a failed sample query", { restoreSeconds: 60, recoveryObjectiveSeconds: 3600, checks: [sampleCheck({ error: 'relation "stock_picking" does not exist' })] },
      { status: "failure", withinObjective: true, objectiveRatio: 60 / 3600, error: 'sample query: failed: relation "stock_picking" does not exist' }],
    ["pg_restore failed: its error first, the checks counted", { failure: "pg_restore exited with 1: could not read from input file", restoreSeconds: null, recoveryObjectiveSeconds: 3600, checks: [mismatch, ok("scratch database dropped")] },
      { status: "failure", withinObjective: null, objectiveRatio: null, error: "pg_restore exited with 1: could not read from input file; 1 of 2 checks failed" }],
    ["no archive", { failure: "archive directory /b: no *.dump file in it", restoreSeconds: null, recoveryObjectiveSeconds: 3600, checks: [] },
      { status: "failure", withinObjective: null, objectiveRatio: null, error: "archive directory /b: no *.dump file in it" }],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.deepEqual(judge(input), expected));
});

describe("the restore-test signals", () => {
  const at = (h: number) => new Date(Date.UTC(2026, 10, 29, h));
  const ev = (name: string | null, h: number, status: "success" | "failure", durationSeconds?: number, recoveryObjectiveSeconds?: number): LatestRestoreEvent =>
    ({ name, at: at(h), payload: { kind: "restore_test", status, ...(name !== null && { name }), durationSeconds, recoveryObjectiveSeconds } });
  const cases: Array<[string, LatestRestoreEvent[], string[] | undefined, { failing: number; worstObjectiveRatio: number | undefined }]> = [
    ["none", [], undefined, { failing: 0, worstObjectiveRatio: undefined }],
    ["a success", [ev("eu", 3, "success", 900, 3600)], undefined, { failing: 0, worstObjectiveRatio: 0.25 }],
    ["a failure after the success", [ev("eu", 3, "success", 900, 3600), ev("eu", 5, "failure")], undefined, { failing: 1, worstObjectiveRatio: 0.25 }],
    ["a success after the failure", [ev("eu", 5, "success", 900, 3600), ev("eu", 3, "failure")], undefined, { failing: 0, worstObjectiveRatio: 0.25 }],
    ["another test's success does not hide a failure", [ev("eu", 6, "success", 900, 3600), ev("us", 5, "failure")], undefined, { failing: 1, worstObjectiveRatio: 0.25 }],
    ["the worst ratio of the tests", [ev("eu", 6, "success", 900, 3600), ev("us", 5, "success", 7200, 3600)], undefined, { failing: 0, worstObjectiveRatio: 2 }],
    ["pushed events (no name) are one test, without a duration", [ev(null, 4, "failure"), ev(null, 2, "success")], undefined, { failing: 1, worstObjectiveRatio: undefined }],
    ["a test no longer configured is left out", [ev("old", 6, "failure"), ev("eu", 5, "success", 60, 3600)], ["eu"], { failing: 0, worstObjectiveRatio: 60 / 3600 }],
  ];
  for (const [name, latest, configured, expected] of cases) test(name, () => assert.deepEqual(restoreTestSignals(latest, configured && new Set(configured)), expected));
});

describe("small decisions", () => {
  test("scratch database names are valid unquoted identifiers under 64 bytes", () => {
    assert.equal(scratchDatabaseName("eu-prod", "1a2b3c4d"), "lo_restore_eu_prod_1a2b3c4d");
    assert.ok(scratchDatabaseName("x".repeat(40), "1a2b3c4d").length <= 63);
  });
  test("pg_restore's deadline: twice the objective, at least an hour", () => {
    assert.deepEqual([defaultTimeoutSeconds(60), defaultTimeoutSeconds(3600), defaultTimeoutSeconds(7200)], [3600, 7200, 14_400]);
  });
  test("the connection goes to libpq through its environment, the password decoded", () => {
    assert.deepEqual(libpqEnv("postgres://restore:p%40ss@db.example:6432/postgres?sslmode=require", "lo_restore_x"), {
      PGHOST: "db.example", PGPORT: "6432", PGUSER: "restore", PGPASSWORD: "p@ss", PGDATABASE: "lo_restore_x", PGSSLMODE: "require", PGAPPNAME: "logistics-observability-restore",
    });
  });
  test("a password never survives in an error text", () => {
    assert.equal(scrubber("postgres://u:s3cret@h/db")("FATAL for postgres://u:s3cret@h/db (s3cret)"), "FATAL for *** (***)");
  });
});

describe("restoreTests in the config file", () => {
  const load = (restoreTests: unknown, tenants: unknown[] = []) => {
    const dir = mkdtempSync(join(tmpdir(), "lo-restore-config-"));
    try {
      writeFileSync(join(dir, "c.json"), JSON.stringify({ tenants, restoreTests }));
      return loadConfig({}, join(dir, "c.json"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const good = { name: "prod", archive: { kind: "pg_dump", path: "/backups" }, scratchUrl: "postgres://restore:pw@db:5432/postgres" };

  test("defaults: Odoo's key tables, pickings by state, one hour, Sunday 03:00 UTC, two jobs; the URL kept secret", () => {
    const [t] = load([good]).restoreTests;
    assert.deepEqual(t!.keyTables, [...DEFAULT_KEY_TABLES]);
    assert.match(t!.sampleQuery, /FROM stock_picking GROUP BY state/);
    assert.deepEqual([t!.recoveryObjectiveSeconds, t!.schedule, t!.timeZone, t!.jobs, t!.timeoutSeconds], [3600, "0 3 * * 0", "UTC", 2, undefined]);
    assert.equal(JSON.stringify(t), JSON.stringify({ ...t, scratchUrl: "[redacted]" }));
    assert.equal(t!.scratchUrl.reveal(), good.scratchUrl);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ["a bad cron expression", [{ ...good, schedule: "61 3 * * 0" }], /restoreTests\[0\]\.schedule: a cron expression/],
    ["a name that is not a label", [{ ...good, name: "Prod DB" }], /restoreTests\[0\]\.name: lowercase letters/],
    ["an archive of another kind", [{ ...good, archive: { kind: "pgbackrest", path: "/x" } }], /restoreTests\[0\]\.archive\.kind/],
    ["a scratch URL that is not postgres://", [{ ...good, scratchUrl: "mysql://x" }], /restoreTests\[0\]\.scratchUrl: a postgres:\/\/ URL/],
    ["a table name with SQL in it", [{ ...good, keyTables: ["stock_picking; DROP TABLE x"] }], /restoreTests\[0\]\.keyTables\[0\]: a lowercase table name/],
    ["no jobs", [{ ...good, jobs: 0 }], /restoreTests\[0\]\.jobs/],
    ["an unknown key", [{ ...good, rpo: 60 }], /restoreTests\[0\]\.rpo: unknown key/],
    ["two tests of one name", [good, good], /restoreTests: restore test names must be unique/],
    ["a tenant that is not configured", [{ ...good, tenant: "eu" }], /restoreTests\[0\]\.tenant: "eu" is not a configured tenant/],
  ];
  for (const [name, restoreTests, message] of bad) {
    test(`refused, naming the key: ${name}`, () => {
      assert.throws(() => load(restoreTests), (err: Error) => err instanceof ConfigError && message.test(err.message) && !err.message.includes("pw@"));
    });
  }
});
