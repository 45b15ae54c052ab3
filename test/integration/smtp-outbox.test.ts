import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { deliverDue } from "../../server/notify/dispatcher.ts";
import { SmtpNotifier } from "../../server/notify/smtp.ts";
import { Secret } from "../../server/config/secret.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";
import { startSmtpSink } from "../support/smtp-sink.ts";

/**
 * Notifications through a real SMTP server on loopback (the smtp-server package as a sink): one email per
 * message whatever happens, 4xx retried later, 5xx failed with its reason, and nothing lost to a kill -9.
 */
const pgUrl = process.env.TEST_PG_URL;
if (!pgUrl) console.log("# SMTP outbox suite: NOT RUN (TEST_PG_URL unset; `npm test` starts a server)");


describe("outbox and SMTP delivery", { skip: pgUrl ? false : "TEST_PG_URL unset" }, () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let port: number;
  let storeUrl: string;
  let store: Store;
  let notifier: SmtpNotifier;
  const message = (key: string, to = "ops@example.com") => ({ idempotencyKey: key, channel: "smtp" as const, recipient: to, subject: `[page] ${key}`, body: "value 14 against objective 10" });

  before(async () => {
    sink = await startSmtpSink();
    port = sink.port;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const db = `lo_outbox_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const u = new URL(pgUrl!);
    u.pathname = `/${db}`;
    storeUrl = u.toString();
    store = await openStore({ url: storeUrl });
    notifier = new SmtpNotifier({ host: "127.0.0.1", port, from: "logistics-observability@example.com", timeoutMs: 3000, allowPlainText: true });
  });

  after(async () => {
    notifier?.close();
    await store?.close();
    await sink?.close();
  });

  test("a firing alert written twice produces exactly one email", async () => {
    sink.received.length = 0;
    assert.equal(await store.outbox.enqueue(message("t1/late/firing/1")), true);
    assert.equal(await store.outbox.enqueue(message("t1/late/firing/1")), false, "same idempotency key, same message");
    await deliverDue(store.outbox, { smtp: notifier }, new Date());
    await deliverDue(store.outbox, { smtp: notifier }, new Date());
    assert.equal(sink.received.length, 1);
    assert.equal(sink.received[0]!.messageId, "<t1.late.firing.1@logistics-observability>");
  });

  test("an SMTP 4xx is retried with backoff and delivered later", async () => {
    sink.received.length = 0;
    sink.rcptAnswers.push(451);
    await store.outbox.enqueue(message("t1/labels/firing/1"));
    const now = Date.now();
    assert.deepEqual(await deliverDue(store.outbox, { smtp: notifier }, new Date(now)), { sent: 0, retried: 1, failed: 0 });
    assert.deepEqual(await deliverDue(store.outbox, { smtp: notifier }, new Date(now + 30_000)), { sent: 0, retried: 0, failed: 0 }, "not before its backoff");
    assert.deepEqual(await deliverDue(store.outbox, { smtp: notifier }, new Date(now + 61_000)), { sent: 1, retried: 0, failed: 0 });
    assert.equal(sink.received.length, 1);
  });

  test("an SMTP 5xx is marked failed with its reason, and never retried", async () => {
    sink.received.length = 0;
    sink.rcptAnswers.push(550);
    await store.outbox.enqueue(message("t1/mail/firing/1", "nobody@example.com"));
    const now = Date.now();
    assert.deepEqual(await deliverDue(store.outbox, { smtp: notifier }, new Date(now)), { sent: 0, retried: 0, failed: 1 });
    for (let i = 1; i <= 5; i++) await deliverDue(store.outbox, { smtp: notifier }, new Date(now + i * 3_600_000));
    const row = (await store.outbox.all()).find((r) => r.idempotencyKey === "t1/mail/firing/1")!;
    assert.equal(row.state, "failed");
    assert.equal(row.attempts, 1);
    assert.match(row.lastError!, /^SMTP 550/);
    assert.equal(sink.received.length, 0);
  });

  test("a message written before the clock was stepped back two days is due now, not in two days", async () => {
    sink.received.length = 0;
    const now = Date.now();
    await store.outbox.enqueue({ ...message("t1/clock/firing/1"), notBefore: new Date(now + 2 * 86_400_000) });
    await store.outbox.enqueue({ ...message("t1/later/firing/1"), notBefore: new Date(now + 30 * 60_000) });
    await deliverDue(store.outbox, { smtp: notifier }, new Date(now));
    assert.deepEqual(sink.received.map((m) => m.subject), ["[page] t1/clock/firing/1"], "a real deferral (t1/later) still waits");
  });

  test("a message being delivered is claimed: a second deliverer (another backend on the store) skips it", async () => {
    await store.outbox.enqueue(message("t1/claimed/firing/1"));
    const now = new Date();
    const first = (await store.outbox.due(now, 50, "smtp")).map((r) => r.idempotencyKey);
    const second = (await store.outbox.due(now, 50, "smtp")).map((r) => r.idempotencyKey);
    assert.ok(first.includes("t1/claimed/firing/1"));
    assert.ok(!second.includes("t1/claimed/firing/1"), "claimed for two minutes by the first");
    const [row] = (await store.outbox.all()).filter((r) => r.idempotencyKey === "t1/claimed/firing/1");
    await store.outbox.markSent(row!.id, now);
  });

  test("a server without STARTTLS gets nothing in clear unless plain text is allowed for a local relay", async () => {
    sink.received.length = 0;
    const strict = new SmtpNotifier({ host: "127.0.0.1", port, from: "logistics-observability@example.com", timeoutMs: 3000, user: "obs", password: new Secret("smtp-s3cret") });
    try {
      await store.outbox.enqueue(message("t1/tls/firing/1"));
      assert.deepEqual(await deliverDue(store.outbox, { smtp: strict }, new Date()), { sent: 0, retried: 0, failed: 1 });
      const row = (await store.outbox.all()).find((r) => r.idempotencyKey === "t1/tls/firing/1")!;
      assert.match(row.lastError!, /offers no STARTTLS: mail is not sent in clear \(alerts\.smtp\.allowPlainText/);
      assert.equal(sink.received.length, 0);
    } finally {
      strict.close();
    }
  });

  test("kill -9 between the outbox write and the send: after a restart exactly one email is delivered", async () => {
    sink.received.length = 0;
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/outbox-writer.ts"], { env: { ...process.env, STORE_URL: storeUrl }, stdio: ["ignore", "pipe", "inherit"] });
    const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
    assert.equal(line, "written");
    child.kill("SIGKILL");
    await once(child, "exit");
    assert.equal(sink.received.length, 0, "the killed process sent nothing");
    const restarted = await openStore({ url: storeUrl });
    try {
      await deliverDue(restarted.outbox, { smtp: notifier }, new Date());
      await deliverDue(restarted.outbox, { smtp: notifier }, new Date());
    } finally {
      await restarted.close();
    }
    assert.equal(sink.received.length, 1);
    assert.equal(sink.received[0]!.messageId, "<demo.cron_failing_jobs.firing.1@logistics-observability>");
  });
});
