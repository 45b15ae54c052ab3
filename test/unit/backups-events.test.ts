import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createApp } from "../../server/api/app.ts";
import { lastPgBackRestBackup, lastWalgBackup } from "../../server/collectors/backup-info.ts";
import { BackupsCollector } from "../../server/collectors/backups.ts";
import { Runner } from "../../server/collectors/runner.ts";
import { Secret } from "../../server/config/secret.ts";
import type { Tenant } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { Metrics } from "../../server/metrics/registry.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

const fixture = (name: string) => new URL(`../fixtures/backups/${name}`, import.meta.url).pathname;
const TOKEN = "events-token-0123456789";

describe("backup tool reports", () => {
  test("pgBackRest: the newest backup without error, with its size", () => {
    const b = lastPgBackRestBackup(JSON.parse(readFileSync(fixture("pgbackrest-info.json"), "utf8")));
    assert.deepEqual(b, { tool: "pgbackrest", finished: new Date(1795831208 * 1000), sizeBytes: 31514624 });
  });
  test("WAL-G: the newest finished backup", () => {
    const b = lastWalgBackup(JSON.parse(readFileSync(fixture("walg-backup-list.json"), "utf8")));
    assert.deepEqual(b, { tool: "wal-g", finished: new Date("2026-11-28T02:00:09Z"), sizeBytes: 3998262 });
  });
  test("a report of the wrong shape is an error that says so", () => {
    assert.throws(() => lastPgBackRestBackup({}), /expected a JSON array of stanzas/);
  });
});

describe("backup and deploy events", () => {
  let store: Store;
  let base: string;
  let close: () => void;
  before(async () => {
    store = await openStore({ inMemory: true });
    const tenant: Tenant = { name: "eu", url: "http://o", db: "eu", user: "u", credential: new Secret("x"), credentialKind: "password", timezone: "UTC", timeoutMs: 1000, demo: false };
    const app = createApp({ config: { apiToken: new Secret(TOKEN), targets: {}, tenants: [tenant], sampling: { intervalSeconds: 60, timeoutSeconds: 5, windowHours: 24, credentialCheckCycles: 1, maxConcurrentRuns: 32 } }, store, runner: new Runner(store, undefined, silentLogger(), 1000), metrics: new Metrics((d) => d.target), log: silentLogger() });
    const server = app.listen(0);
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    close = () => server.close();
  });
  after(async () => {
    close();
    await store.close();
  });
  const post = (path: string, body: unknown, token = TOKEN) =>
    fetch(base + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  const bad: Array<[string, string, unknown, string]> = [
    ["backup without kind", "/events/backup", { status: "success", started: "2026-11-29T01:00:00Z", finished: "2026-11-29T01:10:00Z" }, "kind"],
    ["backup with an unknown status", "/events/backup", { kind: "base", status: "ok", started: "2026-11-29T01:00:00Z", finished: "2026-11-29T01:10:00Z" }, "status"],
    ["backup finished before it started", "/events/backup", { kind: "base", status: "success", started: "2026-11-29T01:00:00Z", finished: "2026-11-29T00:10:00Z" }, "finished"],
    ["backup with a negative size", "/events/backup", { kind: "base", status: "success", started: "2026-11-29T01:00:00Z", finished: "2026-11-29T01:10:00Z", size: -1 }, "size"],
    ["backup with an unknown field", "/events/backup", { kind: "base", status: "success", started: "2026-11-29T01:00:00Z", finished: "2026-11-29T01:10:00Z", sise: 1 }, "sise"],
    ["deploy without version", "/events/deploy", { author: "ci" }, "version"],
    ["deploy for an unknown tenant", "/events/deploy", { tenant: "us", version: "1.2", author: "ci" }, "tenant"],
    ["deploy with a bad time", "/events/deploy", { version: "1.2", author: "ci", time: "yesterday" }, "time"],
    ["not JSON", "/events/deploy", "{version:", "body"],
  ];
  for (const [name, path, body, field] of bad) {
    test(`400 naming the field: ${name}`, async () => {
      const res = await post(path, body);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { parameter: string }).parameter, field);
    });
  }

  test("events need the token", async () => {
    assert.equal((await post("/events/deploy", { version: "1", author: "ci" }, "nope-nope-nope")).status, 401);
  });

  test("good events are stored, listed, and feed the backup SLIs", async () => {
    const now = Date.now();
    const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
    assert.equal((await post("/events/backup", { kind: "base", status: "success", started: iso(3_700_000), finished: iso(3_600_000), size: 123456, tool: "pgbackrest" })).status, 201);
    assert.equal((await post("/events/backup", { kind: "base", status: "failure", started: iso(70_000), finished: iso(60_000) })).status, 201);
    assert.equal((await post("/events/backup", { kind: "restore_test", status: "success", started: iso(90_000_000), finished: iso(86_400_000) })).status, 201);
    assert.equal((await post("/events/deploy", { tenant: "eu", version: "stock 18.0.1.2", author: "ci", time: iso(1000) })).status, 201);
    const list = (await (await fetch(`${base}/events?kind=deploy`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { events: Array<{ tenant: string; payload: { version: string } }> };
    assert.deepEqual(list.events.map((e) => [e.tenant, e.payload.version]), [["eu", "stock 18.0.1.2"]]);

    const readings = await new BackupsCollector(store, { pgbackrestInfoFile: fixture("pgbackrest-info.json") }).collect({ now: new Date(now), signal: new AbortController().signal });
    const v = (sli: string) => readings.find((r) => r.sli === sli)!;
    assert.ok(Math.abs(v("backup_last_success_age_seconds").value! - 3600) < 1, "the pushed success (1 h ago) is newer than the pgBackRest report; the failure does not count");
    assert.equal(v("backup_last_size_bytes").value, 123456);
    assert.ok(Math.abs(v("restore_test_last_success_age_seconds").value! - 86_400) < 1);
    assert.equal(v("wal_archive_gap_seconds").missing, "no WAL archiving event reported");
  });
});
