import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { startSmtpSink } from "../support/smtp-sink.ts";

/**
 * A revoked API key on a real Odoo 18: the key is made through Odoo's own wizard (as a user does in Preferences >
 * Account Security), the backend samples with it, the key is deleted, and the "cannot sample" page reaches the
 * operations address by SMTP within two sampling cycles. Needs ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD.
 */
const url = process.env.ODOO_URL;
if (!url) console.log("# real Odoo revoked key suite: NOT RUN (ODOO_URL unset; ../shared/odoo/odoo-up.sh starts one)");
const INTERVAL_S = 10;

describe("a revoked API key on a real Odoo", { skip: url ? false : "ODOO_URL unset" }, () => {
  const db = process.env.ODOO_DB!;
  const user = process.env.ODOO_USER!;
  const password = process.env.ODOO_PASSWORD!;
  let cookie = "";
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let backend: Backend;
  let keyId = 0;

  /** A call through the web client's session, as the browser makes it. */
  const callKw = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/web/dataset/call_kw/${model}/${method}`, {
      method: "POST", headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params: { model, method, args, kwargs } }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { data: { message: string } } };
    if (body.error) throw new Error(`${model}.${method}: ${body.error.data.message}`);
    return body.result;
  };

  before(async () => {
    const login = await fetch(`${url}/web/session/authenticate`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params: { db, login: user, password } }),
    });
    cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    const description = (await callKw("res.users.apikeys.description", "create", [{ name: `monitor ${process.pid}`, duration: "0" }])) as number;
    const wizard = (await callKw("res.users.apikeys.description", "make_key", [[description]])) as { res_model: string; res_id: number };
    await callKw(wizard.res_model, "write", [[wizard.res_id], { password }]);
    const checked = (await callKw(wizard.res_model, "run_check", [[wizard.res_id]])) as { context: { default_key: string } };
    const key = checked.context.default_key;
    const keys = (await callKw("res.users.apikeys", "search_read", [[["name", "=", `monitor ${process.pid}`]], ["id"]])) as Array<{ id: number }>;
    keyId = keys[0]!.id;

    sink = await startSmtpSink();
    const dir = mkdtempSync(join(tmpdir(), "lo-revoked-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: "revoked-token-0123456789", dataDir: dir,
      sampling: { intervalSeconds: INTERVAL_S, jitterSeconds: 0, timeoutSeconds: 8 },
      alerts: { recipients: ["ops@example.com"], smtp: { host: "127.0.0.1", port: sink.port, from: "monitor@example.com", allowPlainText: true } },
      tenants: [{ name: "logistics", url, db, user, apiKey: key, timeoutMs: 8000 }],
    }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true });
    for (let i = 0; i < 60 && !backend.runner.healthOf("logistics", "odoo_business")?.ok; i++) await sleep(500);
    assert.equal(backend.runner.healthOf("logistics", "odoo_business")?.ok, true, "samples with the key");
  });
  after(async () => {
    await backend?.stop();
    await sink?.close();
    if (keyId) await callKw("res.users.apikeys", "remove", [[keyId]]).catch(() => {});
  });

  test("deleting the key pages the operations address within two cycles", async () => {
    const revokedAt = Date.now();
    await callKw("res.users.apikeys", "remove", [[keyId]]);
    keyId = 0;
    let mail;
    while (!(mail = sink.received.find((m) => /logistics: .*odoo_business cannot be sampled/.test(m.subject)))) {
      if (Date.now() - revokedAt > 4 * INTERVAL_S * 1000) {
        const alerts = (await backend.store.alerts.list({ tenant: "logistics" })).filter((a) => a.sli === "sampling_up");
        assert.fail(`no page within four cycles; health ${JSON.stringify(backend.runner.healthOf("logistics", "odoo_business"))}; ${JSON.stringify(alerts.map((a) => [a.state, a.since]))}; outbox ${JSON.stringify((await backend.store.outbox.all()).map((m) => [m.channel, m.state, m.subject, m.lastError]))}`);
      }
      await sleep(200);
    }
    const seconds = (Date.now() - revokedAt) / 1000;
    console.log(`# real Odoo 18: API key deleted -> page at ${mail.to} after ${seconds.toFixed(1)} s (${INTERVAL_S} s cycles): ${mail.subject}`);
    assert.ok(seconds <= 2 * INTERVAL_S + 2, `${seconds} s`);
    assert.match(mail.raw, /access denied|login refused/);
    assert.equal(backend.runner.healthOf("logistics", "odoo_business")?.ok, false);
  });
});
