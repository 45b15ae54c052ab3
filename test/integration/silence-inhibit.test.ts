import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo } from "../../server/demo/server.ts";
import { silentLogger } from "../../server/log/logger.ts";

/**
 * A silence stops the notifications of its matchers until it ends (then says so once); an unreachable Odoo
 * inhibits its tenant's business alerts, which the API shows as inhibited.
 */
describe("silences and inhibition", () => {
  let backend: Backend;
  let demo: Awaited<ReturnType<typeof startDemoOdoo>>;
  const TOKEN = "silence-token-0123456789";
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${backend.port}/api/v1/${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...(init.headers ?? {}) } });
  const runAll = async () => {
    for (const c of backend.collectors) await backend.runner.run(c);
  };

  before(async () => {
    demo = await startDemoOdoo({ seed: 11 });
    const dir = mkdtempSync(join(tmpdir(), "lo-silence-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: TOKEN, dataDir: dir, alerts: { forSeconds: 0, recipients: ["ops@example.com"] },
      tenants: [{ name: "eu", url: demo.url, db: demo.db, user: demo.user, password: demo.password, timeoutMs: 2000 }],
    }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true, schedule: false });
  });
  after(async () => {
    await backend.stop();
    await demo.close().catch(() => {});
  });

  test("bad silences are refused naming the field", async () => {
    const res = await api("silences", { method: "POST", body: JSON.stringify({ matchers: {}, creator: "ops", comment: "x", endsAt: "2099-01-01T00:00:00Z" }) });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { parameter: string }).parameter, "matchers");
    const past = await api("silences", { method: "POST", body: JSON.stringify({ matchers: { tenant: "eu" }, creator: "ops", comment: "x", endsAt: "2000-01-01T00:00:00Z" }) });
    assert.equal(((await past.json()) as { parameter: string }).parameter, "endsAt");
  });

  test("while silenced, alerts fire without notifications; the end of the silence is announced once", async () => {
    const created = await api("silences", { method: "POST", body: JSON.stringify({ matchers: { tenant: "eu" }, creator: "ops", comment: "peak day, known", endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }) });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: number };
    await runAll();
    const { alerts } = (await (await api("alerts?state=firing&tenant=eu")).json()) as { alerts: Array<{ silencedBy: number | null }> };
    assert.ok(alerts.length > 0 && alerts.every((a) => a.silencedBy === id));
    // Alert records still reach the tenant's Odoo (without mail); nothing is mailed, no incident is told.
    const told = (await backend.store.outbox.all()).filter((m) => m.channel === "smtp" || (JSON.parse(m.body) as { model?: string }).model === "logistics.incident");
    assert.deepEqual(told.map((m) => m.subject), [], "no notification while silenced");
    assert.equal((await api(`silences/${id}`, { method: "DELETE" })).status, 204);
    await runAll();
    await runAll();
    const notices = (await backend.store.outbox.all()).filter((m) => m.subject.startsWith("[NOTICE] silence ended"));
    assert.equal(notices.length, 1);
  });

  test("Odoo unreachable: its firing business alerts show as inhibited and do not resolve", async () => {
    await demo.close();
    await runAll();
    const { alerts: all } = (await (await api("alerts?tenant=eu")).json()) as { alerts: Array<{ sli: string; state: string; inhibitedBy: string | null }> };
    const alerts = all.filter((a) => a.sli !== "sampling_up");
    assert.ok(alerts.length > 0);
    const up = all.find((a) => a.sli === "sampling_up");
    assert.ok(up && up.state !== "resolved" && up.inhibitedBy === null, "the reason they are muted is an alert of its own, never muted");
    for (const a of alerts) {
      assert.equal(a.state, "firing");
      assert.equal(a.inhibitedBy, "odoo unreachable for eu");
    }
  });
});
