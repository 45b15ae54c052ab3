import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { budgetRemaining } from "../../server/slo/tracker.ts";
import { SeriesLedger } from "../../server/detect/slo-ledger.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

describe("SLO ledger (minute and hour rings)", () => {
  test("a window counts the readings of its last N minutes, the current one included", () => {
    const l = new SeriesLedger();
    for (let m = 0; m < 10; m++) l.record(m * MINUTE, 1, m >= 8);
    assert.deepEqual(l.tally(9 * MINUTE, 300), { known: 5, bad: 2 });
    assert.deepEqual(l.tally(9 * MINUTE, 3600), { known: 10, bad: 2 });
    assert.ok(Math.abs(l.burnRate(9 * MINUTE, 300, 0.99)! - 40) < 1e-9, "2 bad of 5 on a 99% SLO: 40x");
    assert.equal(l.burnRate(100 * MINUTE, 300, 0.99), undefined, "no reading in the window: no burn rate, not 0");
  });

  test("minutes older than 3 days are overwritten, not counted; the 28-day window reads the hours", () => {
    const l = new SeriesLedger();
    for (let m = 0; m < 5 * 24 * 60; m += 10) l.record(m * MINUTE, 1, m < 60);
    const now = 5 * DAY - 10 * MINUTE;
    assert.equal(l.tally(now, 3 * 86_400).bad, 0, "the bad first hour is older than 3 days");
    assert.deepEqual(l.tally(now, 28 * 86_400), { known: 5 * 24 * 6, bad: 6 });
  });

  test("history starts at the first reading, restored or recorded", () => {
    const l = new SeriesLedger();
    assert.equal(l.historySeconds(MINUTE), 0);
    l.restore("hour", 0, { known: 6, bad: 0, sum: 6 });
    l.record(2 * 3_600_000, 5, false);
    assert.equal(l.historySeconds(3 * 3_600_000), 3 * 3600);
    assert.deepEqual(l.hourlyMeans(), [{ at: 0, value: 1 }, { at: 2 * 3_600_000, value: 5 }]);
  });
});

describe("error budget left", () => {
  const slo = { target: 0.99, windowSeconds: 28 * 86_400 };
  test("past one window it is 1 - burn rate over the window", () => {
    assert.ok(Math.abs(budgetRemaining({ known: 40_320, bad: 201 }, slo, 60 * 86_400)! - (1 - 201 / 40_320 / 0.01)) < 1e-12);
  });
  test("a young series spends only what its bad readings cost of the whole window's budget", () => {
    // Day one at one reading a minute: 1440 readings, 3 bad; the 28-day budget is 1% of 40 320 readings.
    assert.ok(Math.abs(budgetRemaining({ known: 1440, bad: 3 }, slo, 86_400)! - (1 - 3 / 403.2)) < 1e-12);
  });
  test("no readings: no budget, not a full one", () => assert.equal(budgetRemaining({ known: 0, bad: 0 }, slo, 0), null));
});
