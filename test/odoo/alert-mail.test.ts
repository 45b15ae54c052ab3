import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { execSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBackend } from "../../server/app/backend.ts";
import { loadConfig, type Tenant } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { deliverDue, type Channels } from "../../server/notify/dispatcher.ts";
import { INCIDENT_MODEL, OdooAlertSink } from "../../server/notify/odoo.ts";
import { SmtpNotifier } from "../../server/notify/smtp.ts";
import { OdooClient } from "../../server/odoo/client.ts";
import { alertTimeline, MINUTE } from "../support/alert-timeline.ts";
import { startSmtpSink } from "../support/smtp-sink.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { connectAddon } from "../support/odoo-settings.ts";

/**
 * Incident email on a real Odoo 18 with the addon: an outage of a carrier's label service is one
 * logistics.incident record (ranked causes, timeline, its alerts linked) and one mail.mail per incident
 * transition, however many alerts it groups; its alert records are recorded without mails of their own. With Odoo
 * unreachable the SMTP fallback of the incident goes to the operations address and the record is created once
 * Odoo is back. "Unreachable" is a TCP proxy in front of Odoo that is stopped and started: to the backend exactly
 * a stopped server (connection refused), without restarting Odoo under the other suites. With ODOO_STOP_CMD and
 * ODOO_START_CMD set (e.g. ../shared/odoo/odoo-down.sh and odoo-up.sh) the real server is stopped and started
 * instead. Needs ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD (a user in Logistics Health / Manager, e.g. admin).
 */
const url = process.env.ODOO_URL;
if (!url) console.log("# real Odoo incident mail suite: NOT RUN (ODOO_URL unset; ../shared/odoo/odoo-up.sh starts one)");

/** The text of a received email: its body with quoted-printable soft line breaks and escapes undone. */
function textOf(raw: string): string {
  const body = raw.slice(raw.search(/\r?\n\r?\n/)).trim();
  return Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8").replace(/\r\n/g, "\n");
}

interface IncidentRow {
  id: number;
  title: string;
  state: string;
  severity: string;
  last_subject: string;
  mttd_known: boolean;
  mttd_seconds: number;
  mttr_known: boolean;
  mttr_seconds: number;
  resolved_at: string | false;
  cause_ids: number[];
  timeline_ids: number[];
  alert_ids: number[];
}

interface AlertRow {
  id: number;
  state: string;
  summary: string;
  severity: string;
  incident_id: [number, string] | false;
  notification_ids: number[];
}

describe("incident email through a real Odoo, SMTP fallback while it is down", { skip: url ? false : "ODOO_URL unset" }, () => {
  const tenantName = `mail${Date.now().toString(36)}`;
  let odoo: OdooClient;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let channels: Channels;
  let recipientPartner: number;
  let tl: Awaited<ReturnType<typeof alertTimeline>>;
  const T0 = Date.now() - 30 * MINUTE;

  const incidents = async () =>
    odoo.searchRead<IncidentRow>("logistics.incident", [["tenant", "=", tenantName]], [
      "title", "state", "severity", "last_subject", "mttd_known", "mttd_seconds", "mttr_known", "mttr_seconds", "resolved_at", "cause_ids", "timeline_ids", "alert_ids",
    ], { order: "id asc" });
  const alerts = async () =>
    odoo.searchRead<AlertRow>("logistics.alert", [["tenant", "=", tenantName]], ["state", "summary", "severity", "incident_id", "notification_ids"], { order: "id asc" });
  const mails = async (subject: string) =>
    odoo.searchRead<{ id: number; recipient_ids: number[]; model: string; res_id: number }>("mail.mail", [["subject", "=", subject]], ["recipient_ids", "model", "res_id"]);
  const causes = async (incident: number) =>
    odoo.searchRead<{ rank: number; layer: string; subject: string; evidence: string; confidence: number }>(
      "logistics.incident.cause", [["incident_id", "=", incident]], ["rank", "layer", "subject", "evidence", "confidence"], { order: "rank asc" },
    );
  const timeline = async (incident: number) =>
    odoo.searchRead<{ kind: string; text: string }>("logistics.incident.timeline", [["incident_id", "=", incident]], ["kind", "text"], { order: "at asc, id asc" });

  /**
   * Every in-memory store numbers its incidents from 1, and the addon knows an incident by that number: a record
   * an earlier run left under another tenant would take this run's transitions as its own (or drop them as late
   * news of its resolution). It goes before this run's incidents reach Odoo.
   */
  const checked = new Set<string>();
  const forgetEarlierRuns = async () => {
    const refs = (await tl.store.outbox.all())
      .map((r) => JSON.parse(r.body) as { model?: string; notification: { incident?: string } })
      .filter((b) => b.model === INCIDENT_MODEL && !checked.has(String(b.notification.incident)))
      .map((b) => String(b.notification.incident));
    if (!refs.length) return;
    const stale = await odoo.searchRead<{ id: number }>("logistics.incident", [["incident_ref", "in", refs], ["tenant", "!=", tenantName]], ["id"]);
    if (stale.length) await odoo.executeOn("logistics.incident", "unlink", stale.map((s) => s.id));
    for (const r of refs) checked.add(r);
  };

  /** One collector run of the test tenant finishing at t. */
  const at = async (t: number, readings: Array<{ sli: string; value: number; labels?: Record<string, string> }>) => {
    await tl.at(t, readings.map((r) => ({ ...r, tenant: tenantName })));
    await forgetEarlierRuns();
  };
  /** DHL's label service failing (40% of labels refused, 30 s per label) or healthy; UPS prints normally throughout. */
  const carriers = (dhl: "healthy" | "failing") => [
    { sli: "label_failure_ratio", value: dhl === "failing" ? 0.4 : 0, labels: { carrier: "DHL" } },
    { sli: "label_latency_p95_seconds", value: dhl === "failing" ? 30 : 2, labels: { carrier: "DHL" } },
    { sli: "label_failure_ratio", value: 0, labels: { carrier: "UPS" } },
    { sli: "label_latency_p95_seconds", value: 2, labels: { carrier: "UPS" } },
  ];

  before(async () => {
    const real = loadConfig().tenants[0]!;
    odoo = await OdooClient.connect(real);
    // The subscribed recipient: the connecting user, as Settings > Logistics Health > Alert recipients.
    const [me] = await odoo.searchRead<{ id: number; partner_id: [number, string] }>("res.users", [["login", "=", real.user]], ["partner_id"]);
    recipientPartner = me!.partner_id[0];
    await odoo.execute("ir.config_parameter", "set_param", { key: "logistics_observability.alert_user_ids", value: String(me!.id) });
    const target = new URL(real.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 80) });
    sink = await startSmtpSink();
    const viaProxy: Tenant = { ...real, name: tenantName, url: proxy.url, timeoutMs: 5000 };
    channels = {
      smtp: new SmtpNotifier({ host: "127.0.0.1", port: sink.port, from: "logistics-observability@example.com", timeoutMs: 3000, allowPlainText: true }),
      odoo: new OdooAlertSink([viaProxy]),
      fallbackRecipients: ["ops@example.com"],
    };
    tl = await alertTimeline({ now: T0, alerts: { forSeconds: 120, channelOf: () => "odoo", recipients: ["ops@example.com"] } });
  });

  after(async () => {
    if (!odoo) return;
    const incidentIds = (await incidents()).map((i) => i.id);
    if (incidentIds.length) await odoo.executeOn("logistics.incident", "unlink", incidentIds);
    const alertIds = (await alerts()).map((a) => a.id);
    if (alertIds.length) await odoo.executeOn("logistics.alert", "unlink", alertIds);
    await proxy?.stop();
    await sink?.close();
  });

  const opened = () => `[PAGE] ${tenantName}: Carrier label failures (DHL), 2 alerts: probable cause the DHL label service`;
  const resolved = () => `[RESOLVED] ${tenantName}: Carrier label failures (DHL), 2 alerts`;

  test("an outage is one incident record with its ranked causes, timeline and alerts, and one mail that names the cause", async () => {
    for (let m = 0; m < 5; m++) await at(T0 + m * MINUTE, carriers("healthy"));
    for (let m = 5; m < 8; m++) await at(T0 + m * MINUTE, carriers("failing"));
    const tally = await deliverDue(tl.store.outbox, channels, new Date());
    assert.deepEqual(tally, { sent: 3, retried: 0, failed: 0 }, "two alert records and the incident");

    const [incident, ...more] = await incidents();
    assert.equal(more.length, 0, "one incident for both of DHL's alerts");
    assert.deepEqual([incident!.title, incident!.state, incident!.severity, incident!.last_subject], ["Carrier label failures (DHL)", "open", "page", opened()]);
    assert.deepEqual([incident!.mttd_known, incident!.mttd_seconds, incident!.mttr_known], [true, 0, false], "told in the round the failures began");

    const [first, ...others] = await causes(incident!.id);
    assert.deepEqual([first!.rank, first!.layer, first!.subject], [1, "integration", "the DHL label service"]);
    assert.match(first!.evidence, /^DHL carrier label failures 0% -> 40% from \d\d:\d\d UTC, while 1 other carrier prints normally$/);
    assert.ok(first!.confidence > 0.5 && first!.confidence <= 1, `confidence ${first!.confidence}`);
    assert.ok(others.every((c, i) => c.rank === i + 2 && c.confidence <= first!.confidence), JSON.stringify(others));

    const events = await timeline(incident!.id);
    assert.deepEqual(events.map((e) => e.kind), ["abnormal", "opened", "alert_fired", "alert_fired", "cause", "notified"]);
    assert.equal(events[0]!.text, "Carrier label failures (DHL) left its normal");
    assert.match(events[4]!.text, /^probable cause: the DHL label service \(DHL carrier label failures 0% -> 40% from /);

    const records = await alerts();
    assert.deepEqual(records.map((a) => [a.summary, a.state, a.severity]).sort(), [
      [`${tenantName}: Carrier label failures (carrier=DHL)`, "firing", "page"],
      [`${tenantName}: Carrier label latency (p95) (carrier=DHL)`, "firing", "page"],
    ]);
    assert.ok(records.every((a) => a.incident_id && a.incident_id[0] === incident!.id), "each alert is linked to its incident");
    assert.deepEqual([...incident!.alert_ids].sort(), records.map((a) => a.id).sort());

    const queued = await mails(opened());
    assert.equal(queued.length, 1, "one mail.mail in Odoo's queue for the incident");
    assert.deepEqual([queued[0]!.recipient_ids, queued[0]!.model, queued[0]!.res_id], [[recipientPartner], "logistics.incident", incident!.id]);
    const alertMails = await odoo.searchRead("mail.mail", [["model", "=", "logistics.alert"], ["res_id", "in", records.map((a) => a.id)]], ["subject"]);
    assert.deepEqual(alertMails, [], "alert records have no mails of their own");
    const received = await odoo.searchRead<{ mailed: boolean }>("logistics.alert.notification", [["alert_id", "in", records.map((a) => a.id)]], ["mailed"]);
    assert.deepEqual(received.map((n) => n.mailed), [false, false]);
    assert.equal(sink.received.length, 0, "no SMTP fallback while Odoo answers");

    // Delivered again (at-least-once after a crash): the addon knows the key, nothing new.
    const row = (await tl.store.outbox.all()).find((r) => (JSON.parse(r.body) as { model?: string }).model === INCIDENT_MODEL)!;
    await channels.odoo!.record(tenantName, (JSON.parse(row.body) as { notification: Record<string, unknown> }).notification, INCIDENT_MODEL);
    assert.equal((await incidents()).length, 1);
    assert.equal((await mails(opened())).length, 1);
  });

  test("its resolution updates the same record and is the incident's second and last mail", async () => {
    for (let m = 8; m < 10; m++) await at(T0 + m * MINUTE, carriers("failing"));
    // A burn-rate alert keeps firing one reading after the recovery, then resolves.
    for (let m = 10; m < 12; m++) await at(T0 + m * MINUTE, carriers("healthy"));
    const tally = await deliverDue(tl.store.outbox, channels, new Date());
    assert.deepEqual(tally, { sent: 3, retried: 0, failed: 0 }, "two alert resolutions and the incident's");

    const [incident, ...more] = await incidents();
    assert.equal(more.length, 0);
    assert.deepEqual([incident!.state, incident!.last_subject, Boolean(incident!.resolved_at)], ["resolved", resolved(), true]);
    assert.deepEqual([incident!.mttr_known, incident!.mttr_seconds], [true, 6 * 60], "first abnormal reading to resolution");
    assert.deepEqual((await timeline(incident!.id)).slice(-2).map((e) => e.kind), ["resolved", "notified"]);
    const records = await alerts();
    assert.deepEqual(records.map((a) => a.state), ["resolved", "resolved"]);
    assert.ok(records.every((a) => a.incident_id && a.incident_id[0] === incident!.id));

    assert.equal((await mails(resolved())).length, 1);
    assert.equal((await mails(opened())).length, 1);
    const all = await odoo.searchRead("mail.mail", [["model", "=", "logistics.incident"], ["res_id", "=", incident!.id]], ["subject"]);
    assert.equal(all.length, 2, "one mail per transition: opened, resolved");
    assert.equal((await odoo.searchRead("mail.mail", [["model", "=", "logistics.alert"], ["res_id", "in", records.map((a) => a.id)]], ["subject"])).length, 0);
  });

  test("the resolved incident still names its probable cause", async () => {
    const [incident] = await incidents();
    const [first] = await causes(incident!.id);
    assert.equal(first?.subject, "the DHL label service");
  });

  test("with Odoo unreachable the incident's fallback email goes out once; the record is created once Odoo is back, without a mail", async () => {
    await at(T0 + 14 * MINUTE, [{ sli: "cron_stuck_jobs", value: 2 }]);
    const realStop = process.env.ODOO_STOP_CMD && process.env.ODOO_START_CMD;
    if (realStop) execSync(process.env.ODOO_STOP_CMD!, { stdio: "ignore" });
    else await proxy.stop();
    const first = await deliverDue(tl.store.outbox, channels, new Date());
    assert.deepEqual(first, { sent: 1, retried: 1, failed: 0 }, "the fallback email goes out in the same pass; the alert record waits for Odoo, the incident with it");
    const subject = `[TICKET] ${tenantName}: Scheduled jobs stuck or killed`;
    assert.deepEqual(sink.received.map((m) => [m.to, m.subject]), [["ops@example.com", subject]], "the incident's email only: its alert record mails nobody");
    const body = textOf(sink.received[0]!.raw);
    assert.match(body, new RegExp(`^Incident #\\d+ of ${tenantName} opened: Scheduled jobs stuck or killed\\.$`, "m"));
    assert.match(body, /^\(Sent directly: odoo unreachable: cannot connect \((ECONNREFUSED|UND_ERR_SOCKET)\)\.\)$/m);

    if (realStop) execSync(process.env.ODOO_START_CMD!, { stdio: "ignore" });
    else await proxy.start();
    await deliverDue(tl.store.outbox, channels, new Date(Date.now() + 10 * MINUTE));
    const stuck = (await incidents()).filter((i) => i.title === "Scheduled jobs stuck or killed");
    assert.equal(stuck.length, 1, "the incident record exists once Odoo is back");
    assert.deepEqual([stuck[0]!.state, stuck[0]!.last_subject], ["open", subject]);
    const [alert] = (await alerts()).filter((a) => a.summary.endsWith("Scheduled jobs stuck or killed"));
    assert.deepEqual([alert?.state, alert?.incident_id && alert.incident_id[0]], ["firing", stuck[0]!.id], "with its alert linked");
    assert.equal((await mails(subject)).length, 0, "Odoo does not mail what the fallback already sent");
    assert.equal(sink.received.length, 1, "and the fallback is not sent twice");
    assert.ok((await tl.store.outbox.all()).every((m) => m.state === "sent"));
  });

  test("a silence made in Odoo (the alert's Silence… wizard) reaches the backend with its creator, comment and expiry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lo-odoo-silence-"));
    const file = join(dir, "config.json");
    const token = "odoo-silence-token-0123456789";
    writeFileSync(file, JSON.stringify({ port: 0, apiToken: token, dataDir: dir }));
    const backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true, schedule: false });
    const savedUrl = await odoo.execute("ir.config_parameter", "get_param", { key: "logistics_observability.backend_url" });
    try {
      await connectAddon(odoo, `http://127.0.0.1:${backend.port}`, token);
      const alert = (await alerts()).find((a) => a.summary.endsWith("Carrier label failures (carrier=DHL)"));
      const wizard = (await odoo.executeOn("logistics.alert.silence.wizard", "web_save", [], {
        vals: { alert_id: alert!.id, scope: "alert", duration_hours: 2, comment: "carrier maintenance window" },
        specification: {},
      })) as Array<{ id: number }>;
      const before = Date.now();
      await odoo.executeOn("logistics.alert.silence.wizard", "action_confirm", [wizard[0]!.id]);
      const res = await fetch(`http://127.0.0.1:${backend.port}/api/v1/silences`, { headers: { authorization: `Bearer ${token}` } });
      const { silences } = (await res.json()) as { silences: Array<{ matchers: Record<string, string>; creator: string; comment: string; endsAt: string; active: boolean }> };
      assert.equal(silences.length, 1);
      const [s] = silences;
      assert.deepEqual(s!.matchers, { tenant: tenantName, sli: "label_failure_ratio", carrier: "DHL" });
      assert.equal(s!.creator, `${loadConfig().tenants[0]!.user} (Odoo)`);
      assert.equal(s!.comment, "carrier maintenance window");
      assert.ok(s!.active);
      const hours = (Date.parse(s!.endsAt) - before) / 3_600_000;
      assert.ok(hours > 1.98 && hours <= 2.01, `ends in ${hours} h`);
      const notes = await odoo.searchRead<{ body: string }>("mail.message", [["model", "=", "logistics.alert"], ["res_id", "=", alert!.id], ["body", "ilike", "Silenced until"]], ["body"]);
      assert.equal(notes.length, 1, "the silence is noted on the alert's chatter");
    } finally {
      await backend.stop();
      // The backend this test started is gone: its URL and token go with it (another URL needs its own token).
      await connectAddon(odoo, String(savedUrl || ""), "");
    }
  });
});
