/**
 * Seasonal anomaly scores for business volumes and latencies, pure. The baseline of an hour is the median and
 * MAD of the same hour of the week in past weeks; until there are enough weeks, the same hour of the day on the
 * same kind of day (weekday or weekend) stands in, so the detector speaks after days, not after three seasons.
 * A business calendar scales the expectation, so that the month-end rush is not an anomaly.
 */

export interface SeasonalPoint {
  /** Epoch milliseconds. */
  at: number;
  value: number;
}

export type CalendarRule =
  /** The last `days` days of each month carry `factor` times the usual volume. */
  | { kind: "month_end"; days: number; factor: number }
  /** A dispatch window: these hours of these ISO weekdays (1 = Monday) carry `factor` times the usual volume. */
  | { kind: "dispatch_window"; weekdays: readonly number[]; fromHour: number; toHour: number; factor: number };

export interface Baseline {
  median: number;
  /** MAD scaled to a standard deviation (x 1.4826), floored so that a flat history does not make every blip infinite. */
  spread: number;
  /** Which history it came from. */
  source: "hour_of_week" | "hour_of_day";
  samples: number;
  /** The calendar factor applied to the median. */
  factor: number;
}

export const MIN_SAMPLES = 3;
const HOUR = 3_600_000;

/** Local hour of the week (0 = Monday 00:00) for a UTC offset in minutes. */
export function hourOfWeek(at: number, offsetMinutes = 0): number {
  const d = new Date(at + offsetMinutes * 60_000);
  return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function calendarFactor(at: number, calendar: readonly CalendarRule[], offsetMinutes = 0): number {
  const d = new Date(at + offsetMinutes * 60_000);
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  const isoDay = ((d.getUTCDay() + 6) % 7) + 1;
  const applies = (rule: CalendarRule) =>
    rule.kind === "month_end"
      ? d.getUTCDate() > daysInMonth - rule.days
      : rule.weekdays.includes(isoDay) && d.getUTCHours() >= rule.fromHour && d.getUTCHours() < rule.toHour;
  return calendar.reduce((f, rule) => (applies(rule) ? f * rule.factor : f), 1);
}

/** The expected value of the hour starting at `at`, from the history before it; undefined while too young. */
export function baseline(history: readonly SeasonalPoint[], at: number, calendar: readonly CalendarRule[] = [], offsetMinutes = 0): Baseline | undefined {
  const past = history.filter((p) => p.at <= at - HOUR);
  const how = hourOfWeek(at, offsetMinutes);
  // History points are deseasonalised by their own calendar factor, so a past month-end does not raise the bar.
  const norm = (p: SeasonalPoint) => p.value / calendarFactor(p.at, calendar, offsetMinutes);
  let source: Baseline["source"] = "hour_of_week";
  let values = past.filter((p) => hourOfWeek(p.at, offsetMinutes) === how).map(norm);
  if (values.length < MIN_SAMPLES) {
    const weekend = (h: number) => h >= 5 * 24;
    values = past.filter((p) => {
      const h = hourOfWeek(p.at, offsetMinutes);
      return h % 24 === how % 24 && weekend(h) === weekend(how);
    }).map(norm);
    source = "hour_of_day";
  }
  if (values.length < MIN_SAMPLES) return undefined;
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m))) * 1.4826;
  const factor = calendarFactor(at, calendar, offsetMinutes);
  return { median: m * factor, spread: Math.max(mad * factor, Math.abs(m * factor) * 0.02, 1e-9), source, samples: values.length, factor };
}

/** How many spreads the value stands from its expectation (positive: above). */
export function anomalyScore(value: number, b: Baseline): number {
  return (value - b.median) / b.spread;
}

/** The band drawn around the expectation: median +- k spreads. */
export function expectedBand(b: Baseline, k = 5): { low: number; high: number } {
  return { low: b.median - k * b.spread, high: b.median + k * b.spread };
}
