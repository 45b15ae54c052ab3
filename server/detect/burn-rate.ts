/**
 * Error budgets and multi-window, multi-burn-rate alerting (Google SRE workbook, "Alerting on SLOs"), as pure
 * functions over an SLI's samples. The SLO is time-based: each sample is a good or a bad interval depending on
 * whether the reading met its objective; a missing reading is neither (unknown is not good, and not bad).
 */

export interface SloSpec {
  /** The objective a reading must meet, e.g. late_open_deliveries <= 10. */
  objective: number;
  better: "lower" | "higher";
  /** Share of good intervals promised over the window, e.g. 0.99. */
  target: number;
  windowSeconds: number;
}

export interface SloPoint {
  /** Epoch milliseconds. */
  at: number;
  value: number | null;
}

export function isGood(value: number, slo: Pick<SloSpec, "objective" | "better">): boolean {
  return slo.better === "lower" ? value <= slo.objective : value >= slo.objective;
}

export interface Tally {
  known: number;
  bad: number;
}

/** Bad and known samples in (now - windowSeconds, now]. */
function tally(points: readonly SloPoint[], now: number, windowSeconds: number, slo: SloSpec): Tally {
  const from = now - windowSeconds * 1000;
  let bad = 0;
  let known = 0;
  for (const p of points) {
    if (p.at <= from || p.at > now || p.value === null) continue;
    known++;
    if (!isGood(p.value, slo)) bad++;
  }
  return { bad, known };
}

/** How fast the budget burns over a window: 1 spends exactly the budget over the SLO window. */
export function burnRate(points: readonly SloPoint[], now: number, windowSeconds: number, slo: SloSpec): number | undefined {
  const { bad, known } = tally(points, now, windowSeconds, slo);
  return known ? bad / known / (1 - slo.target) : undefined;
}

/** Share of the error budget left over the SLO window (negative once overspent). */
export function errorBudgetRemaining(points: readonly SloPoint[], now: number, slo: SloSpec): number | undefined {
  const burn = burnRate(points, now, slo.windowSeconds, slo);
  return burn === undefined ? undefined : 1 - burn;
}

export interface BurnRule {
  severity: "page" | "ticket";
  longSeconds: number;
  shortSeconds: number;
  /** Burn rate both windows must reach. */
  factor: number;
}

const MIN = 60;
const HOUR = 3600;

/** The workbook's recommended pairs for a 28-30 day SLO window. */
export const BURN_RULES: readonly BurnRule[] = [
  { severity: "page", longSeconds: HOUR, shortSeconds: 5 * MIN, factor: 14.4 },
  { severity: "page", longSeconds: 6 * HOUR, shortSeconds: 30 * MIN, factor: 6 },
  { severity: "ticket", longSeconds: 24 * HOUR, shortSeconds: 2 * HOUR, factor: 3 },
  { severity: "ticket", longSeconds: 3 * 24 * HOUR, shortSeconds: 6 * HOUR, factor: 1 },
];

export interface BurnVerdict {
  /** The most severe rule whose long and short windows both burn at or above its factor. */
  severity: "page" | "ticket" | null;
  rule: BurnRule | null;
}

/**
 * Evaluates the rules at `now`. The long window says the burn matters; the short window says it is still going
 * on, so that an alert resolves soon after the burn stops instead of an hour later.
 */
export function evaluateBurn(points: readonly SloPoint[], now: number, slo: SloSpec, rules: readonly BurnRule[] = BURN_RULES): BurnVerdict {
  const first = points.find((p) => p.value !== null && p.at <= now)?.at;
  return judgeBurn((seconds) => tally(points, now, seconds, slo), slo.target, first === undefined ? 0 : (now - first) / 1000, rules);
}

/**
 * The same verdict from any source of window tallies (the ledger's rollups in production). `historySeconds` is
 * how long the series has been read. While it is shorter than a rule's short window, every window holds the
 * same few readings, so one bad reading among the first eight would be a "12x burn": the rule then needs more
 * than one bad reading. An outage still pages at its second reading; a stray failure does not.
 */
export function judgeBurn(tallyOf: (windowSeconds: number) => Tally, target: number, historySeconds: number, rules: readonly BurnRule[] = BURN_RULES): BurnVerdict {
  const rate = (t: Tally) => (t.known ? t.bad / t.known / (1 - target) : undefined);
  for (const rule of rules) {
    const long = tallyOf(rule.longSeconds);
    const short = tallyOf(rule.shortSeconds);
    if (historySeconds < rule.shortSeconds && short.bad < 2) continue;
    const l = rate(long);
    const s = rate(short);
    if (l !== undefined && s !== undefined && l >= rule.factor && s >= rule.factor) return { severity: rule.severity, rule };
  }
  return { severity: null, rule: null };
}

/** Every window a rule looks at, shortest first: what the API and /metrics report burn rates for. */
export const BURN_WINDOWS: readonly number[] = [...new Set(BURN_RULES.flatMap((r) => [r.shortSeconds, r.longSeconds]))].sort((a, b) => a - b);

/** "5m", "1h", "3d": the window label of /metrics. */
export function windowLabel(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${seconds / 60}m`;
}
