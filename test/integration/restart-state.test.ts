import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo } from "../../server/demo/server.ts";
import { silentLogger } from "../../server/log/logger.ts";

/**
 * Alert, silence, inhibition and SLO state survive a restart on the same store: an inhibited alert does not fire
 * or notify because the process restarted, a silence still holds, budgets carry on.
 */
describe("state across a restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "lo-restart-"));
  const file = join(dir, "config.json");
  let backend: Backend | undefined;
  after(async () => backend?.stop());

  const start = async (url: string) => {
    writeFileSync(file, JSON.stringify({
      port: 0, dataDir: dir, alerts: { forSeconds: 0, recipients: ["ops@example.com"] },
      tenants: [{ name: "eu", url, db: "demo", user: "admin", password: "demo", timeoutMs: 2000 }],
    }));
    return startBackend(loadConfig({}, file), silentLogger(), { schedule: false });
  };
  const runAll = async (b: Backend) => {
    for (const c of b.collectorsAll) await b.runner.run(c);
  };

  test("inhibited and silenced alerts stay so, notify nothing, and budgets resume where they were", async () => {
    const demo = await startDemoOdoo({ seed: 5 });
    backend = await start(demo.url);
    await runAll(backend);
    await runAll(backend);
    const firing = (await backend.store.alerts.list({ tenant: "eu", state: "firing" })).map((a) => a.fingerprint).sort();
    assert.ok(firing.length > 0, "the demo breaches something");
    await backend.store.silences.create({ matchers: { tenant: "eu", sli: "mail_failed" }, creator: "ops", comment: "known SMTP relay issue", startsAt: Date.now(), endsAt: Date.now() + 3_600_000 });
    await demo.close();
    await runAll(backend);
    const slosBefore = (await (await fetch(`http://127.0.0.1:${backend.port}/api/v1/slos?tenant=eu`)).json()) as { slos: unknown[] };
    const outboxBefore = (await backend.store.outbox.all()).length;
    await backend.stop();

    backend = await start(demo.url); // the same Odoo, still down
    await runAll(backend);
    await runAll(backend);
    const all = await backend.store.alerts.list({ tenant: "eu" });
    const after = all.filter((a) => a.sli !== "sampling_up");
    assert.deepEqual(after.filter((a) => a.state === "firing").map((a) => a.fingerprint).sort(), firing, "nothing resolved or fired because of the restart");
    assert.ok(after.every((a) => a.inhibitedBy === "odoo unreachable for eu"), "still inhibited");
    const up = all.find((a) => a.sli === "sampling_up");
    assert.equal(up?.state, "firing", "what explains the muted alerts is an alert of its own");
    assert.equal(up?.inhibitedBy, null);
    const pages = (await backend.store.outbox.all()).filter((m) => m.subject.includes("odoo_business cannot be sampled"));
    assert.deepEqual(pages.map((m) => m.recipient), ["ops@example.com"], "paged once, to the operations address, before the restart");
    assert.ok(after.filter((a) => a.sli === "mail_failed").every((a) => a.silencedBy !== null), "the silence holds");
    assert.equal((await backend.store.outbox.all()).length, outboxBefore, "no notification from the restart");
    const slosAfter = (await (await fetch(`http://127.0.0.1:${backend.port}/api/v1/slos?tenant=eu`)).json()) as { slos: unknown[] };
    assert.deepEqual(slosAfter.slos.length, slosBefore.slos.length, "the SLO ledgers were rebuilt from the store");
  });
});
