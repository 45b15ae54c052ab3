import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertTimeline, MINUTE } from "../support/alert-timeline.ts";

/**
 * Incidents and their causes as timelines through the whole pipeline (evidence, rules, lifecycle, causes,
 * incidents, outbox), one run of each source a minute. Each test is a fault as it happens on a real stack.
 */
const T0 = Date.UTC(2026, 10, 2, 9, 0); // a Monday, 09:00 UTC

type Reading = Parameters<Awaited<ReturnType<typeof alertTimeline>>["at"]>[1][number];
const lockWaits = (n: number): Reading => ({ sli: "pg_lock_waiting_sessions", value: n, tenant: "acme", source: "postgres" });
const lateWaves = (n: number): Reading => ({ sli: "late_open_waves", value: n });
const backlog = (n: number): Reading => ({ sli: "ready_backlog", value: n });
const labels = (carrier: string, ratio: number): Reading => ({ sli: "label_failure_ratio", value: ratio, labels: { carrier } });

describe("incidents", () => {
  test("row-lock contention: the late waves and the lock waits page once, as one incident whose first cause is the locks", async () => {
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 60 } });
    for (let m = 0; m < 10; m++) await tl.at(T0 + m * MINUTE, [lockWaits(0), lateWaves(0), backlog(50)]);
    // 09:10 a transaction holds row locks; from 09:11 waves run late.
    for (let m = 10; m < 25; m++) await tl.at(T0 + m * MINUTE, [lockWaits(7), lateWaves(m >= 11 ? 4 : 0), backlog(50)]);
    const incidents = await tl.incidents();
    assert.equal(incidents.length, 1, "one incident for the lock waits and the late waves");
    const [i] = incidents;
    assert.deepEqual(new Set(i!.alerts.map((a) => a.sli)), new Set(["pg_lock_waiting_sessions", "late_open_waves"]));
    assert.equal(i!.causes[0]?.layer, "database");
    assert.match(i!.causes[0]!.evidence, /^Sessions waiting on a lock 0 -> 7 from 09:10 UTC, (60 s|1 min) before Open waves past their scheduled date$/);
    const pages = (await tl.subjects()).filter((s) => s.startsWith("[PAGE]"));
    assert.equal(pages.length, 1, `one page for the whole fault, got ${JSON.stringify(await tl.subjects())}`);
    assert.match(pages[0]!, /probable cause Sessions waiting on a lock/);
    // The fix: locks released, waves back on time. One resolution.
    for (let m = 25; m < 28; m++) await tl.at(T0 + m * MINUTE, [lockWaits(0), lateWaves(0), backlog(50)]);
    const [done] = await tl.incidents();
    assert.equal(done!.state, "resolved");
    assert.equal((await tl.subjects()).filter((s) => s.startsWith("[RESOLVED]")).length, 1);
    assert.ok(done!.firstNotifiedAt! - done!.firstAbnormalAt <= 2 * MINUTE, `MTTD ${(done!.firstNotifiedAt! - done!.firstAbnormalAt) / 1000} s`);
  });

  test("a backlog that already stood before the first reading is a ticket with its real age, not a page", async () => {
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 60 } });
    const eighteenDays = 18 * 86_400;
    const old = (late: number): Reading[] => [
      { sli: "late_open_deliveries", value: late },
      { sli: "ready_backlog_oldest_age_seconds", value: eighteenDays },
      { sli: "on_time_delivery_ratio", value: 0.4 },
    ];
    for (let m = 0; m < 10; m++) await tl.at(T0 + m * MINUTE, old(40));
    const subjects = await tl.subjects();
    assert.ok(!subjects.some((s) => s.startsWith("[PAGE]")), `no page for a known condition: ${JSON.stringify(subjects)}`);
    assert.equal(subjects.length, 1, "one ticket for the standing condition");
    const late = await tl.alert("late_open_deliveries");
    assert.equal(late?.severity, "ticket");
    assert.ok(T0 - late!.since >= eighteenDays * 1000 - MINUTE, `its age is the oldest late delivery's: since ${new Date(late!.since).toISOString()}`);
    // It gets worse: twice as many late deliveries. That is news, and it pages.
    for (let m = 10; m < 14; m++) await tl.at(T0 + m * MINUTE, old(90));
    const after = await tl.subjects();
    assert.ok(after.length > 1 && after.slice(1).some((s) => s.startsWith("[PAGE]")), `the worsening is told: ${JSON.stringify(after)}`);
  });

  test("a second carrier failing while another already fails is attributed to its own carrier", async () => {
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 60 } });
    for (let m = 0; m < 5; m++) await tl.at(T0 + m * MINUTE, [labels("DHL", 0), labels("UPS", 0), labels("FedEx", 0)]);
    for (let m = 5; m < 15; m++) await tl.at(T0 + m * MINUTE, [labels("DHL", 0.4), labels("UPS", 0), labels("FedEx", 0)]);
    for (let m = 15; m < 20; m++) await tl.at(T0 + m * MINUTE, [labels("DHL", 0.4), labels("UPS", 0.5), labels("FedEx", 0)]);
    const ups = await tl.alert("label_failure_ratio");
    const all = await tl.store.alerts.list({ tenant: "acme" });
    const upsAlert = all.find((a) => a.labels.carrier === "UPS");
    assert.ok(ups && upsAlert, "UPS fires");
    const causes = upsAlert!.details.causes as Array<{ subject: string; layer: string }>;
    assert.equal(causes[0]?.subject, "the UPS label service");
    assert.equal(causes[0]?.layer, "integration");
  });

  test("a permanently odd but unchanged signal is never a cause", async () => {
    // An idle Redis nobody's Odoo uses reads a fragmentation ratio of 6.8 from the first sample on.
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 60 } });
    const redis = (mem: number): Reading[] => [
      { sli: "redis_fragmentation_ratio", value: 6.8, tenant: "global", source: "redis" },
      { sli: "redis_memory_used_ratio", value: mem, tenant: "global", source: "redis" },
    ];
    for (let m = 0; m < 5; m++) await tl.at(T0 + m * MINUTE, [...redis(0.1), lateWaves(0)]);
    for (let m = 5; m < 12; m++) await tl.at(T0 + m * MINUTE, [...redis(m >= 5 ? 0.97 : 0.1), lateWaves(m >= 6 ? 3 : 0)]);
    const waves = await tl.alert("late_open_waves");
    assert.equal(waves?.state, "firing");
    const causes = (waves!.details.causes as Array<{ layer: string; subject: string }>) ?? [];
    assert.ok(!causes.some((c) => c.layer === "cache"), `Redis explains nothing of an Odoo that does not use it: ${JSON.stringify(causes)}`);
    for (const a of await tl.store.alerts.list({ tenant: "global" })) {
      for (const c of (a.details.causes as Array<{ subject: string }> | undefined) ?? []) assert.doesNotMatch(c.subject, /fragmentation/);
    }
  });

  test("a deploy shortly before a failure ranks first", async () => {
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 60 } });
    const healthy = (): Reading[] => [{ sli: "cron_failing_jobs", value: 0 }, lockWaits(0), backlog(50)];
    for (let m = 0; m < 10; m++) await tl.at(T0 + m * MINUTE, healthy());
    await tl.deploy(T0 + 10 * MINUTE + 20_000, "stock_dispatch 18.0.1.3 -> 18.0.1.4");
    for (let m = 11; m < 15; m++) await tl.at(T0 + m * MINUTE, [{ sli: "cron_failing_jobs", value: 2 }, lockWaits(m >= 12 ? 1 : 0), backlog(50)]);
    const [i] = await tl.incidents();
    assert.equal(i?.causes[0]?.layer, "change", JSON.stringify(i?.causes));
    assert.match(i!.causes[0]!.evidence, /^deploy stock_dispatch 18\.0\.1\.3 -> 18\.0\.1\.4 on acme at 09:10 UTC/);
    assert.ok(i!.timeline.some((e) => e.kind === "deploy"), "the deploy is on the timeline");
  });
});
