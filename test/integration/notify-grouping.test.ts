import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { deliverDue, type Channels } from "../../server/notify/dispatcher.ts";
import { DeliveryError, SmtpNotifier } from "../../server/notify/smtp.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";
import { startSmtpSink } from "../support/smtp-sink.ts";

/**
 * What reaches people, on a real SMTP sink: notifications of one tenant and area due together are one email,
 * a recipient gets at most N emails an hour (the rest wait, grouped), and an Odoo that cannot take an alert
 * record gets the SMTP fallback once, whatever the number of retries, and a permanent refusal is not retried.
 */
describe("grouping, rate limit and the Odoo fallback", () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let smtp: SmtpNotifier;
  let store: Store;
  const msg = (key: string, group: string, to = "ops@example.com") => ({ idempotencyKey: key, channel: "smtp" as const, recipient: to, subject: `[PAGE] ${key}`, body: `body of ${key}`, groupKey: group });

  before(async () => {
    sink = await startSmtpSink();
    smtp = new SmtpNotifier({ host: "127.0.0.1", port: sink.port, from: "logistics-observability@example.com", timeoutMs: 3000, allowPlainText: true });
  });
  after(async () => {
    smtp.close();
    await sink.close();
  });

  test("three alerts of one tenant and area due together go out as one email; another area is its own email", async () => {
    store = await openStore({ inMemory: true });
    sink.received.length = 0;
    for (const k of ["a", "b", "c"]) await store.outbox.enqueue(msg(`acme/${k}`, "acme/business"));
    await store.outbox.enqueue(msg("acme/pg", "acme/database"));
    assert.deepEqual(await deliverDue(store.outbox, { smtp }, new Date()), { sent: 4, retried: 0, failed: 0 });
    assert.equal(sink.received.length, 2);
    const grouped = sink.received.find((m) => m.subject.startsWith("[3 alerts]"))!;
    assert.equal(grouped.subject, "[3 alerts] acme/business: [PAGE] acme/a; [PAGE] acme/b; [PAGE] acme/c");
    for (const k of ["a", "b", "c"]) assert.match(grouped.raw, new RegExp(`body of acme/${k}`));
  });

  test("over the hourly limit a recipient's mail waits, then goes out grouped", async () => {
    store = await openStore({ inMemory: true });
    sink.received.length = 0;
    const channels: Channels = { smtp, maxPerRecipientPerHour: 2 };
    const t0 = Date.now();
    for (const [i, group] of ["t1/business", "t2/business", "t3/business"].entries()) {
      await store.outbox.enqueue(msg(`${group}/x`, group));
      await deliverDue(store.outbox, channels, new Date(t0 + i * 60_000));
    }
    await store.outbox.enqueue(msg("t3/business/y", "t3/business"));
    await deliverDue(store.outbox, channels, new Date(t0 + 30 * 60_000));
    assert.equal(sink.received.length, 2, "two emails in the hour, the third waits");
    assert.equal((await store.outbox.all()).filter((m) => m.state === "pending").length, 2);
    await deliverDue(store.outbox, channels, new Date(t0 + 61 * 60_000));
    assert.equal(sink.received.length, 3);
    assert.match(sink.received[2]!.subject, /^\[2 alerts\] t3\/business: /);
    assert.ok((await store.outbox.all()).every((m) => m.state === "sent" && m.attempts === 1), "waiting is not a failed attempt");
  });

  test("an unreachable Odoo: one fallback email however many retries; a refusal (no rights) fails at once, fallback sent", async () => {
    store = await openStore({ inMemory: true });
    sink.received.length = 0;
    const calls: string[] = [];
    let answer: DeliveryError | undefined = new DeliveryError("odoo unreachable: cannot connect (ECONNREFUSED)", true, true);
    const odoo = { record: async (tenant: string, n: Record<string, unknown>) => { calls.push(`${tenant}:${n.mail}`); if (answer) throw answer; } };
    const channels: Channels = { smtp, odoo, fallbackRecipients: ["ops@example.com", "oncall@example.com"] };
    const payload = { notification: { key: "k1", transition: "fired" }, text: "acme: late deliveries breach" };
    await store.outbox.enqueue({ idempotencyKey: "k1/odoo", channel: "odoo", recipient: "acme", subject: "[PAGE] acme: Late open deliveries", body: JSON.stringify(payload) });
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) await deliverDue(store.outbox, channels, new Date(t0 + i * 3_600_000));
    assert.deepEqual(sink.received.map((m) => m.to).sort(), ["oncall@example.com", "ops@example.com"]);
    answer = undefined;
    await deliverDue(store.outbox, channels, new Date(t0 + 5 * 3_600_000));
    assert.deepEqual(calls, ["acme:true", "acme:false", "acme:false", "acme:false", "acme:false"], "after the fallback, Odoo only records");
    assert.equal(sink.received.length, 2);

    answer = new DeliveryError("odoo access: access rights: not a Logistics Health manager", false);
    await store.outbox.enqueue({ idempotencyKey: "k2/odoo", channel: "odoo", recipient: "acme", subject: "[TICKET] acme: Scheduled jobs failing", body: JSON.stringify(payload) });
    await deliverDue(store.outbox, channels, new Date(t0 + 6 * 3_600_000));
    const row = (await store.outbox.all()).find((m) => m.idempotencyKey === "k2/odoo")!;
    assert.deepEqual([row.state, row.attempts, row.lastError], ["failed", 1, "odoo access: access rights: not a Logistics Health manager"]);
    await deliverDue(store.outbox, channels, new Date(t0 + 6 * 3_600_000 + 1000));
    assert.equal(sink.received.filter((m) => m.subject === "[TICKET] acme: Scheduled jobs failing").length, 2, "the operations addresses still hear of it");
  });

  test("an episode reaches Odoo in order; a tenant found down is called once a pass; the resolution of a fallen-back firing reaches ops too", async () => {
    store = await openStore({ inMemory: true });
    sink.received.length = 0;
    const calls: string[] = [];
    let up = false;
    const odoo = { record: async (_t: string, n: Record<string, unknown>) => { calls.push(`${n.transition}:${n.mail}`); if (!up) throw new DeliveryError("odoo unreachable: cannot connect (ECONNREFUSED)", true, true); } };
    const channels: Channels = { smtp, odoo, fallbackRecipients: ["ops@example.com"] };
    const row = (transition: string) => ({
      idempotencyKey: `acme/late//1/${transition}/odoo`, channel: "odoo" as const, recipient: "acme", groupKey: "acme/late/@1",
      subject: `[${transition === "resolved" ? "RESOLVED" : "PAGE"}] acme: Late open deliveries`, body: JSON.stringify({ notification: { transition }, text: `text of ${transition}` }),
    });
    await store.outbox.enqueue(row("fired"));
    await store.outbox.enqueue(row("resolved"));
    const t0 = Date.now();
    await deliverDue(store.outbox, channels, new Date(t0));
    assert.deepEqual(calls, ["fired:true"], "Odoo is called once in the pass; the resolution waits behind its firing");
    assert.deepEqual(sink.received.map((m) => m.subject), ["[2 alerts] acme/fallback: [PAGE] acme: Late open deliveries; [RESOLVED] acme: Late open deliveries"]);
    up = true;
    await deliverDue(store.outbox, channels, new Date(t0 + 3_600_000));
    assert.deepEqual(calls, ["fired:true", "fired:false", "resolved:false"], "in order once Odoo is back, recorded without a second mail");
    assert.equal(sink.received.length, 1, "ops already had both");
  });

  test("without an SMTP fallback to send, Odoo still mails once it is back", async () => {
    store = await openStore({ inMemory: true });
    const calls: string[] = [];
    let up = false;
    const odoo = { record: async (_t: string, n: Record<string, unknown>) => { calls.push(`${n.transition}:${n.mail}`); if (!up) throw new DeliveryError("odoo timeout: no answer within 10000 ms", true, true); } };
    await store.outbox.enqueue({ idempotencyKey: "k/odoo", channel: "odoo", recipient: "acme", groupKey: "acme/x@1", subject: "[PAGE] x", body: JSON.stringify({ notification: { transition: "fired" }, text: "x" }) });
    await deliverDue(store.outbox, { odoo, fallbackRecipients: [] }, new Date());
    up = true;
    await deliverDue(store.outbox, { odoo, fallbackRecipients: [] }, new Date(Date.now() + 3_600_000));
    assert.deepEqual(calls, ["fired:true", "fired:true"]);
  });

  test("a resolution delivered to Odoo reaches ops too when its firing went to them instead", async () => {
    store = await openStore({ inMemory: true });
    sink.received.length = 0;
    let up = false;
    const odoo = { record: async () => { if (!up) throw new DeliveryError("odoo unreachable: cannot connect (ECONNREFUSED)", true, true); } };
    const channels: Channels = { smtp, odoo, fallbackRecipients: ["ops@example.com"] };
    const base = { channel: "odoo" as const, recipient: "acme", groupKey: "acme/late/@2" };
    await store.outbox.enqueue({ ...base, idempotencyKey: "e2/fired/odoo", subject: "[PAGE] acme: late", body: JSON.stringify({ notification: { transition: "fired" }, text: "fired" }) });
    const t0 = Date.now();
    await deliverDue(store.outbox, channels, new Date(t0));
    up = true;
    await deliverDue(store.outbox, channels, new Date(t0 + 3_600_000));
    await store.outbox.enqueue({ ...base, idempotencyKey: "e2/resolved/odoo", subject: "[RESOLVED] acme: late", body: JSON.stringify({ notification: { transition: "resolved" }, text: "resolved" }) });
    await deliverDue(store.outbox, channels, new Date(t0 + 3_700_000));
    assert.deepEqual(sink.received.map((m) => m.subject), ["[PAGE] acme: late", "[RESOLVED] acme: late"]);
  });
});
