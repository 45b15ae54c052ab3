/**
 * Percentile by linear interpolation between closest ranks (PostgreSQL's percentile_cont, numpy's default),
 * so that the backend and an SQL ground truth agree to the millisecond. Undefined for no data: an empty window
 * has no latency, and reporting 0 would claim a perfect service.
 */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (q < 0 || q > 1 || Number.isNaN(q)) throw new RangeError(`percentile: q must be in [0, 1], got ${q}`);
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  const sorted = [...finite].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** a / b, undefined when nothing was counted (no deliveries is not "100% on time"). */
export function ratio(numerator: number, denominator: number): number | undefined {
  return denominator > 0 ? numerator / denominator : undefined;
}

export function mean(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : undefined;
}

/** Seconds from a to b. */
export function secondsBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / 1000;
}

/** Whether t falls in the half-open window (now - length, now]. */
export function inWindow(t: Date | null | undefined, now: Date, windowSeconds: number): t is Date {
  if (!t) return false;
  const age = (now.getTime() - t.getTime()) / 1000;
  return age >= 0 && age < windowSeconds;
}
