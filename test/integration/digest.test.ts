import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import type { Incident } from "../../server/detect/incidents.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { dueDigest, localDateOf, previousWeek, weekdayOf } from "../../server/report/week.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";
import { incident } from "../support/incident.ts";
import { startSmtpSink } from "../support/smtp-sink.ts";
import { until } from "../support/until.ts";

/**
 * The weekly digest end to end: a backend whose store holds two weeks of service levels, incidents, a deploy, a
 * restore test and tenant shares sends each manager one digest email through a real SMTP server with those
 * figures, and a restart sends none again. The same figures through GET /digest and /scorecard, with the
 * tenant-token rules. On the test PostgreSQL when TEST_PG_URL is set, else on the embedded store.
 */
const MIN = 60_000;
const DAY = 86_400_000;
const ZONE = "Europe/Brussels";
const TOKEN = "digest-suite-operator-token";

/** The text/plain part of a raw MIME message, quoted-printable decoded. */
function plainText(raw: string): string {
  const part = /Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)\r?\n--/i.exec(raw)?.[1] ?? "";
  const bytes = part.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8").replace(/\r\n/g, "\n");
}

describe("weekly digest and scorecard", () => {
  const dir = mkdtempSync(join(tmpdir(), "lo-digest-"));
  const file = join(dir, "config.json");
  const pgUrl = process.env.TEST_PG_URL;
  let storeUrl: string | undefined;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let backend: Backend | undefined;
  // The schedule is "now" in Brussels, so that the digest of the week that ended yesterday is due at start.
  const now = Date.now();
  const local = localDateOf(now, ZONE);
  const schedule = { weekday: weekdayOf(local.date), hour: local.hour, timezone: ZONE };
  const { week } = dueDigest(now, schedule);
  const previous = previousWeek(week, ZONE);
  const i1 = week.from + 2 * DAY + 10 * 3_600_000;
  const i2 = week.from + 4 * DAY;
  const i3 = previous.from + DAY;
  const seeded: Incident[] = [
    incident({ id: null, openedAt: i1, firstAbnormalAt: i1 - 2 * MIN, firstNotifiedAt: i1, resolvedAt: i1 + 30 * MIN, causeLayer: "integration", title: "Carrier label failures (dhl)" }),
    incident({ id: null, openedAt: i2, firstAbnormalAt: i2 - 5 * MIN, firstNotifiedAt: i2, resolvedAt: i2 + 2 * 3_600_000, severity: "ticket", title: "Late open deliveries" }),
    incident({ id: null, openedAt: i3, firstAbnormalAt: i3 - 10 * MIN, firstNotifiedAt: i3, resolvedAt: i3 + 50 * MIN, causeLayer: "database", title: "Wave completion delay" }),
    incident({ id: null, scope: "eu|monitoring:odoo_business", openedAt: i2, title: "the monitor's own failure: not counted" }),
  ];

  const start = async () => {
    writeFileSync(file, JSON.stringify({
      port: 0, dataDir: dir, apiToken: TOKEN, ...(storeUrl && { store: { url: storeUrl } }),
      alerts: { smtp: { host: "127.0.0.1", port: sink.port, from: "logistics-observability@example.com", allowPlainText: true } },
      digest: { recipients: ["managers@example.com"], tenantRecipients: { eu: ["eu-lead@example.com"] }, weekday: schedule.weekday, hour: schedule.hour, timeZone: ZONE },
      tenants: [
        { name: "eu", url: "http://127.0.0.1:9", db: "eu", user: "monitor", password: "x", timezone: ZONE },
        { name: "us", url: "http://127.0.0.1:9", db: "us", user: "monitor", password: "x" },
      ],
    }));
    return startBackend(loadConfig({}, file), silentLogger(), { schedule: false });
  };

  const seed = async (store: Store) => {
    for (const i of seeded) await store.incidents.save(i, new Date(i.openedAt));
    const readings = (from: number, sli: string, bad: number) =>
      Array.from({ length: 100 }, (_, n) => ({ tenant: "eu", sli, labelsKey: "", labels: {}, at: new Date(from + n * 3_600_000), value: 1, bad: n < bad }));
    for (const [from, bad] of [[week.from, 10], [previous.from, 0]] as const) {
      await store.slo.record(readings(from, "on_time_delivery_ratio", bad));
      await store.slo.record(readings(from, "late_open_deliveries", 0));
    }
    // Late deliveries within objective before the first incident, out of it 3 minutes after its notification.
    const late = (at: number, value: number) => ({ tenant: "eu", source: "odoo_business", sli: "late_open_deliveries", labels: {}, at: new Date(at), value, missing: null });
    await store.recordRun("eu", "odoo_business", [late(i1 - 7 * MIN, 3), late(i1 + 3 * MIN, 15)]);
    const share = (at: number, value: number) => ({ tenant: "eu", source: "postgres", sli: "pg_tenant_share", labels: { resource: "connections" }, at: new Date(at), value, missing: null });
    await store.recordRun("global", "postgres", [share(i1, 0.25), share(i2, 0.35)]);
    await store.events.append("backup", null, new Date(now - 2 * DAY), { kind: "restore_test", status: "success" });
    await store.events.append("deploy", "eu", new Date(i1 - 12 * MIN), { version: "2026.12-1", author: "ci" });
  };

  const api = async (path: string, token = TOKEN) => {
    const res = await fetch(`http://127.0.0.1:${backend!.port}/api/v1/${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    sink = await startSmtpSink();
    if (pgUrl) {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      const db = `lo_digest_${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS ${db}`);
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.end();
      const u = new URL(pgUrl);
      u.pathname = `/${db}`;
      storeUrl = u.toString();
    }
    const store = await openStore(storeUrl ? { url: storeUrl } : { dataDir: dir });
    await seed(store);
    await store.close();
    backend = await start();
  });

  after(async () => {
    await backend?.stop();
    await sink?.close();
  });

  test("each manager gets one digest email per tenant with the week's figures", async () => {
    await until(20_000, () => sink.received.length >= 3, "three digest emails");
    const sent = sink.received.map((m) => `${m.to}: ${/digest: (\w+),/.exec(m.subject)?.[1]}`).sort();
    assert.deepEqual(sent, ["eu-lead@example.com: eu", "managers@example.com: eu", "managers@example.com: us"], "every tenant's to the managers, eu's to its own lead too");
    const mail = sink.received.find((m) => m.to === "eu-lead@example.com")!;
    console.log(`# subject: ${mail.subject}`);
    assert.equal(mail.subject, `Logistics Health weekly digest: eu, ${week.weekStart} to ${week.weekEnd}: 1 of 2 service levels met, 2 incidents`);
    assert.match(mail.raw, /Content-Type: multipart\/alternative/i);
    const text = plainText(mail.raw);
    for (const line of text.split("\n").slice(0, 11)) console.log(`# ${line}`);
    assert.match(text, /^Service levels met\s+1 of 2\s+2 of 2\s+worse$/m);
    assert.match(text, /^Incidents\s+2\s+1\s+worse$/m);
    assert.match(text, /^Incidents that paged\s+1\s+1\s+same$/m);
    assert.match(text, /^Incidents with a probable cause\s+1 of 2\s+1 of 1\s+worse$/m);
    assert.match(text, /On-time deliveries \(Odoo On Time %\): 90\.0% \(last week 100\.0%\); target 99\.0% - MISSED/);
    assert.match(text, /\[page\] Carrier label failures \(dhl\)\n\s+detected in 2 min, resolved in 32 min; integration: the integration thing/);
    assert.doesNotMatch(text, /monitor's own failure/);
    const brussels = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(i1);
    assert.match(text, new RegExp(`, ${brussels}\\s+\\[page\\] Carrier label failures`), "the incident's time in Brussels");
  });

  test("a restart sends no second digest, even when the week's mark was lost", async () => {
    await until(10_000, async () => (await backend!.store.outbox.all()).filter((r) => r.idempotencyKey.startsWith("digest/")).every((r) => r.state === "sent"), "digests marked sent");
    await backend!.store.setCursor("eu", "weekly-digest", { weekEnd: "lost" });
    await backend!.stop();
    backend = await start();
    await until(10_000, async () => (await backend!.store.getCursor<{ weekEnd: string }>("eu", "weekly-digest"))?.weekEnd === week.weekEnd, "the digest check after the restart");
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(sink.received.length, 3, sink.received.map((m) => `${m.to} ${m.messageId} ${m.subject}`).join("\n"));
    assert.equal((await backend!.store.outbox.all()).filter((r) => r.idempotencyKey.startsWith("digest/")).length, 3);
  });

  test("GET /digest: the same figures, and a chosen week", async () => {
    const { status, body } = await api("digest?tenant=eu");
    assert.equal(status, 200);
    assert.deepEqual([body.weekStart, body.weekEnd, body.timezone, body.complete], [week.weekStart, week.weekEnd, ZONE, true]);
    const kpis = body.kpis as Array<{ key: string; thisWeek: number; lastWeek: number }>;
    assert.deepEqual(kpis.map((k) => [k.key, k.thisWeek, k.lastWeek]), [
      ["service_levels_met", 1, 2], ["incidents", 2, 1], ["pages", 1, 1], ["mttd", (120 + 300) / 2, 600], ["mttr", (32 * 60 + 125 * 60) / 2, 60 * 60], ["incidents_with_cause", 1, 1],
    ]);
    assert.deepEqual(body.topCauses, [{ layer: "integration", count: 1, lastWeek: 0 }, { layer: "unknown", count: 1, lastWeek: 0 }]);
    const earlier = await api(`digest?tenant=eu&week_end=${previous.weekEnd}`);
    assert.deepEqual((earlier.body.kpis as Array<{ key: string; thisWeek: number }>).find((k) => k.key === "incidents")?.thisWeek, 1);
  });

  test("GET /scorecard: the five questions answered from the store", async () => {
    const { status, body } = await api("scorecard?tenant=eu&days=30");
    assert.equal(status, 200);
    const answers = body.answers as Array<{ key: string; answer: string; verdict: string }>;
    for (const a of answers) console.log(`# ${a.key}: ${a.answer}: ${a.verdict}`);
    const by = Object.fromEntries(answers.map((a) => [a.key, a]));
    assert.equal(by.detection!.verdict, "Detected before customers: 3 of 3 incidents; median 3 min before the first late delivery; 2 never reached customers");
    assert.deepEqual([by.isolation!.answer, by.isolation!.verdict], ["partly", "Probable cause found for 2 of 3 incidents (67%): database 1, integration 1"]);
    assert.equal(by.backups!.answer, "yes");
    assert.match(by.backups!.verdict, /^Last successful restore test 2(\.0)? days ago/);
    assert.deepEqual([by.tenants!.answer, by.tenants!.verdict], ["yes", "eu used on average 30% of connections (peak 35% of connections); 0 incidents caused by another tenant"]);
    assert.equal(by.changes!.answer, "no");
    assert.match(by.changes!.verdict, /^1 deploy or module upgrade in 30 days; 1 followed by an incident within/);
  });

  test("validation names the field; a tenant token sees its tenant only", async () => {
    const cases: Array<[string, number, string]> = [
      ["digest?tenant=eu&week_end=2026-13-01", 400, "week_end"],
      ["digest?tenant=eu&week_end=2999-01-01", 400, "week_end"],
      ["digest?tenant=nowhere", 400, "tenant"],
      ["digest", 400, "tenant"],
      ["scorecard?tenant=eu&days=0", 400, "days"],
      ["scorecard?tenant=eu&days=many", 400, "days"],
      ["scorecard?tenant=eu&color=red", 400, "color"],
    ];
    for (const [path, status, parameter] of cases) {
      const r = await api(path);
      assert.deepEqual([r.status, r.body.parameter], [status, parameter], `${path}: ${JSON.stringify(r.body)}`);
    }
    const created = await fetch(`http://127.0.0.1:${backend!.port}/api/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ tenant: "us", scopes: ["read"], label: "us odoo" }),
    });
    const usToken = ((await created.json()) as { token: string }).token;
    for (const path of ["digest?tenant=eu", "scorecard?tenant=eu"]) {
      const r = await api(path, usToken);
      assert.deepEqual([r.status, r.body.parameter], [403, "tenant"], path);
    }
    const own = await api("digest", usToken);
    assert.deepEqual([own.status, own.body.tenant], [200, "us"]);
  });
});
