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

/** Bad and known samples in (now - windowSeconds, now]. */
function tally(points: readonly SloPoint[], now: number, windowSeconds: number, slo: SloSpec): { bad: number; known: number } {
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
  return judgeBurn((seconds) => burnRate(points, now, seconds, slo), first === undefined ? 0 : (now - first) / 1000, rules);
}

/**
 * The same verdict from any source of burn rates per window (the ledger's rollups in production).
 * `historySeconds` is how long the series has been read: a rule speaks only once the history covers its short
 * window, so that one bad reading among the first few is not a 6x burn (a young series is all short windows).
 */
export function judgeBurn(rate: (windowSeconds: number) => number | undefined, historySeconds: number, rules: readonly BurnRule[] = BURN_RULES): BurnVerdict {
  for (const rule of rules) {
    if (historySeconds < rule.shortSeconds) continue;
    const long = rate(rule.longSeconds);
    const short = rate(rule.shortSeconds);
    if (long !== undefined && short !== undefined && long >= rule.factor && short >= rule.factor) return { severity: rule.severity, rule };
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
