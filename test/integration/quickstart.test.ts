import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { BUSINESS_SLIS } from "../../server/sli/catalog.ts";
import { freePort } from "../support/ports.ts";

/**
 * The README's run command as a new user runs it: no configuration, the embedded store, the demo Odoo.
 * /healthz within 20 s; every business SLI of the demo with a value within two cycles; a clean SIGTERM.
 */

const waitFor = async <T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

describe("quick start: npm start with no configuration", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "lo-quickstart-"));
  let child: ChildProcess;
  let output = "";
  let port: number;
  const start = async () => {
    port = await freePort();
    child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, SAMPLE_INTERVAL_SECONDS: "5", API_TOKEN: "" } });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
  };
  after(() => child?.kill("SIGKILL"));

  test("alive at once, ready once the embedded store is open, and says it samples the demo", async () => {
    const t0 = Date.now();
    await start();
    const early = await waitFor("/healthz", 20_000, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return res.ok ? { at: Date.now(), ready: (await fetch(`http://127.0.0.1:${port}/readyz`)).status } : undefined;
    });
    const ready = await waitFor("/readyz", 60_000, async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? Date.now() : undefined));
    console.log(`# /healthz answered ${early.at - t0} ms after start (readiness then ${early.ready}); /readyz 200 after ${ready - t0} ms`);
    assert.ok(early.at <= ready, "liveness never waits for readiness");
    assert.match(output, /DEMO MODE: no tenant configured/);
  });

  test("within two cycles every business SLI of the demo tenant has a value, in the API and in /metrics", async () => {
    const token = readFileSync(join(dataDir, "api-token"), "utf8").trim();
    const headers = { authorization: `Bearer ${token}` };
    const tenants = (await (await fetch(`http://127.0.0.1:${port}/api/v1/tenants`, { headers })).json()) as { tenants: Array<{ name: string; demo: boolean }> };
    assert.deepEqual(tenants.tenants.map((t) => [t.name, t.demo]), [["demo", true]]);
    const wanted = BUSINESS_SLIS.map((d) => d.id);
    let missing: string[] = [];
    await waitFor("every SLI with a value", 2 * 5_000 + 8_000, async () => {
      const body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/slis/current?tenant=demo`, { headers })).json()) as { slis: Array<{ sli: string; value: number | null; missing: string | null }> };
      missing = wanted.filter((id) => !body.slis.some((s) => s.sli === id && s.value !== null));
      return missing.length === 0 ? true : undefined;
    }).catch((err) => assert.fail(`${err.message}; still without a value: ${missing.join(", ")}`));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const id of wanted) assert.match(metrics, new RegExp(`^logistics_${id}\\{tenant="demo"`, "m"), id);
  });

  test("SIGTERM stops cleanly, and the store opens again on restart", async () => {
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    assert.equal(code, 0);
    assert.match(output, /stopped cleanly/);
    output = "";
    await start();
    await waitFor("/readyz after restart", 60_000, async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined));
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  });
});
