import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";

/**
 * Threshold alerts on the demo tenant: every SLI that breaches its objective has a firing alert in
 * /api/v1/alerts, and each firing is one notification waiting in the outbox per recipient.
 */
describe("threshold alerts on the demo tenant", () => {
  let backend: Backend;
  const TOKEN = "alerts-token-0123456789";
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "lo-alerts-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ port: 0, apiToken: TOKEN, dataDir: dir, alerts: { forSeconds: 0, recipients: ["ops@example.com"] } }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true, schedule: false });
    for (let i = 0; i < 2; i++) for (const c of backend.collectors) await backend.runner.run(c);
  });
  after(async () => backend.stop());

  const get = async (path: string) => (await fetch(`http://127.0.0.1:${backend.port}/api/v1/${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();

  test("every breaching SLI of the demo has a firing alert, and nothing else fires", async () => {
    const { slis } = (await get("slis/current?tenant=demo")) as { slis: Array<{ sli: string; labels: Record<string, string>; status: string }> };
    const { alerts } = (await get("alerts?state=firing")) as { alerts: Array<{ sli: string; labels: Record<string, string>; tenant: string }> };
    const key = (x: { sli: string; labels: Record<string, string> }) => `${x.sli} ${JSON.stringify(x.labels)}`;
    const breaching = slis.filter((s) => s.status === "breach").map(key).sort();
    assert.ok(breaching.length > 0, "the demo always breaches something (failed mail, failed jobs, late deliveries...)");
    assert.deepEqual(alerts.filter((a) => a.tenant === "demo").map(key).sort(), breaching);
  });

  test("each firing alert is one notification in the outbox, written once across cycles", async () => {
    const { alerts } = (await get("alerts?state=firing")) as { alerts: unknown[] };
    const outbox = await backend.store.outbox.all();
    assert.equal(outbox.length, alerts.length);
    assert.ok(outbox.every((m) => m.recipient === "ops@example.com" && /^\[TICKET\] demo: /.test(m.subject)));
  });

  test("a bad state filter is a 400 naming the parameter", async () => {
    const res = await fetch(`http://127.0.0.1:${backend.port}/api/v1/alerts?state=burning`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { parameter: string }).parameter, "state");
  });
});
