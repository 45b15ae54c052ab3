import { FORECAST_HORIZON_DAYS } from "../sli/capacity-catalog.ts";

/** A point of a series: time (ms) and value. */
export interface Point {
  at: number;
  value: number;
}

const DAY_MS = 86_400_000;

/**
 * Growth per day by least squares over the points, or undefined with fewer than two points or under an hour of
 * history (a slope over minutes says nothing about next month). Pure.
 */
export function growthPerDay(points: readonly Point[]): number | undefined {
  if (points.length < 2) return undefined;
  const t0 = points[0]!.at;
  if (points.at(-1)!.at - t0 < 3_600_000) return undefined;
  const xs = points.map((p) => (p.at - t0) / DAY_MS);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.value, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  points.forEach((p, i) => {
    sxy += (xs[i]! - mx) * (p.value - my);
    sxx += (xs[i]! - mx) ** 2;
  });
  return sxx > 0 ? sxy / sxx : undefined;
}

/** Days until `left` is used up at `perDay`; the horizon when it does not grow (or shrinks). */
export function daysUntil(left: number, perDay: number | undefined): number | undefined {
  if (perDay === undefined) return undefined;
  if (left <= 0) return 0;
  return perDay > 0 ? Math.min(FORECAST_HORIZON_DAYS, left / perDay) : FORECAST_HORIZON_DAYS;
}

/** The nearest-rank percentile, or undefined without values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}
