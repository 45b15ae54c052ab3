import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo, type DemoOdoo } from "../../server/demo/server.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { startSmtpSink } from "../support/smtp-sink.ts";
import { until } from "../support/until.ts";

const INTERVAL_S = 5;

/**
 * The monitor's own failures are alerts (like Prometheus' up == 0), mailed to the operations address by SMTP:
 * the tenant's Odoo, or the credentials it revoked, is what failed. Real scheduler, real SMTP server, 5 s cycles.
 */
describe("cannot sample: meta-alerts", () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let demo: DemoOdoo;
  let other: DemoOdoo;
  let proxy: Server;
  let mode: "forward" | "status-page" = "forward";
  let backend: Backend;

  before(async () => {
    sink = await startSmtpSink();
    demo = await startDemoOdoo({ seed: 11 });
    other = await startDemoOdoo({ seed: 12 });
    // What sits in front of an Odoo: it forwards, or answers a maintenance page's JSON with HTTP 200.
    proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (mode === "status-page") return res.writeHead(200, { "content-type": "application/json" }).end(`{"status":"ok"}`);
      const answer = await fetch(`${other.url}${req.url}`, { method: req.method, headers: { "content-type": String(req.headers["content-type"]) }, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" }).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const proxied = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const dir = mkdtempSync(join(tmpdir(), "lo-meta-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: "meta-token-0123456789", dataDir: dir,
      sampling: { intervalSeconds: INTERVAL_S, jitterSeconds: 0, timeoutSeconds: 4 },
      alerts: { forSeconds: 60, recipients: ["ops@example.com"], smtp: { host: "127.0.0.1", port: sink.port, from: "monitor@example.com", allowPlainText: true } },
      tenants: [
        { name: "acme", url: demo.url, db: demo.db, user: demo.user, password: demo.password, timeoutMs: 3000 },
        { name: "behind-proxy", url: proxied, db: other.db, user: other.user, password: other.password, timeoutMs: 3000 },
      ],
    }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true });
    await until(20_000, () => ["acme", "behind-proxy"].every((t) => backend.runner.healthOf(t, "odoo_business")?.ok), "both tenants sampled");
  });
  after(async () => {
    await backend?.stop();
    await new Promise((r) => proxy.close(r));
    await demo.close();
    await other.close();
    await sink.close();
  });

  test("a revoked credential pages the operations address within two cycles, naming the tenant and the refusal", async () => {
    const revokedAt = Date.now();
    demo.setPassword("rotated-by-the-admin");
    const mail = await until(4 * INTERVAL_S * 1000, () => sink.received.find((m) => /acme: .*odoo_business cannot be sampled/.test(m.subject)), "a page about acme");
    const seconds = (Date.now() - revokedAt) / 1000;
    console.log(`# revoked credential -> page at ops@example.com after ${seconds.toFixed(1)} s (${INTERVAL_S} s cycles)`);
    assert.ok(seconds <= 2 * INTERVAL_S + 1, `paged after ${seconds} s, more than two cycles`);
    assert.equal(mail.to, "ops@example.com");
    assert.match(mail.subject, /^\[PAGE\]/);
    assert.match(mail.raw, /access denied|login refused/);
    assert.ok(!mail.raw.includes("rotated-by-the-admin") && !mail.raw.includes(`password: ${demo.password}`), "no credential in the page");
    // The business alerts it explains are muted; the good tenant is not.
    const alerts = await backend.store.alerts.list({ tenant: "acme" });
    assert.ok(alerts.filter((a) => a.sli !== "sampling_up" && a.state !== "resolved").every((a) => a.inhibitedBy === "odoo unreachable for acme"));
    assert.equal(backend.runner.healthOf("behind-proxy", "odoo_business")!.ok, true, "the other tenant samples on");

    demo.setPassword(demo.password);
    await until(4 * INTERVAL_S * 1000, () => sink.received.find((m) => /^\[RESOLVED\] acme: .*sampling/i.test(m.subject)), "the resolution");
  });

  test("a maintenance page answered instead of JSON-RPC costs the cycles it lasts, not the tenant", async () => {
    const runs = () => backend.runner.healthOf("behind-proxy", "odoo_business")!.runs;
    mode = "status-page";
    const failedRun = runs();
    await until(3 * INTERVAL_S * 1000, () => runs() > failedRun && !backend.runner.healthOf("behind-proxy", "odoo_business")!.ok, "a failed run");
    assert.match(backend.runner.healthOf("behind-proxy", "odoo_business")!.error!, /not a JSON-RPC reply to request .*\{"status":"ok"\}/);
    mode = "forward";
    const back = Date.now();
    await until(3 * INTERVAL_S * 1000, () => backend.runner.healthOf("behind-proxy", "odoo_business")!.ok, "sampling back");
    const seconds = (Date.now() - back) / 1000;
    console.log(`# maintenance page -> sampling back ${seconds.toFixed(1)} s after it went away`);
    assert.ok(seconds <= INTERVAL_S + 2, "back at the next cycle");
  });
});
