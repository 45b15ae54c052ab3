/**
 * What the dashboard says about service levels, pure: tiles folded from label sets, budgets in a manager's words,
 * the expected band along a series. Values and durations read through the product's one formatter.
 */
import { formatDuration, formatObjective as objectiveText, formatValue, type Unit } from "../../server/sli/format.ts";
import { _t } from "./t.ts";

export { formatDuration, formatValue };
export interface SliView {
  tenant: string;
  sli: string;
  title: string;
  unit: Unit;
  better: "lower" | "higher";
  objective: number;
  labels: Record<string, string>;
  value: number | null;
  missing: string | null;
  status: "ok" | "breach" | "missing";
  at: string;
}

/** What a tile says of its state, in a manager's words. */
export function statusText(status: SliView["status"]): string {
  return { ok: _t("Within objective"), breach: _t("Objective missed"), missing: _t("No data") }[status];
}

/**
 * One tile per SLI, in the order the backend's catalogue lists them (the flow of an order): label sets
 * (carriers, channels) fold into the worst of them, named in the caption.
 */
export function tiles(slis: readonly SliView[], order: readonly string[] = []): Array<SliView & { detail: string }> {
  const bySli = new Map<string, SliView[]>();
  for (const s of slis) bySli.set(`${s.tenant}/${s.sli}`, [...(bySli.get(`${s.tenant}/${s.sli}`) ?? []), s]);
  const rank = (sli: string) => (order.includes(sli) ? order.indexOf(sli) : order.length);
  const groups = [...bySli.values()].sort((a, b) => rank(a[0]!.sli) - rank(b[0]!.sli));
  return groups.map((group) => {
    const present = group.filter((s) => s.value !== null);
    if (!present.length) return { ...group[0]!, detail: group[0]!.missing ?? "" };
    const worst = present.reduce((a, b) => ((a.better === "lower" ? b.value! > a.value! : b.value! < a.value!) ? b : a));
    const labels = Object.entries(worst.labels).map(([k, v]) => `${k}: ${v}`).join(", ");
    return { ...worst, detail: group.length > 1 ? _t("worst of %(count)s (%(labels)s)", { count: group.length, labels }) : labels };
  });
}

/** One SLO as /slos gives it (per label set). */
export interface SloView {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  target: number;
  windowDays: number;
  errorBudgetRemaining: number | null;
  burnRates: Record<string, number | null>;
}

/** "≥ 95%": the objective as a manager reads it. */
export function formatObjective(s: Pick<SliView, "better" | "objective" | "unit">, lang?: string): string {
  return objectiveText(s.better, s.objective, s.unit, lang);
}

/**
 * The error budget a tile shows, in a manager's words: the share of the period's allowance of misses already used
 * ("2% of this month's allowance used") and, when it burns faster than it may, when it runs out at this pace. The
 * smallest left among its label sets wins (the carrier that spends fastest).
 */
export function budgetOf(slos: readonly SloView[], tenant: string, sli: string, lang?: string): { left: number; text: string; window: number } | null {
  const mine = slos.filter((s) => s.tenant === tenant && s.sli === sli && s.errorBudgetRemaining !== null);
  if (!mine.length) return null;
  const worst = mine.reduce((a, b) => (b.errorBudgetRemaining! < a.errorBudgetRemaining! ? b : a));
  const left = worst.errorBudgetRemaining!;
  const window = worst.windowDays;
  if (left <= 0) return { left, window, text: _t("This period's allowance of misses is used up") };
  const used = formatValue(Math.max(0, 1 - left), "ratio", lang);
  const text = window >= 28 ? _t("%s of this month's allowance used", used) : _t("%(used)s of the %(days)s-day allowance used", { used, days: window });
  const burn = worst.burnRates["1h"];
  const runsOut = burn != null && burn > 1 ? ` · ${_t("at this pace, used up in %s", formatDuration((left * window * 86_400) / burn, lang))}` : "";
  return { left, window, text: text + runsOut };
}

/** An hour of a seasonal SLI as /anomalies gives it. */
export interface BandHour {
  at: string;
  low: number | null;
  high: number | null;
}

/** The expected band of each point's hour, aligned with the points (null where the detector is silent). Pure. */
export function bandAlong(points: ReadonlyArray<{ at: string }>, hours: readonly BandHour[]): { low: Array<number | null>; high: Array<number | null> } {
  const byHour = new Map(hours.map((h) => [Math.floor(Date.parse(h.at) / 3_600_000), h]));
  const at = (p: { at: string }) => byHour.get(Math.floor(Date.parse(p.at) / 3_600_000));
  return { low: points.map((p) => at(p)?.low ?? null), high: points.map((p) => at(p)?.high ?? null) };
}
