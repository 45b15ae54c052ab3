/** Formatting of SLI values for people: durations in h/min, ratios in %, counts as integers. Pure. */
export interface SliView {
  tenant: string;
  sli: string;
  title: string;
  unit: string;
  better: "lower" | "higher";
  objective: number;
  labels: Record<string, string>;
  value: number | null;
  missing: string | null;
  status: "ok" | "breach" | "missing";
  at: string;
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "seconds":
      return formatDuration(value);
    case "ratio":
      return `${(value * 100).toFixed(value >= 0.995 || value === 0 ? 0 : 1)} %`;
    case "bytes":
      return formatBytes(value);
    case "days":
      return `${value.toFixed(1)} d`;
    case "per_second":
      return `${value.toFixed(value < 10 ? 2 : 0)}/s`;
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  const s = Math.abs(seconds);
  if (s < 60) return `${sign}${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 3600) return `${sign}${Math.round(s / 60)} min`;
  if (s < 86_400 * 2) return `${sign}${(s / 3600).toFixed(1)} h`;
  return `${sign}${(s / 86_400).toFixed(1)} d`;
}

function formatBytes(b: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = b;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** "≤ 10" or "≥ 95 %": the objective as a manager reads it. */
export function formatObjective(s: Pick<SliView, "better" | "objective" | "unit">): string {
  return `${s.better === "lower" ? "≤" : "≥"} ${formatValue(s.objective, s.unit)}`;
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
    return { ...worst, detail: group.length > 1 ? `worst of ${group.length} (${labels})` : labels };
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

/** The error budget a tile shows: the smallest left among its label sets (the carrier that spends fastest). */
export function budgetOf(slos: readonly SloView[], tenant: string, sli: string): { left: number; text: string; window: number } | null {
  const mine = slos.filter((s) => s.tenant === tenant && s.sli === sli && s.errorBudgetRemaining !== null);
  if (!mine.length) return null;
  const worst = mine.reduce((a, b) => (b.errorBudgetRemaining! < a.errorBudgetRemaining! ? b : a));
  const left = worst.errorBudgetRemaining!;
  const burn = worst.burnRates["1h"];
  const text = `budget ${left <= 0 ? "spent" : `${Math.round(left * 100)} % left`}${burn != null && burn >= 1 ? ` · burning ${burn.toFixed(1)}x` : ""}`;
  return { left, text, window: worst.windowDays };
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
