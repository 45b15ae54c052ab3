import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
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
const pg = (...args: string[]) => execFileSync("scripts/dev/postgres.sh", args, { encoding: "utf8" }).trim();

/**
 * The store stopped under a running backend (a PostgreSQL server of this suite's own, stopped hard and started
 * again): readiness says so, the operations address is paged by direct SMTP (the outbox is in the store), runs
 * are held and written on recovery, and the recovery is announced.
 */
describe("store outage", () => {
  let url = "";
  let demo: DemoOdoo;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let backend: Backend;

  before(async () => {
    url = pg("start");
    demo = await startDemoOdoo({ seed: 51 });
    sink = await startSmtpSink();
    const dir = mkdtempSync(join(tmpdir(), "lo-store-outage-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: "outage-token-0123456789", dataDir: dir, store: { url },
      sampling: { intervalSeconds: INTERVAL_S, jitterSeconds: 0, timeoutSeconds: 4 },
      alerts: { recipients: ["ops@example.com"], smtp: { host: "127.0.0.1", port: sink.port, from: "monitor@example.com", allowPlainText: true } },
      tenants: [{ name: "acme", url: demo.url, db: demo.db, user: demo.user, password: demo.password }],
    }));
    backend = await startBackend(loadConfig({}, file), silentLogger());
  });
  after(async () => {
    await backend?.stop();
    await demo?.close();
    await sink?.close();
    if (url) pg("stop", url);
  });

  const readyz = async () => {
    const res = await fetch(`http://127.0.0.1:${backend.port}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, reasons: ((await res.json()) as { reasons: string[] }).reasons };
  };

  test("paged directly, ready again and nothing lost once it is back", async () => {
    await until(30_000, async () => (await readyz()).status === 200, "ready");
    const stoppedAt = new Date();
    pg("halt", url);
    await until(6 * INTERVAL_S * 1000, async () => sink.received.some((m) => m.subject.startsWith("[PAGE] monitor: the store is failing")), "a page by direct SMTP");
    const pagedAfter = (Date.now() - stoppedAt.getTime()) / 1000;
    const during = await readyz();
    assert.equal(during.status, 503);
    assert.ok(during.reasons.some((r) => /^store: (unreachable|writes failing)/.test(r)), JSON.stringify(during.reasons));
    const held = backend.runner.storeHealth().heldRuns;
    assert.ok(held >= 2, `${held} runs held`);
    const resumedAt = Date.now();
    pg("resume", url);
    await until(30_000, async () => (await readyz()).status === 200, "ready again");
    await until(30_000, async () => sink.received.some((m) => m.subject.startsWith("[RESOLVED] monitor: the store takes writes again")), "the resolution");
    const samples = await backend.store.series("acme", "sampling_up", stoppedAt, new Date(resumedAt));
    const cycles = Math.floor((resumedAt - stoppedAt.getTime()) / 1000 / INTERVAL_S);
    console.log(`# store stopped: paged after ${pagedAfter.toFixed(1)} s (${INTERVAL_S} s cycles); ${held} runs held; ${samples.length} of the outage's ${cycles} cycles stored after it`);
    assert.ok(samples.length >= cycles - 1, `the held runs were written: ${samples.map((x) => x.at.toISOString().slice(11, 19)).join(", ")}`);
    assert.equal(backend.runner.storeHealth().droppedRuns, 0);
  });
});
