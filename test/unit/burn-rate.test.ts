import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { burnRate, errorBudgetRemaining, evaluateBurn, type SloPoint, type SloSpec } from "../../server/detect/burn-rate.ts";

/**
 * Rule tests as timelines, in the manner of promtool: a series sampled every minute, the rules evaluated every
 * minute, and the times at which the page or ticket first fires.
 */
const MINUTE = 60_000;
const slo: SloSpec = { objective: 10, better: "lower", target: 0.99, windowSeconds: 28 * 86_400 };

/** One reading a minute; `badAt(m)` says whether minute m (0 = start of the timeline) breaches the objective. */
function series(minutes: number, badAt: (m: number) => boolean): SloPoint[] {
  return Array.from({ length: minutes }, (_, m) => ({ at: m * MINUTE, value: badAt(m) ? 50 : 3 }));
}

/** A steady share of bad minutes, spread evenly (no clusters that would favour the short windows). */
const steady = (share: number) => (m: number) => Math.floor((m + 1) * share) > Math.floor(m * share);

/** The first minute at or after `from` at which the rules give `severity`, or null. */
function firstFiring(points: SloPoint[], severity: "page" | "ticket", from: number, to: number): number | null {
  for (let m = from; m < to; m++) if (evaluateBurn(points, m * MINUTE, slo).severity === severity) return m;
  return null;
}

describe("burn rates and budget", () => {
  const cases: Array<[string, SloPoint[], number, number | undefined]> = [
    ["no breach burns nothing", series(60, () => false), 3600, 0],
    ["1% bad minutes on a 99% SLO burns at 1x", series(1000, steady(0.01)), 1000 * 60, 1],
    ["all bad burns at 100x", series(60, () => true), 3600, 100],
    ["no data: no burn rate, not 0", [], 3600, undefined],
    ["missing readings are left out", [{ at: MINUTE, value: null }, { at: 2 * MINUTE, value: 50 }], 3600, 100],
  ];
  for (const [name, points, window, want] of cases) {
    test(name, () => {
      const got = burnRate(points, points.at(-1)?.at ?? 0, window, slo);
      if (want === undefined) assert.equal(got, undefined);
      else assert.ok(Math.abs(got! - want) < 1e-9, `${got} vs ${want}`);
    });
  }
  test("budget left after a 2x burn over the whole window is -1 (overspent by its size)", () => {
    const points = series(2000, steady(0.02));
    assert.ok(Math.abs(errorBudgetRemaining(points, points.at(-1)!.at, { ...slo, windowSeconds: 2000 * 60 })! + 1) < 1e-9);
  });
});

describe("multi-window, multi-burn-rate alerting timelines", () => {
  test("a 14.4x burn, already an hour long when evaluation starts, pages within 5 minutes", () => {
    const points = series(200, steady(0.144));
    const start = 60;
    const paged = firstFiring(points, "page", start, 200);
    assert.ok(paged !== null && paged - start <= 5, `paged at minute ${paged}`);
  });

  test("an outage (every reading bad) on a clean history pages at its 9th bad minute: the 1 h window reaches 14.4x", () => {
    // 9 bad readings of 60 in the hour = 15% bad = 15x on a 99% SLO; 8 would be 13.3x.
    const points = series(24 * 60 + 60, (m) => m >= 24 * 60);
    assert.equal(firstFiring(points, "page", 0, points.length), 24 * 60 + 8);
  });

  test("a 2x burn for three days never pages, and opens a ticket once the 3-day window says the budget is going", () => {
    const points = series(3 * 24 * 60, steady(0.02));
    assert.equal(firstFiring(points, "page", 0, points.length), null);
    assert.notEqual(firstFiring(points, "ticket", 0, points.length), null);
  });

  test("the page resolves once the short windows are clean, not hours later", () => {
    const points = series(240, (m) => m >= 60 && m < 120);
    assert.equal(evaluateBurn(points, 119 * MINUTE, slo).severity, "page");
    const resolved = [...Array(120).keys()].map((i) => 120 + i).find((m) => evaluateBurn(points, m * MINUTE, slo).severity !== "page");
    // The 6 h / 30 min rule pages until its 30-minute window holds fewer than 6% bad readings (1 of 30, at
    // minute 148); the 6 h window alone would hold the page for hours.
    assert.equal(resolved, 148);
  });

  test("a young series: one stray failure among the first readings does not page, an outage pages at its second reading", () => {
    const stray = series(20, (m) => m === 7);
    assert.equal(firstFiring(stray, "page", 0, 20), null);
    const outage = series(5, () => true);
    assert.equal(firstFiring(outage, "page", 0, 5), 1);
  });
});
