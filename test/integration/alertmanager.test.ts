import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo, type DemoOdoo } from "../../server/demo/server.ts";
import { createLogger } from "../../server/log/logger.ts";
import { freePort } from "../support/ports.ts";
import { until } from "../support/until.ts";

/**
 * Alerts reach a real Alertmanager (Debian's prometheus-alertmanager, on ports and a storage directory of its own):
 * a firing alert is in its GET /api/v2/alerts with the labels routes match on, its route (a webhook receiver here,
 * as Slack or PagerDuty would be) is notified, and a resolved alert is posted with its end and leaves it. The
 * bearer token goes only to Alertmanager: never to the log, the outbox or the API.
 */
const BINARY = ["prometheus-alertmanager", "alertmanager"].find((b) => spawnSync(b, ["--version"]).status === 0);
if (!BINARY) console.log("# Alertmanager suite: NOT RUN (alertmanager missing: apt-get install prometheus-alertmanager)");

interface AmAlert { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL?: string; status: { state: string } }
interface Routed { status: string; alerts: Array<{ status: string; labels: Record<string, string>; endsAt: string }> }

describe("Alertmanager", { skip: BINARY ? false : "alertmanager missing" }, () => {
  const TOKEN = "alertmanager-api-token-0123";
  const BEARER = "am-bearer-secret-5f2c9e1d7a";
  let dir: string;
  let am: ChildProcess;
  let amUrl: string;
  let guard: Server;
  let receiver: Server;
  const routed: Routed[] = [];
  const refused: string[] = [];
  let demo: DemoOdoo;
  let odooProxy: Server;
  let odooDown = false;
  let backend: Backend;
  const logLines: string[] = [];
  let amLog = "";

  const amAlerts = async () => (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[];
  const api = async (path: string) => (await fetch(`http://127.0.0.1:${backend.port}/api/v1/${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const cycle = async () => {
    for (const c of backend.collectors) await backend.runner.run(c);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lo-alertmanager-"));
    // Alertmanager's route: every alert to a local webhook receiver, grouped per incident, resolutions included.
    receiver = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      routed.push(JSON.parse(body) as Routed);
      res.end();
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    writeFileSync(join(dir, "alertmanager.yml"), [
      "route:",
      "  receiver: sink",
      "  group_by: [tenant, incident]",
      "  group_wait: 1s",
      "  group_interval: 1s",
      "  repeat_interval: 1h",
      "receivers:",
      "  - name: sink",
      "    webhook_configs:",
      `      - url: ${receiverUrl}`,
      "        send_resolved: true",
      "",
    ].join("\n"));
    const amPort = await freePort();
    // No cluster listener (it would take the fixed port 9094); storage in this test's own directory.
    am = spawn(BINARY!, [`--config.file=${join(dir, "alertmanager.yml")}`, `--storage.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${amPort}`, "--cluster.listen-address=", "--log.level=debug"], { stdio: ["ignore", "ignore", "pipe"] });
    amLog = "";
    am.stderr!.on("data", (d) => (amLog += String(d)));
    await until(15_000, async () => (await fetch(`http://127.0.0.1:${amPort}/-/ready`)).ok, `Alertmanager ready (${amLog.slice(-300)})`);
    // In front of Alertmanager, what an authenticating proxy does: no bearer token, no entry.
    guard = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      if (req.headers.authorization !== `Bearer ${BEARER}`) {
        refused.push(String(req.headers.authorization));
        return res.writeHead(401).end("unauthorized");
      }
      const answer = await fetch(`http://127.0.0.1:${amPort}${req.url}`, { method: req.method, headers: { "content-type": "application/json" }, body: req.method === "POST" ? body : undefined });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" }).end(await answer.text());
    });
    await new Promise<void>((r) => guard.listen(0, "127.0.0.1", r));
    amUrl = `http://127.0.0.1:${amPort}`;

    // A tenant behind a proxy that can play an Odoo that went away (the monitor's own alert fires, then resolves).
    demo = await startDemoOdoo({ seed: 21 });
    odooProxy = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      if (odooDown) return res.writeHead(502).end("Bad Gateway");
      const answer = await fetch(`${demo.url}${req.url}`, { method: req.method, headers: { "content-type": String(req.headers["content-type"]) }, body });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" }).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((r) => odooProxy.listen(0, "127.0.0.1", r));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: TOKEN, dataDir: dir,
      alerts: {
        forSeconds: 0,
        alertmanager: { urls: [`http://127.0.0.1:${(guard.address() as { port: number }).port}`], bearerToken: BEARER, dashboardUrl: "https://grafana.example.com/d/logistics-tenant?var-tenant={tenant}" },
      },
      tenants: [{ name: "acme", url: `http://127.0.0.1:${(odooProxy.address() as { port: number }).port}`, db: demo.db, user: demo.user, password: demo.password, timeoutMs: 3000 }],
    }));
    const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
    backend = await startBackend(loadConfig({}, file), createLogger("debug", sink), { inMemoryStore: true, schedule: false });
    await cycle();
    await cycle();
  });

  after(async () => {
    await backend?.stop();
    // Alertmanager writes its silences and notification log when it stops: its directory goes after it.
    if (am && am.exitCode === null) await Promise.all([once(am, "exit"), am.kill("SIGTERM")]);
    if (process.env.AM_LOG) console.log(amLog);
    for (const s of [guard, receiver, odooProxy]) await new Promise((r) => s?.close(r));
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a firing alert is in Alertmanager with its tenant, SLI, severity, cause layer, incident and annotations", async () => {
    const dhl = await until(15_000, async () => (await amAlerts()).find((a) => a.labels.sli === "label_failure_ratio" && a.labels.carrier === "DHL Express"), "the DHL label alert in Alertmanager");
    console.log(`# Alertmanager lists: ${JSON.stringify({ labels: dhl.labels, startsAt: dhl.startsAt, endsAt: dhl.endsAt, state: dhl.status.state })}`);
    console.log(`# annotations: ${JSON.stringify(dhl.annotations)}`);
    const { alerts } = JSON.parse(await api("alerts?state=firing&tenant=acme")) as { alerts: Array<{ sli: string; labels: Record<string, string>; severity: string; incidentId: number; silencedBy: number | null; inhibitedBy: string | null }> };
    const ours = alerts.find((a) => a.sli === "label_failure_ratio" && a.labels.carrier === "DHL Express")!;
    assert.deepEqual(
      { ...dhl.labels },
      { alertname: "Logistics_label_failure_ratio", tenant: "acme", sli: "label_failure_ratio", severity: ours.severity, kind: "burn_rate", layer: "business", cause_layer: "integration", incident: String(ours.incidentId), carrier: "DHL Express" },
    );
    assert.equal(dhl.status.state, "active");
    assert.match(dhl.annotations.summary!, /^acme: Carrier label failures \(carrier=DHL Express\): breaches its objective$/);
    assert.match(dhl.annotations.probable_cause!, /^integration: the DHL Express label service \(\d+%\)$/);
    assert.match(dhl.annotations.evidence!, /^1\. integration: the DHL Express label service: DHL Express carrier label failures/);
    assert.equal(dhl.annotations.dashboard, "https://grafana.example.com/d/logistics-tenant?var-tenant=acme");
    assert.equal(dhl.generatorURL, dhl.annotations.dashboard);
    // Good for four resend intervals (4 min): Alertmanager's resolve_timeout never ends it while we post.
    const goodFor = Date.parse(dhl.endsAt) - Date.now();
    assert.ok(goodFor > 200_000 && goodFor <= 240_000, `endsAt ${dhl.endsAt}`);
    // Every firing alert not muted is there, and nothing else.
    const listed = (await amAlerts()).filter((a) => a.labels.tenant === "acme").length;
    assert.equal(listed, alerts.filter((a) => !a.silencedBy && !a.inhibitedBy).length);
    await until(10_000, () => routed.some((n) => n.alerts.some((a) => a.labels.carrier === "DHL Express" && a.status === "firing")), "Alertmanager's route notified");
  });

  test("re-posted while firing, not before the resend interval", async () => {
    const before = (await backend.store.outbox.all()).filter((r) => r.channel === "alertmanager").length;
    await cycle();
    const after = (await backend.store.outbox.all()).filter((r) => r.channel === "alertmanager").length;
    assert.equal(after, before, "a round a few seconds later posts nothing new");
  });

  test("an Odoo that goes away fires the monitor's alert in Alertmanager; back, it is posted resolved and leaves", async () => {
    odooDown = true;
    await cycle();
    await cycle();
    const down = await until(15_000, async () => (await amAlerts()).find((a) => a.labels.sli === "sampling_up" && a.labels.tenant === "acme"), "sampling_up in Alertmanager");
    console.log(`# Alertmanager lists: ${JSON.stringify({ labels: down.labels, state: down.status.state })}; probable_cause: ${down.annotations.probable_cause}`);
    assert.equal(down.labels.severity, "page");
    assert.equal(down.labels.cause_layer, "monitoring");
    // The business alerts that failure explains are inhibited: no longer posted, they are ended in Alertmanager.
    await until(10_000, async () => !(await amAlerts()).some((a) => a.labels.sli === "label_failure_ratio"), "inhibited alerts ended in Alertmanager");
    // Alertmanager tells a route of a resolution only when it told it of the firing (after group_wait).
    await until(10_000, () => routed.some((n) => n.alerts.some((a) => a.labels.sli === "sampling_up" && a.status === "firing")), "the page routed");

    odooDown = false;
    for (let i = 0; i < 4 && JSON.parse(await api("alerts?tenant=acme")).alerts.some((a: { sli: string; state: string }) => a.sli === "sampling_up" && a.state === "firing"); i++) await cycle();
    await until(15_000, async () => !(await amAlerts()).some((a) => a.labels.sli === "sampling_up"), "sampling_up gone from Alertmanager's active alerts");
    const resolved = await until(15_000, () => routed.flatMap((n) => n.alerts).find((a) => a.labels.sli === "sampling_up" && a.status === "resolved"), "the resolution routed");
    console.log(`# Alertmanager routed: sampling_up ${resolved.status}, endsAt ${resolved.endsAt}`);
    assert.ok(Date.parse(resolved.endsAt) <= Date.now());
    const rows = (await backend.store.outbox.all()).filter((r) => r.channel === "alertmanager");
    assert.ok(rows.some((r) => r.subject.startsWith("[RESOLVED] acme: ")), "a resolved post in the outbox");
    assert.ok(rows.every((r) => r.state === "sent"), rows.filter((r) => r.state !== "sent").map((r) => `${r.state} ${r.lastError}`).join("; "));
  });

  test("the bearer token reaches Alertmanager only: not the log, the outbox, or the API", async () => {
    assert.deepEqual(refused, [], "every post carried the token");
    const everything = [logLines.join(""), JSON.stringify(await backend.store.outbox.all()), await api("alerts"), await api("incidents"), await api("tenants")].join("\n");
    assert.ok(logLines.length > 0);
    assert.ok(!everything.includes(BEARER), "the token leaked");
  });
});
