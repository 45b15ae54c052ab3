import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo } from "../../server/demo/server.ts";
import { createLogger } from "../../server/log/logger.ts";
import { freePort as closedPort } from "../support/ports.ts";


/**
 * Bad input never takes the process down: an unreachable Odoo, wrong credentials and an Odoo without the
 * logistics apps each give one log line naming the tenant and the cause, their samples are missing with the
 * reason, and a good tenant keeps sampling beside them.
 */
describe("faults: one bad tenant never stops the others", () => {
  let good: Awaited<ReturnType<typeof startDemoOdoo>>;
  let bare: Awaited<ReturnType<typeof startDemoOdoo>>;
  let backend: Backend;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    good = await startDemoOdoo({ seed: 7 });
    bare = await startDemoOdoo({ seed: 8, apps: false });
    const tenants = [
      { name: "good", url: good.url, db: good.db, user: good.user, password: good.password },
      { name: "unreachable", url: `http://127.0.0.1:${await closedPort()}`, db: "x", user: "u", password: "p", timeoutMs: 1000 },
      { name: "badlogin", url: good.url, db: good.db, user: good.user, password: "not-the-password" },
      { name: "noapps", url: bare.url, db: bare.db, user: bare.user, password: bare.password },
    ];
    const dir = mkdtempSync(join(tmpdir(), "lo-faults-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ port: 0, apiToken: "faults-token-0123456789", dataDir: dir, sampling: { intervalSeconds: 60, timeoutSeconds: 10 }, tenants }));
    const sink = new PassThrough();
    sink.on("data", (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean).forEach((l) => lines.push(JSON.parse(l))));
    backend = await startBackend(loadConfig({}, file), createLogger("info", sink), { inMemoryStore: true, schedule: false });
    await Promise.all(backend.collectors.map((c) => backend.runner.run(c)));
    await Promise.all(backend.collectors.map((c) => backend.runner.run(c)));
  });
  after(async () => {
    await backend.stop();
    await good.close();
    await bare.close();
  });

  const latest = async (tenant: string) => (await backend.store.latest(tenant)).filter((s) => s.source === "odoo_business" && s.sli !== "sampling_up");

  const cases: Array<[string, RegExp]> = [
    ["unreachable", /cannot connect \(ECONNREFUSED\)/],
    ["badlogin", /login refused for user "admin" on database "demo"/],
    ["noapps", /sale\.order, stock\.picking, stock\.picking\.batch not installed/],
  ];
  for (const [tenant, cause] of cases) {
    test(`${tenant}: one log line naming tenant and cause; every SLI missing with the reason`, async () => {
      const logged = lines.filter((l) => l.tenant === tenant && l.level === 50);
      assert.equal(logged.length, 1, `exactly one error line over two cycles, got ${logged.length}`);
      assert.match(String(logged[0]!.msg), new RegExp(`^${tenant}: odoo_business failed: `));
      assert.match(String(logged[0]!.msg), cause);
      const samples = await latest(tenant);
      assert.ok(samples.length >= 20);
      for (const s of samples) {
        assert.equal(s.value, null);
        assert.match(s.missing!, cause);
      }
      const up = (await backend.store.latest(tenant)).find((s) => s.sli === "sampling_up");
      assert.equal(up?.value, 0, "the monitor's own reading says it cannot sample");
    });
  }

  test("the good tenant kept sampling with values", async () => {
    const samples = await latest("good");
    assert.ok(samples.filter((s) => s.value !== null).length >= 20);
    assert.equal(backend.runner.healthOf("good", "odoo_business")!.ok, true);
  });

  test("no log line carries a password", () => {
    const text = JSON.stringify(lines);
    assert.ok(!text.includes("not-the-password") && !text.includes(`"${good.password}"`));
  });
});

describe("faults: a malformed config stops the start with one line naming the key", () => {
  test("exit code 2 and the key in the message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lo-badconf-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ sampling: { intervalSeconds: 61 }, tenants: [{ name: "x", url: "http://o", db: "d", user: "u", password: "p", colour: "red" }] }));
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "server/main.ts", "--config", file], { env: { ...process.env, DATA_DIR: dir } });
    const err = (await run.then(() => assert.fail("should exit non-zero"), (e) => e)) as { code: number; stdout: string };
    assert.equal(err.code, 2);
    const out = err.stdout.trim().split("\n");
    assert.equal(out.length, 1, "one line");
    assert.match(out[0]!, /tenants\[0\]\.colour: unknown key/);
  });
});
