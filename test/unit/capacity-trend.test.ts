import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { daysUntil, growthPerDay, percentile } from "../../server/capacity/trend.ts";

const HOUR = 3_600_000;

describe("storage trends", () => {
  test("growth per day is the least-squares slope, and needs an hour of history", () => {
    const linear = Array.from({ length: 7 }, (_, h) => ({ at: h * HOUR, value: 1e9 + h * 1e6 }));
    assert.ok(Math.abs(growthPerDay(linear)! - 24e6) < 1e-3);
    const noisy = linear.map((p, i) => ({ ...p, value: p.value + (i % 2 ? 2e5 : -2e5) }));
    assert.ok(Math.abs(growthPerDay(noisy)! - 24e6) < 2e6);
    assert.equal(growthPerDay([{ at: 0, value: 1 }, { at: 30 * 60_000, value: 2 }]), undefined);
    assert.equal(growthPerDay([{ at: 0, value: 1 }]), undefined);
  });

  test("days until full: left over growth, the horizon when flat or shrinking, 0 when already past", () => {
    assert.equal(daysUntil(100, 10), 10);
    assert.equal(daysUntil(100, 0), 3650);
    assert.equal(daysUntil(100, -5), 3650);
    assert.equal(daysUntil(-1, 10), 0);
    assert.equal(daysUntil(100, undefined), undefined);
  });

  test("percentiles by nearest rank", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 0.95), 95);
    assert.equal(percentile([0.2], 0.95), 0.2);
    assert.equal(percentile([], 0.95), undefined);
  });
});
