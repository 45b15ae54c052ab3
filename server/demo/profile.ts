/**
 * Relative order intake per hour of the day (UTC, the demo tenant's timezone): quiet at night, a morning ramp,
 * and two peaks before the carriers' dispatch cut-offs, 9-11 and 14-16, when customers rush orders in.
 */
const HOURLY_WEIGHT = [
  0.3, 0.3, 0.3, 0.3, 0.3, 0.5, // 00-05
  1, 3, 8, 30, 32, 20, //          06-11
  12, 14, 28, 30, 18, 10, //       12-17
  6, 4, 3, 2, 1, 0.5, //           18-23
];
const WEIGHT_SUM = HOURLY_WEIGHT.reduce((s, w) => s + w, 0);

/** Quotations created on an ordinary weekday. */
export const QUOTATIONS_PER_WEEKDAY = 300;

/** Saturday and Sunday bring a fraction of a weekday's orders (web shop only, no B2B). */
const WEEKDAY_FACTOR = [0.25, 1, 1, 1, 1, 1, 0.35]; // Sunday first, as getUTCDay

/** The dispatch windows, [from, to) hours: the peaks of order intake. */
export const DISPATCH_WINDOWS: ReadonlyArray<readonly [number, number]> = [[9, 11], [14, 16]];

/** Mean number of quotations created in the minute starting at `ms`: the Poisson rate of customer arrivals. */
export function quotationsPerMinute(ms: number): number {
  const d = new Date(ms);
  const perHour = (QUOTATIONS_PER_WEEKDAY * HOURLY_WEIGHT[d.getUTCHours()]!) / WEIGHT_SUM;
  return (perHour * WEEKDAY_FACTOR[d.getUTCDay()]!) / 60;
}

export function inDispatchWindow(ms: number): boolean {
  const hour = new Date(ms).getUTCHours();
  return DISPATCH_WINDOWS.some(([from, to]) => hour >= from && hour < to);
}
