import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openStore } from "../../server/store/open.ts";
import { alertTimeline, HOUR, MINUTE } from "../support/alert-timeline.ts";

/**
 * Rule tests as timelines through the whole pipeline (ledgers, burn-rate, threshold and seasonal checks,
 * lifecycle, store, outbox), in the manner of promtool's rule tests: a series in simulated time, one evaluation
 * a minute, and the alerts and notifications expected at given times.
 */
const T0 = Date.UTC(2026, 10, 2, 0, 0); // a Monday, 00:00 UTC

describe("burn-rate alerting timelines", () => {
  test("an outage on a 99.9% SLO (14.4x of its budget within a minute) pages within 5 minutes, once, and resolves", async (t) => {
    const tl = await alertTimeline({ slo: { target: 0.999 }, now: T0 });
    // Six quiet hours first (every 5 minutes): enough history for every rule to speak.
    for (let m = 0; m < 360; m += 5) await tl.at(T0 + m * MINUTE, [{ sli: "late_open_deliveries", value: 3 }]);
    const outage = T0 + 360 * MINUTE;
    let pagedAt: number | undefined;
    for (let m = 0; m < 10 && pagedAt === undefined; m++) {
      await tl.at(outage + m * MINUTE, [{ sli: "late_open_deliveries", value: 40 }]);
      const a = await tl.alert("late_open_deliveries");
      if (a?.state === "firing" && a.severity === "page") pagedAt = m;
    }
    assert.ok(pagedAt !== undefined && pagedAt <= 5, `paged ${pagedAt} minutes into the outage`);
    t.diagnostic(`paged ${pagedAt} minutes after the first bad reading`);
    for (let m = pagedAt + 1; m < 20; m++) await tl.at(outage + m * MINUTE, [{ sli: "late_open_deliveries", value: 40 }]);
    assert.deepEqual(await tl.subjects(), ["[PAGE] acme: Late open deliveries (Odoo Late filter)"], "one page for the whole outage");
    const fired = await tl.alert("late_open_deliveries");
    assert.equal(fired?.kind, "burn_rate");
    assert.match((await tl.store.outbox.all())[0]!.body, /Error budget left: -?\d+(\.\d)?% of 28 days at a 99\.9% target; burning 14\.4x over 1h and 5m\./);
    // Recovery: the budget says how bad it has been, the reading whether it still is. The alert resolves within
    // two readings of the recovery, not when the burn-rate windows have forgotten the outage.
    let resolvedAt: number | undefined;
    for (let m = 20; m < 60 && resolvedAt === undefined; m++) {
      await tl.at(outage + m * MINUTE, [{ sli: "late_open_deliveries", value: 2 }]);
      if ((await tl.alert("late_open_deliveries"))?.state === "resolved") resolvedAt = m;
    }
    assert.ok(resolvedAt !== undefined && resolvedAt <= 21, `resolved at minute ${resolvedAt}, the first good reading at 20`);
    assert.equal((await tl.subjects()).filter((s) => s.startsWith("[RESOLVED]")).length, 1);
    // A single bad reading later is a new breach, but not a page storm: the rules need the budget burning again.
    const [incident] = await tl.incidents();
    assert.equal(incident!.state, "resolved");
    assert.ok(incident!.timeline.some((e) => e.kind === "resolved"));
  });

  test("a 2x burn (2% of minutes bad on a 99% SLO) never pages in six hours", async () => {
    const tl = await alertTimeline({ now: T0 });
    for (let m = 0; m < 6 * 60; m++) {
      const bad = m % 50 === 7; // 2% of minutes, spread evenly
      await tl.at(T0 + m * MINUTE, [{ sli: "ready_backlog", value: bad ? 900 : 50 }]);
      const a = await tl.alert("ready_backlog");
      assert.ok(!(a?.state === "firing" && a.severity === "page"), `paged at minute ${m}`);
    }
    assert.ok(!(await tl.subjects()).some((s) => s.startsWith("[PAGE]")));
    const st = tl.tracker.status("acme", "ready_backlog", {}, T0 + 6 * 60 * MINUTE - MINUTE)!;
    assert.ok(Math.abs(st.burnRates["6h"]! - 8 / 360 / 0.01) < 1e-9, `6h burn ${st.burnRates["6h"]}: 8 bad minutes of 360, about 2x`);
  });

  test("budgets survive a restart: the ledgers are rebuilt from the store's rollups", async () => {
    const store = await openStore({ inMemory: true });
    const first = await alertTimeline({ store, now: T0 });
    for (let m = 0; m < 90; m++) await first.at(T0 + m * MINUTE, [{ sli: "on_time_delivery_ratio", value: m % 10 === 0 ? 0.5 : 0.99 }]);
    const before = first.tracker.status("acme", "on_time_delivery_ratio", {}, T0 + 89 * MINUTE)!;
    const restarted = await alertTimeline({ store, now: T0 + 90 * MINUTE });
    const after = restarted.tracker.status("acme", "on_time_delivery_ratio", {}, T0 + 89 * MINUTE)!;
    assert.deepEqual(after.burnRates, before.burnRates);
    assert.equal(after.budgetRemaining, before.budgetRemaining);
    assert.ok(Math.abs(before.burnRates["1h"]! - 10) < 1e-9, "6 bad minutes of 60 on a 99% SLO burn at 10x");
  });
});

describe("probable cause in the notification", () => {
  test("DHL labels failing while UPS prints: the page names DHL's label service", async () => {
    const tl = await alertTimeline({ now: T0 });
    const labels = (dhl: number) => [
      { sli: "label_failure_ratio", value: dhl, labels: { carrier: "DHL" } },
      { sli: "label_failure_ratio", value: 0, labels: { carrier: "UPS" } },
    ];
    for (let m = 0; m < 3; m++) await tl.at(T0 + m * MINUTE, labels(0));
    for (let m = 3; m < 6; m++) await tl.at(T0 + m * MINUTE, labels(0.3));
    const [mail] = await tl.store.outbox.all();
    assert.equal(mail!.subject, "[PAGE] acme: Carrier label failures (DHL): probable cause the DHL label service");
    assert.match(mail!.body, /^ {2}1\. the DHL label service \(integration, \d+%\): DHL carrier label failures 0% -> 30% from 00:03 UTC, while 1 other carrier prints normally$/m);
    assert.match(mail!.body, /^ {4}Value: 30% against an objective of at most 1%\.$/m);
  });
});

describe("threshold alerts on gauges, repeats", () => {
  test("a failing cron fires at once (a failure count is unambiguous), repeats while firing, and resolves once", async () => {
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 120, repeatMinutes: 30 } });
    const states: string[] = [];
    for (let m = 0; m <= 70; m++) {
      await tl.at(T0 + m * MINUTE, [{ sli: "cron_failing_jobs", value: m < 65 ? 1 : 0 }]);
      states.push((await tl.alert("cron_failing_jobs"))?.state ?? "none");
    }
    assert.deepEqual([states[0], states[1], states[2], states[64], states[65]], ["firing", "firing", "firing", "firing", "resolved"]);
    assert.deepEqual(await tl.subjects(), [
      "[TICKET] acme: Scheduled jobs failing",
      "[TICKET] acme: Scheduled jobs failing", // repeat at +30 min
      "[TICKET] acme: Scheduled jobs failing", // repeat at +60 min
      "[RESOLVED] acme: Scheduled jobs failing",
    ]);
    assert.match((await tl.store.outbox.all())[1]!.body, /^Incident #1 of acme is still open: Scheduled jobs failing\.$/m);
  });

  test("an alert that fired while inhibited is announced once the inhibition ends, not hours later", async () => {
    let failing = [{ tenant: "acme", source: "odoo_business" }];
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 120, repeatMinutes: 240 }, failing: () => failing });
    for (let m = 0; m <= 5; m++) await tl.at(T0 + m * MINUTE, [{ sli: "cron_failing_jobs", value: 1 }]);
    assert.equal((await tl.alert("cron_failing_jobs"))?.inhibitedBy, "odoo unreachable for acme");
    assert.deepEqual(await tl.subjects(), [], "nothing while the unreachable Odoo explains its stale readings");
    failing = [];
    await tl.at(T0 + 6 * MINUTE, [{ sli: "cron_failing_jobs", value: 1 }]);
    await tl.at(T0 + 7 * MINUTE, [{ sli: "cron_failing_jobs", value: 1 }]);
    assert.deepEqual(await tl.subjects(), ["[TICKET] acme: Scheduled jobs failing"]);
  });

  test("a missing reading changes nothing: no resolution because the source went quiet", async () => {
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 0 } });
    await tl.at(T0, [{ sli: "cron_failing_jobs", value: 2 }]);
    await tl.at(T0 + MINUTE, [{ sli: "cron_failing_jobs", value: null }]);
    await tl.at(T0 + 5 * MINUTE, [{ sli: "cron_failing_jobs", value: null }]);
    assert.equal((await tl.alert("cron_failing_jobs"))?.state, "firing", "a business reading may be missing for a failed query");
  });

  test("an infrastructure reading that goes missing after the fix resolves within two intervals", async () => {
    const tl = await alertTimeline({ now: T0, alerts: { forSeconds: 0 } });
    const redis = (v: number | null) => [{ sli: "redis_memory_used_ratio", value: v, tenant: "global", source: "redis" }];
    await tl.at(T0, redis(0.5));
    await tl.at(T0 + MINUTE, redis(0.97));
    assert.equal((await tl.store.alerts.list({ tenant: "global" }))[0]?.state, "firing");
    // The limit is removed: no ratio any more (maxmemory is not set).
    for (let m = 2; m <= 3; m++) await tl.at(T0 + m * MINUTE, redis(null));
    assert.equal((await tl.store.alerts.list({ tenant: "global" }))[0]?.state, "resolved");
  });
});

describe("seasonal anomaly timelines", () => {
  /** Three weeks of hourly history: a quiet 100 backlog, an 11:00 dispatch peak of 300 (varying a little). */
  async function withHistory(extra: { calendar?: Parameters<typeof alertTimeline>[0] extends infer O ? O extends { calendar?: infer C } ? C : never : never } = {}) {
    const store = await openStore({ inMemory: true });
    const start = T0 - 21 * 24 * HOUR;
    const readings = [];
    for (let h = 0; h < 21 * 24; h++) {
      const at = start + h * HOUR;
      const hour = new Date(at).getUTCHours();
      const value = (hour === 11 ? 300 : 100) + ((h * 7) % 5) - 2;
      readings.push({ tenant: "acme", sli: "ready_backlog", labelsKey: "", labels: {}, at: new Date(at), value, bad: false });
    }
    await store.slo.record(readings);
    return alertTimeline({ store, now: T0, targets: { ready_backlog: 10_000 }, alerts: { forSeconds: 0 }, ...extra });
  }

  test("the daily 11:00 peak equal to its hour-of-week baseline makes no noise", async () => {
    const tl = await withHistory();
    for (let m = 0; m < 60; m += 5) await tl.at(T0 + 11 * HOUR + m * MINUTE, [{ sli: "ready_backlog", value: 300 }]);
    assert.equal(await tl.alert("ready_backlog", "anomaly"), undefined);
    assert.deepEqual(await tl.subjects(), []);
  });

  test("a peak 5 MAD above its baseline fires an anomaly alert with the expected band", async () => {
    const tl = await withHistory();
    const seasonal = tl.tracker.seasonalStatus({ tenant: "acme", source: "odoo_business", sli: "ready_backlog", labels: {}, at: new Date(T0 + 11 * HOUR), value: 300, missing: null })!;
    assert.equal(seasonal.baseline.source, "hour_of_week");
    const fiveMadAbove = seasonal.expected + 5.01 * seasonal.baseline.spread;
    await tl.at(T0 + 11 * HOUR, [{ sli: "ready_backlog", value: fiveMadAbove }]);
    const a = await tl.alert("ready_backlog", "anomaly");
    assert.equal(a?.state, "firing");
    assert.deepEqual(a?.details.band, seasonal.band);
    const [subject] = await tl.subjects();
    assert.equal(subject, "[TICKET] acme: Deliveries ready to ship unusual for the hour");
  });

  test("a backlog of 300 at 03:00, when 100 is usual, is an anomaly; the same 300 at 11:00 is not", async () => {
    const tl = await withHistory();
    await tl.at(T0 + 3 * HOUR, [{ sli: "ready_backlog", value: 300 }]);
    assert.equal((await tl.alert("ready_backlog", "anomaly"))?.state, "firing");
  });
});
