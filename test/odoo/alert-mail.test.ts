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
import { OdooAlertSink } from "../../server/notify/odoo.ts";
import { SmtpNotifier } from "../../server/notify/smtp.ts";
import { OdooClient } from "../../server/odoo/client.ts";
import { alertTimeline, MINUTE } from "../support/alert-timeline.ts";
import { startSmtpSink } from "../support/smtp-sink.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";

/**
 * Business-KPI email on a real Odoo 18 with the addon: the backend creates the alert record over JSON-RPC and
 * Odoo queues a mail.mail to the subscribed recipient with the expected subject; with Odoo unreachable the SMTP
 * fallback goes to the operations address and the record is created once Odoo is back. "Unreachable" is a TCP
 * proxy in front of Odoo that is stopped and started: to the backend exactly a stopped server (connection
 * refused), without restarting Odoo under the other suites. With ODOO_STOP_CMD and ODOO_START_CMD set (e.g.
 * ../shared/odoo/odoo-down.sh and odoo-up.sh) the real server is stopped and started instead.
 * Needs ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD (a user in Logistics Health / Manager, e.g. admin).
 */
const url = process.env.ODOO_URL;
if (!url) console.log("# real Odoo alert mail suite: NOT RUN (ODOO_URL unset; ../shared/odoo/odoo-up.sh starts one)");

describe("alert email through a real Odoo, SMTP fallback while it is down", { skip: url ? false : "ODOO_URL unset" }, () => {
  const tenantName = `mail${Date.now().toString(36)}`;
  let odoo: OdooClient;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let channels: Channels;
  let recipientPartner: number;
  let tl: Awaited<ReturnType<typeof alertTimeline>>;
  const T0 = Date.now() - 10 * MINUTE;

  const alerts = async () =>
    (await odoo.searchRead<{ id: number; state: string; summary: string; severity: string; notification_ids: number[] }>(
      "logistics.alert", [["tenant", "=", tenantName]], ["state", "summary", "severity", "notification_ids"], { order: "id asc" },
    ));
  const mails = async (subject: string) =>
    odoo.searchRead<{ id: number; state: string; recipient_ids: number[] }>("mail.mail", [["subject", "=", subject]], ["state", "recipient_ids"]);

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
      smtp: new SmtpNotifier({ host: "127.0.0.1", port: sink.port, from: "logistics-observability@example.com", timeoutMs: 3000 }),
      odoo: new OdooAlertSink([viaProxy]),
      fallbackRecipients: ["ops@example.com"],
    };
    tl = await alertTimeline({ now: T0, alerts: { forSeconds: 120, channelOf: () => "odoo", recipients: ["ops@example.com"] } });
  });

  after(async () => {
    if (!odoo) return;
    const ids = (await alerts()).map((a) => a.id);
    if (ids.length) await odoo.executeOn("logistics.alert", "unlink", ids);
    await proxy?.stop();
    await sink?.close();
  });

  /** A failing-cron alert of the test tenant fired at T0 + 2 min (threshold with a 120 s for-duration). */
  const fire = async (sli: string, from: number) => {
    await tl.at(from, [{ sli, value: 2, tenant: tenantName }]);
    await tl.at(from + 2 * MINUTE, [{ sli, value: 2, tenant: tenantName }]);
  };

  test("the alert record is created and Odoo queues a mail to the subscribed recipient with the expected subject", async () => {
    await fire("cron_failing_jobs", T0);
    const tally = await deliverDue(tl.store.outbox, channels, new Date());
    assert.deepEqual(tally, { sent: 1, retried: 0, failed: 0 });
    const [record, ...more] = await alerts();
    assert.equal(more.length, 0);
    assert.deepEqual([record!.state, record!.severity, record!.summary], ["firing", "ticket", `${tenantName}: Scheduled jobs failing`]);
    const queued = await mails(`[TICKET] ${tenantName}: Scheduled jobs failing`);
    assert.equal(queued.length, 1, "one mail.mail in Odoo's queue");
    assert.deepEqual(queued[0]!.recipient_ids, [recipientPartner]);
    assert.equal(sink.received.length, 0, "no SMTP fallback while Odoo answers");

    // Delivered again (at-least-once after a crash): the addon knows the key, nothing new.
    const [row] = await tl.store.outbox.all();
    await channels.odoo!.record(tenantName, JSON.parse(row!.body).notification);
    assert.equal((await alerts()).length, 1);
    assert.equal((await mails(`[TICKET] ${tenantName}: Scheduled jobs failing`)).length, 1);

    // Resolution updates the same record and mails it.
    await tl.at(T0 + 5 * MINUTE, [{ sli: "cron_failing_jobs", value: 0, tenant: tenantName }]);
    await deliverDue(tl.store.outbox, channels, new Date());
    assert.equal((await alerts())[0]!.state, "resolved");
    assert.equal((await mails(`[RESOLVED] ${tenantName}: Scheduled jobs failing`)).length, 1);
  });

  test("with Odoo unreachable the fallback email goes out; the record is created once Odoo is back, without a second mail", async () => {
    await fire("cron_stuck_jobs", T0 + 6 * MINUTE);
    const realStop = process.env.ODOO_STOP_CMD && process.env.ODOO_START_CMD;
    if (realStop) execSync(process.env.ODOO_STOP_CMD!, { stdio: "ignore" });
    else await proxy.stop();
    const now = Date.now();
    const first = await deliverDue(tl.store.outbox, channels, new Date(now));
    assert.deepEqual(first, { sent: 1, retried: 1, failed: 0 }, "the fallback email goes out in the same pass; the Odoo record waits for Odoo");
    const subject = `[TICKET] ${tenantName}: Scheduled jobs stuck or killed`;
    assert.deepEqual(sink.received.map((m) => [m.to, m.subject]), [["ops@example.com", subject]]);
    assert.match(sink.received[0]!.raw, /Sent directly: odoo unreachable: cannot connect \((ECONNREFUSED|UND_ERR_SOCKET)\)/);

    if (realStop) execSync(process.env.ODOO_START_CMD!, { stdio: "ignore" });
    else await proxy.start();
    await deliverDue(tl.store.outbox, channels, new Date(Date.now() + 10 * MINUTE));
    const stuck = (await alerts()).filter((a) => a.summary.endsWith("Scheduled jobs stuck or killed"));
    assert.equal(stuck.length, 1, "the record exists once Odoo is back");
    assert.equal(stuck[0]!.state, "firing");
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
    const params = ["logistics_observability.backend_url", "logistics_observability.backend_token"];
    const saved = await Promise.all(params.map((key) => odoo.execute("ir.config_parameter", "get_param", { key })));
    try {
      await odoo.execute("ir.config_parameter", "set_param", { key: params[0], value: `http://127.0.0.1:${backend.port}` });
      await odoo.execute("ir.config_parameter", "set_param", { key: params[1], value: token });
      const [alert] = await alerts();
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
      assert.deepEqual(s!.matchers, { tenant: tenantName, sli: "cron_failing_jobs" });
      assert.equal(s!.creator, `${loadConfig().tenants[0]!.user} (Odoo)`);
      assert.equal(s!.comment, "carrier maintenance window");
      assert.ok(s!.active);
      const hours = (Date.parse(s!.endsAt) - before) / 3_600_000;
      assert.ok(hours > 1.98 && hours <= 2.01, `ends in ${hours} h`);
      const notes = await odoo.searchRead<{ body: string }>("mail.message", [["model", "=", "logistics.alert"], ["res_id", "=", alert!.id], ["body", "ilike", "Silenced until"]], ["body"]);
      assert.equal(notes.length, 1, "the silence is noted on the alert's chatter");
    } finally {
      for (const [i, key] of params.entries()) await odoo.execute("ir.config_parameter", "set_param", { key, value: saved[i] || false });
      await backend.stop();
    }
  });
});
