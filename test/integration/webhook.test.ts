import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { outputNotifiers } from "../../server/app/delivery.ts";
import { loadConfig, type Config } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { deliverDue } from "../../server/notify/dispatcher.ts";
import { freePort } from "../support/ports.ts";
import { until } from "../support/until.ts";

/**
 * Signed webhooks to a local HTTP receiver that checks every signature as the README says: each incident
 * notification arrives signed over its timestamp and body; a 500 is tried again later, a 400 is not tried again;
 * an Alertmanager that cannot be reached meanwhile holds up nothing.
 */
describe("signed webhooks", () => {
  const SECRET = "webhook-secret-0123456789abcdef-xyz";
  const TOKEN = "webhook-api-token-0123456";
  let dir: string;
  let receiver: Server;
  let config: Config;
  let backend: Backend;
  const received: Array<{ path: string; headers: IncomingHttpHeaders; body: string; status: number }> = [];
  let failFirst = true;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lo-webhook-"));
    receiver = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      // /ops: fails its first request with a 500, then takes everything. /strict: refuses everything with a 400.
      const status = req.url === "/strict" ? 400 : failFirst ? 500 : 200;
      failFirst = failFirst && req.url !== "/ops";
      received.push({ path: req.url ?? "", headers: req.headers, body, status });
      res.writeHead(status).end(status === 400 ? "unknown schema" : "");
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: TOKEN, dataDir: dir,
      alerts: {
        forSeconds: 0,
        webhooks: [{ name: "ops", url: `${base}/ops`, secret: SECRET }, { name: "strict", url: `${base}/strict`, secret: SECRET }],
        // Nothing listens there: its posts fail and are retried, and the webhooks go out all the same.
        alertmanager: { urls: [`http://127.0.0.1:${await freePort()}`], timeoutSeconds: 2 },
      },
    }));
    config = loadConfig({}, file);
    backend = await startBackend(config, silentLogger(), { inMemoryStore: true, schedule: false });
    for (let i = 0; i < 2; i++) for (const c of backend.collectors) await backend.runner.run(c);
  });
  after(async () => {
    await backend?.stop();
    await new Promise((r) => receiver.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async (channel: string) => (await backend.store.outbox.all()).filter((r) => r.channel === channel);

  test("the first attempt gets a 500 and is retried with backoff; the 400 fails for good after one attempt", async () => {
    await until(15_000, async () => (await rows("webhook")).some((r) => r.recipient === "ops" && r.attempts > 0), "a first attempt to ops");
    const ops = (await rows("webhook")).filter((r) => r.recipient === "ops");
    assert.ok(ops.length >= 2, `${ops.length} incident notifications`);
    assert.equal(received.filter((r) => r.path === "/ops" && r.status === 500).length, 1, "one request, the others of that pass wait with it");
    assert.ok(ops.every((r) => r.state === "pending"), ops.map((r) => `${r.state} ${r.lastError}`).join("; "));
    assert.match(ops.find((r) => r.attempts === 1)!.lastError!, /^webhook ops: HTTP 500/);
    await until(15_000, async () => (await rows("webhook")).filter((r) => r.recipient === "strict").every((r) => r.state === "failed"), "strict failed");
    const strict = (await rows("webhook")).filter((r) => r.recipient === "strict");
    assert.ok(strict.every((r) => r.attempts === 1 && r.lastError === "webhook strict: HTTP 400 unknown schema"), strict.map((r) => `${r.attempts} ${r.lastError}`).join("; "));
  });

  test("the retry, once due, delivers every notification, each with a signature that verifies", async () => {
    const tally = await deliverDue(backend.store.outbox, outputNotifiers(config), new Date(Date.now() + 120_000));
    const ops = await rows("webhook").then((r) => r.filter((x) => x.recipient === "ops"));
    assert.ok(ops.every((r) => r.state === "sent"), ops.map((r) => `${r.state} ${r.lastError}`).join("; "));
    const delivered = received.filter((r) => r.path === "/ops" && r.status === 200);
    assert.equal(delivered.length, ops.length);
    assert.ok(delivered.some((r) => (JSON.parse(r.body) as { transition: string }).transition === "opened"), "the incidents' openings");
    for (const r of delivered) {
      // As a receiver written from the README checks it: t and v1 from the header, HMAC over "t.body".
      const header = String(r.headers["x-logistics-signature"]);
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
      assert.ok(t && v1, header);
      const expected = createHmac("sha256", SECRET).update(`${t}.${r.body}`).digest();
      assert.ok(timingSafeEqual(expected, Buffer.from(v1, "hex")), "signature verifies");
      assert.ok(Math.abs(Date.now() / 1000 - Number(t)) < 300, "fresh timestamp");
      const forged = createHmac("sha256", SECRET).update(`${t}.${r.body.replace('"type":"incident"', '"type":"forged"')}`).digest();
      assert.ok(!timingSafeEqual(forged, Buffer.from(v1, "hex")), "another body does not verify");
      const payload = JSON.parse(r.body) as { version: number; type: string; id: string; transition: string; incident: { tenant: string; causes: unknown[]; alerts: unknown[] } };
      assert.equal(r.headers["x-logistics-delivery"], payload.id);
      assert.deepEqual([payload.version, payload.type, payload.incident.tenant], [1, "incident", "demo"]);
      assert.ok(["opened", "worse", "cause", "resolved", "repeat"].includes(payload.transition), payload.transition);
      assert.ok(payload.incident.alerts.length >= 1);
    }
    console.log(`# webhook: ${delivered.length} notifications verified after a 500 (tally ${JSON.stringify(tally)}); e.g. x-logistics-signature: ${String(delivered[0]!.headers["x-logistics-signature"]).slice(0, 40)}…`);
  });

  test("the unreachable Alertmanager's posts wait for their retry, and held up nothing", async () => {
    const am = await rows("alertmanager");
    assert.ok(am.length > 0 && am.every((r) => r.state === "pending" && r.attempts >= 1 && /^alertmanager http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/.test(r.lastError ?? "")), am.map((r) => `${r.state} ${r.attempts} ${r.lastError}`).join("; "));
    const secrets = JSON.stringify(await backend.store.outbox.all()) + (await (await fetch(`http://127.0.0.1:${backend.port}/api/v1/incidents`, { headers: { authorization: `Bearer ${TOKEN}` } })).text());
    assert.ok(!secrets.includes(SECRET), "the webhook secret is nowhere");
  });
});
