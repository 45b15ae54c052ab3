import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inWindow, mean, percentile, ratio } from "../../server/sli/stats.ts";

describe("percentile (linear interpolation, as PostgreSQL percentile_cont)", () => {
  const cases: Array<[string, number[], number, number | undefined]> = [
    ["empty window has no value", [], 0.5, undefined],
    ["single value", [7], 0.95, 7],
    ["median of even count interpolates", [1, 2, 3, 4], 0.5, 2.5],
    ["p95 of 1..20", Array.from({ length: 20 }, (_, i) => i + 1), 0.95, 19.05],
    ["unsorted input", [30, 10, 20], 0.5, 20],
    ["p0 is the minimum", [5, 3, 9], 0, 3],
    ["p100 is the maximum", [5, 3, 9], 1, 9],
    ["non-finite values are ignored", [1, Number.NaN, 3, Infinity], 0.5, 2],
    ["negative durations (early) are kept", [-60, 0, 60], 0.5, 0],
  ];
  for (const [name, values, q, expected] of cases) {
    test(name, () => {
      const got = percentile(values, q);
      if (expected === undefined) assert.equal(got, undefined);
      else assert.ok(Math.abs(got! - expected) < 1e-9, `expected ${expected}, got ${got}`);
    });
  }
  test("rejects q outside [0, 1]", () => assert.throws(() => percentile([1], 1.5), /q must be in \[0, 1\]/));
});

describe("ratio and mean", () => {
  const cases: Array<[string, () => number | undefined, number | undefined]> = [
    ["no denominator is no value, not 100%", () => ratio(0, 0), undefined],
    ["3 of 4", () => ratio(3, 4), 0.75],
    ["mean of nothing", () => mean([]), undefined],
    ["mean", () => mean([1, 2, 6]), 3],
  ];
  for (const [name, fn, expected] of cases) test(name, () => assert.equal(fn(), expected));
});

describe("inWindow (half-open: (now - length, now])", () => {
  const now = new Date("2026-11-29T12:00:00Z");
  const cases: Array<[string, Date | null, boolean]> = [
    ["now itself", now, true],
    ["one second before the start", new Date("2026-11-28T11:59:59Z"), false],
    ["exactly the start is out", new Date("2026-11-28T12:00:00Z"), false],
    ["just inside", new Date("2026-11-28T12:00:01Z"), true],
    ["future is out", new Date("2026-11-29T12:00:01Z"), false],
    ["null is out", null, false],
  ];
  for (const [name, t, expected] of cases) test(name, () => assert.equal(inWindow(t, now, 86_400), expected));
});
