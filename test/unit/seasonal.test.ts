import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { anomalyScore, baseline, calendarFactor, expectedBand, hourOfWeek, seasonalIndex, type SeasonalPoint } from "../../server/detect/seasonal.ts";
import { zoneOffsetMs } from "../../server/odoo/datetime.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-11-02 00:00 UTC. */
const MONDAY = Date.UTC(2026, 10, 2);

/** Orders per hour with an 11:00 dispatch peak on weekdays, quiet nights and weekends, and a little noise. */
function orders(hours: number, from = MONDAY): SeasonalPoint[] {
  return Array.from({ length: hours }, (_, h) => {
    const at = from + h * HOUR;
    const hod = new Date(at).getUTCHours();
    const weekend = hourOfWeek(at) >= 120;
    const base = weekend ? 5 : hod === 11 ? 100 : hod >= 8 && hod < 18 ? 40 : 4;
    return { at, value: base + ((h * 7) % 5) - 2 };
  });
}

describe("seasonal baselines and anomaly scores", () => {
  const history = orders(3 * 7 * 24);
  const nextMonday11 = MONDAY + 3 * 7 * DAY + 11 * HOUR;

  test("hour of week starts on Monday", () => {
    assert.equal(hourOfWeek(MONDAY + 11 * HOUR), 11);
    assert.equal(hourOfWeek(MONDAY - HOUR), 167);
  });

  test("the Monday 11:00 peak equal to its baseline does not alert", () => {
    const b = baseline(history, nextMonday11)!;
    assert.equal(b.source, "hour_of_week");
    assert.ok(Math.abs(anomalyScore(100, b)) < 5, `score ${anomalyScore(100, b)}`);
  });

  test("a peak 5 MAD above its baseline does", () => {
    const b = baseline(history, nextMonday11)!;
    const { high } = expectedBand(b, 5);
    assert.ok(anomalyScore(high + 1, b) >= 5);
    assert.ok(anomalyScore(b.median + 5.5 * b.spread, b) >= 5);
  });

  test("a night hour at the peak's level is an anomaly even with two days of history (the daily shape speaks)", () => {
    const young = orders(2 * 24 + 12);
    const at = MONDAY + 3 * DAY + 3 * HOUR; // Thursday 03:00, never seen on a Thursday
    const b = baseline(young, at)!;
    assert.equal(b.source, "hour_of_day");
    assert.ok(anomalyScore(100, b) >= 5);
    assert.ok(Math.abs(anomalyScore(4, b)) < 5);
  });

  test("no history, no verdict", () => {
    assert.equal(baseline([], nextMonday11), undefined);
  });

  test("the calendar expects the month-end rush", () => {
    const monthEnd = Date.UTC(2026, 10, 30, 11); // Monday 30 November 11:00
    const calendar = [{ kind: "month_end" as const, days: 2, factor: 1.5 }];
    assert.equal(calendarFactor(monthEnd, calendar), 1.5);
    assert.equal(calendarFactor(Date.UTC(2026, 10, 27, 11), calendar), 1);
    const hist = orders(4 * 7 * 24);
    const withCalendar = baseline(hist, monthEnd, calendar)!;
    const without = baseline(hist, monthEnd)!;
    assert.ok(Math.abs(anomalyScore(150, withCalendar)) < 5, "an expected 1.5x peak is no anomaly");
    assert.ok(anomalyScore(150, without) >= 5, "without the calendar it would alert");
  });
});

describe("seasonal baselines across a change to summer time", () => {
  test("the 11:00 peak in Berlin stays the 11:00 peak after the clocks move (each point read with its own offset)", () => {
    const berlin = (at: number) => zoneOffsetMs(new Date(at), "Europe/Berlin") / 60_000;
    const HOUR = 3_600_000;
    // Six weeks of hourly history, four of them before the switch on 29 March 2026; peak 500 at 11:00 local.
    const start = Date.UTC(2026, 2, 1);
    const history: SeasonalPoint[] = [];
    for (let at = start; at < Date.UTC(2026, 3, 12); at += HOUR) {
      const localHour = new Date(at + berlin(at) * 60_000).getUTCHours();
      history.push({ at, value: localHour === 11 ? 500 : 200 });
    }
    const peak = Date.UTC(2026, 3, 13, 9); // Monday 13 April, 11:00 in Berlin (UTC+2)
    const b = baseline(history, peak, [], berlin)!;
    assert.equal(b.median, 500);
    assert.ok(Math.abs(anomalyScore(500, b)) < 1, `score ${anomalyScore(500, b)}`);
    const fixed = baseline(history, peak, [], berlin(peak))!;
    assert.ok(anomalyScore(500, fixed) > 5, "with one offset for all history, the winter weeks put the peak an hour off");
    assert.deepEqual(baseline(seasonalIndex(history, [], berlin), peak, [], berlin), b, "an index built once gives the same baseline");
  });
});
