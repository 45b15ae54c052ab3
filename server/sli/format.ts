/**
 * How values and durations read, the one formatter of the product: the backend's emails, the dashboard (bundled
 * into the addon) and the addon's Python (models/format.py, held to the same cases by odoo_addon/logistics_observability/tests/format_cases.json)
 * all say "18 days", "4.5 hr", "94.6%". Units and digits come from the locale (CLDR through Intl), so a French
 * reader gets "18 j" and "94,6 %" without a word list of ours. Pure: no Node or browser API beyond Intl.
 */
export type Unit = "seconds" | "ratio" | "count" | "bytes" | "per_second" | "days";

/** Odoo writes languages as fr_FR or sr@latin; Intl wants fr-FR. */
export function intlLocale(lang: string | undefined): string {
  const tag = (lang ?? "en").replace("_", "-").replace(/@.*$/, "");
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? "en";
  } catch {
    return "en";
  }
}

/** At a glance: one decimal below 10, none above ("4.5 hr", "18 days"), trailing zeros dropped. */
const digits = (v: number) => (Math.abs(v) < 10 ? 1 : 0);

function unitText(value: number, unit: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: digits(value) }).format(value);
}

/** "12 sec", "6 min", "4.5 hr", "18 days": the largest unit that keeps the number readable. */
export function formatDuration(seconds: number, lang?: string): string {
  const locale = intlLocale(lang);
  const s = Math.abs(seconds);
  if (s < 60) return unitText(seconds, "second", locale);
  if (s < 90 * 60) return unitText(Math.round(seconds / 60), "minute", locale);
  if (s < 48 * 3600) return unitText(seconds / 3600, "hour", locale);
  return unitText(seconds / 86_400, "day", locale);
}

function formatBytes(bytes: number, locale: string): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"];
  let i = 0;
  let v = bytes;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return unitText(v, units[i]!, locale);
}

/** A value in the unit people read it in; "—" when there is none. */
export function formatValue(value: number | null, unit: Unit, lang?: string): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const locale = intlLocale(lang);
  switch (unit) {
    case "seconds":
      return formatDuration(value, lang);
    case "days":
      return formatDuration(value * 86_400, lang);
    case "ratio":
      // Percent with one decimal whatever the size: 94.6% must not read as a met 95% objective.
      return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
    case "bytes":
      return formatBytes(value, locale);
    case "per_second":
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 0 }).format(value)}/s`;
    case "count":
      return new Intl.NumberFormat(locale, { maximumFractionDigits: digits(value) }).format(value);
  }
}

/** The objective as a manager reads it: "≤ 10", "≥ 95%". */
export function formatObjective(better: "lower" | "higher", objective: number, unit: Unit, lang?: string): string {
  return `${better === "lower" ? "≤" : "≥"} ${formatValue(objective, unit, lang)}`;
}

/**
 * A moment as the reader's clock shows it, with its zone: "6 Dec 2026, 12:05 CET". The time zone is the reader's
 * (an Odoo user's tz, or the operations addresses' configured zone), never the server's.
 */
export function formatTime(ms: number, timeZone = "UTC", lang?: string): string {
  const locale = lang ? intlLocale(lang) : "en-GB";
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short" }).format(ms);
}

/** Whether a zone name is one Intl knows (config validation). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
