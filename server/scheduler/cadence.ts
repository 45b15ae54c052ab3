import { createHash } from "node:crypto";

/**
 * The next wall-clock boundary of the cadence after `nowMs` (every 15 s at :00, :15...; every 5 min at :00, :05...),
 * so that cycles of several backend processes line up. Only cadences that divide a minute or an hour align.
 */
export function nextSlot(nowMs: number, intervalMs: number): number {
  const seconds = intervalMs / 1000;
  if (!((seconds < 60 && 60 % seconds === 0) || (seconds % 60 === 0 && 3600 % seconds === 0))) {
    throw new RangeError(`sampling.intervalSeconds: ${seconds} must divide 60, or be whole minutes that divide 60 (e.g. 15, 30, 60, 300)`);
  }
  return (Math.floor(nowMs / intervalMs) + 1) * intervalMs;
}

/**
 * A stable delay in [0, maxSeconds) per tenant: tenants spread over the cycle instead of all querying at :00,
 * and each keeps its slot across restarts so that its samples stay evenly spaced.
 */
export function jitterSeconds(tenant: string, maxSeconds: number): number {
  if (maxSeconds <= 0) return 0;
  const n = createHash("sha256").update(tenant).digest().readUInt32BE(0);
  return (n / 2 ** 32) * maxSeconds;
}

/** Default spread: half the cycle, at most 30 s (500 tenants start ~17 a second at a 60 s cycle, not 500 at :00). */
export function defaultJitter(intervalSeconds: number): number {
  return Math.min(intervalSeconds / 2, 30);
}
