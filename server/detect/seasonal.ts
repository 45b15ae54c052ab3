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

/** A timezone's UTC offset in minutes at an instant: summer and winter hours differ. */
export type Offset = (at: number) => number;

const asOffset = (o: number | Offset): Offset => (typeof o === "number" ? () => o : o);

/**
 * History grouped once by local hour of the week, each point deseasonalised by its own calendar factor (so a past
 * month-end does not raise the bar) and placed with its own UTC offset (so 11:00 stays 11:00 across a change to
 * summer time). Baselines of many hours then read a dozen points each instead of the whole history.
 */
export interface SeasonalIndex {
  byHourOfWeek: Map<number, SeasonalPoint[]>;
}

export function seasonalIndex(history: readonly SeasonalPoint[], calendar: readonly CalendarRule[] = [], offsetMinutes: number | Offset = 0): SeasonalIndex {
  const offset = asOffset(offsetMinutes);
  const byHourOfWeek = new Map<number, SeasonalPoint[]>();
  for (const p of history) {
    const off = offset(p.at);
    const how = hourOfWeek(p.at, off);
    const list = byHourOfWeek.get(how) ?? [];
    list.push({ at: p.at, value: p.value / calendarFactor(p.at, calendar, off) });
    byHourOfWeek.set(how, list);
  }
  return { byHourOfWeek };
}

/** The expected value of the hour starting at `at`, from the history before it; undefined while too young. */
export function baseline(history: readonly SeasonalPoint[] | SeasonalIndex, at: number, calendar: readonly CalendarRule[] = [], offsetMinutes: number | Offset = 0): Baseline | undefined {
  const index = "byHourOfWeek" in history ? history : seasonalIndex(history, calendar, offsetMinutes);
  const off = asOffset(offsetMinutes)(at);
  const how = hourOfWeek(at, off);
  const before = (h: number) => (index.byHourOfWeek.get(h) ?? []).filter((p) => p.at <= at - HOUR).map((p) => p.value);
  let source: Baseline["source"] = "hour_of_week";
  let values = before(how);
  if (values.length < MIN_SAMPLES) {
    // The same hour on the same kind of day (weekday or weekend): the daily shape, while weeks are few.
    const weekend = how >= 5 * 24;
    const days = weekend ? [5, 6] : [0, 1, 2, 3, 4];
    values = days.flatMap((d) => before(d * 24 + (how % 24)));
    source = "hour_of_day";
  }
  if (values.length < MIN_SAMPLES) return undefined;
  const factor = calendarFactor(at, calendar, off);
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m))) * 1.4826;
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
