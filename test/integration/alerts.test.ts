import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";

/**
 * Alerts on the demo tenant: every SLI that breaches its objective has a firing alert in /api/v1/alerts (a
 * threshold alert for gauges such as failing crons, a burn-rate page for service levels burning their whole
 * budget), and each firing is one notification waiting in the outbox per recipient.
 */
describe("alerts on the demo tenant", () => {
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

  test("the failing cron is a threshold ticket; label failures already failing at the first reading a burn-rate ticket with their budget", async () => {
    const { alerts } = (await get("alerts?state=firing")) as { alerts: Array<{ sli: string; kind: string; severity: string; details: { budgetRemaining?: number; burnRates?: Record<string, number> } }> };
    const cron = alerts.find((a) => a.sli === "cron_failing_jobs");
    assert.deepEqual([cron?.kind, cron?.severity], ["threshold", "ticket"]);
    const labels = alerts.filter((a) => a.sli === "label_failure_ratio");
    assert.ok(labels.length >= 1, "the demo's flaky carrier breaches the 1% label failure objective");
    for (const a of labels) {
      // A condition that already held when first sampled is known, not news: a ticket until it gets worse.
      assert.deepEqual([a.kind, a.severity], ["burn_rate", "ticket"]);
      // Every reading so far is bad: the burn rate is 1 / (1 - 0.99) = 100 in every window.
      assert.ok(Math.abs(a.details.burnRates!["5m"]! - 100) < 1e-9, `5m burn ${a.details.burnRates!["5m"]}`);
      // Two bad readings a minute's worth apart spend a sliver of a 28-day budget, however fast they burn.
      assert.ok(a.details.budgetRemaining! > 0.99 && a.details.budgetRemaining! < 1, `budget left ${a.details.budgetRemaining}`);
    }
  });

  test("each incident is one notification in the outbox, written once across cycles", async () => {
    const { incidents } = (await get("incidents")) as { incidents: Array<{ id: number; state: string; alerts: unknown[]; timeline: Array<{ kind: string; text: string }> }> };
    assert.ok(incidents.length >= 2 && incidents.every((i) => i.state === "open"), `${incidents.length} incidents`);
    const outbox = await backend.store.outbox.all();
    // One mail per transition each incident records: opened once, then only news (an unexplained alert joining).
    const told = incidents.flatMap((i) => i.timeline.filter((e) => e.kind === "notified"));
    assert.equal(outbox.length, told.length);
    for (const i of incidents) assert.equal(i.timeline.filter((e) => e.text === "notified: opened").length, 1);
    assert.ok(outbox.every((m) => m.recipient === "ops@example.com" && /^\[TICKET\] demo: /.test(m.subject)), outbox.map((m) => m.subject).join("; "));
    const { alerts } = (await get("alerts?state=firing")) as { alerts: unknown[] };
    assert.ok(alerts.length > incidents.length, "several alerts per incident");
  });

  test("the DHL label outage is one incident whose first cause is the DHL label service, with a timeline", async () => {
    const { incidents } = (await get("incidents?tenant=demo&state=open")) as { incidents: Array<{ id: number; alerts: Array<{ sli: string; labels: Record<string, string> }>; causes: Array<{ rank: number; layer: string; subject: string; evidence: string; confidence: number }> }> };
    const dhl = incidents.filter((i) => i.alerts.some((a) => a.sli === "label_failure_ratio" && a.labels.carrier === "DHL Express"));
    assert.equal(dhl.length, 1);
    const one = (await get(`incidents/${dhl[0]!.id}`)) as { causes: typeof dhl[0]["causes"]; timeline: Array<{ at: string; kind: string; text: string }>; mttdSeconds: number | null };
    assert.deepEqual([one.causes[0]?.rank, one.causes[0]?.layer, one.causes[0]?.subject], [1, "integration", "the DHL Express label service"]);
    assert.match(one.causes[0]!.evidence, /^DHL Express carrier label failures \d+\.\d% since first sampled at \d\d:\d\d UTC(, while [12] other carriers? prints? normally|, and every other carrier began failing with it)$/);
    assert.ok(one.causes[0]!.confidence > 0.5);
    assert.deepEqual(one.timeline.map((e) => e.kind).slice(0, 3), ["abnormal", "opened", "alert_fired"]);
    assert.ok(one.mttdSeconds !== null && one.mttdSeconds < 60, `MTTD ${one.mttdSeconds} s: told on the first round`);
    const bad = await fetch(`http://127.0.0.1:${backend.port}/api/v1/incidents/abc`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { parameter: string }).parameter, "id");
    const missing = await fetch(`http://127.0.0.1:${backend.port}/api/v1/incidents/99999`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(missing.status, 404);
  });

  test("/slos gives each service level's budget and burn rates, /metrics exports them", async () => {
    const { slos } = (await get("slos?tenant=demo")) as { slos: Array<{ sli: string; target: number; windowDays: number; errorBudgetRemaining: number; burnRates: Record<string, number> }> };
    assert.ok(slos.length >= 15, `${slos.length} SLOs`);
    const late = slos.find((s) => s.sli === "late_open_deliveries")!;
    assert.deepEqual([late.target, late.windowDays], [0.99, 28]);
    assert.deepEqual(Object.keys(late.burnRates), ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    const metrics = await (await fetch(`http://127.0.0.1:${backend.port}/metrics`)).text();
    assert.match(metrics, /logistics_slo_error_budget_remaining\{tenant="demo",sli="late_open_deliveries"\} -?\d/);
    assert.match(metrics, /^logistics_alerts\{tenant="demo",state="firing",severity="ticket",kind="burn_rate"\} [1-9]\d*$/m);
    assert.match(metrics, /logistics_slo_burn_rate\{tenant="demo",sli="label_failure_ratio",carrier="DHL Express",window="1h"\} (100|99\.9+\d*)\n/);
    assert.doesNotMatch(metrics, /=""/, "no empty label values");
    assert.doesNotMatch(metrics, /^logistics_process_/m, "process metrics under their standard names");
    assert.match(metrics, /^process_cpu_user_seconds_total /m);
  });

  test("/slos and /anomalies name a bad parameter", async () => {
    for (const [path, parameter] of [["slos?tenant=nope", "tenant"], ["anomalies?tenant=demo&sli=mail_failed", "sli"], ["anomalies?tenant=demo&hours=0", "hours"]]) {
      const res = await fetch(`http://127.0.0.1:${backend.port}/api/v1/${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 400, path);
      assert.equal(((await res.json()) as { parameter: string }).parameter, parameter, path);
    }
  });

  test("a bad state filter is a 400 naming the parameter", async () => {
    const res = await fetch(`http://127.0.0.1:${backend.port}/api/v1/alerts?state=burning`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { parameter: string }).parameter, "state");
  });
});
