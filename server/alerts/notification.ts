import type { SliDefinition } from "../sli/catalog.ts";
import { toOdooDatetime } from "../odoo/datetime.ts";
import type { AlertRecord } from "../store/alerts.ts";
import { formatTime, formatValue as formatSliValue } from "../sli/format.ts";
import { labelsKey } from "../sli/labels.ts";

export type NotifyTransition = "fired" | "resolved" | "repeat";

/** A value in the unit people read it in (the product's one formatter); "missing" when there is none. */
export function formatValue(value: number | null, unit: SliDefinition["unit"]): string {
  return value === null ? "missing" : formatSliValue(value, unit);
}


/** What the alert is about: "demo: Carrier label failures (carrier=dhl)". */
export function alertSubjectLine(a: Pick<AlertRecord, "tenant" | "labels" | "kind">, def: SliDefinition): string {
  const labels = labelsKey(a.labels);
  return `${a.tenant}: ${def.title}${labels ? ` (${labels})` : ""}${a.kind === "anomaly" ? " unusual for the hour" : ""}`;
}

/** The facts of one alert a person checks: its value against its objective, its budget, its seasonal band. */
export function alertFacts(a: AlertRecord, def: SliDefinition): string[] {
  const side = def.better === "lower" ? "at most" : "at least";
  const d = a.details as { budgetRemaining?: number | null; target?: number; windowDays?: number; rule?: string; expected?: number; band?: { low: number; high: number }; score?: number };
  const lines = [`Value: ${formatValue(a.value, def.unit)} against an objective of ${side} ${formatValue(a.objective, def.unit)}.`];
  if (typeof d.budgetRemaining === "number") {
    lines.push(`Error budget left: ${formatSliValue(d.budgetRemaining, "ratio")} of ${d.windowDays} days at a ${formatSliValue(d.target ?? 0, "ratio")} target${d.rule ? `; burning ${d.rule}` : ""}.`);
  }
  const error = (a.details as { error?: unknown }).error;
  if (def.id === "journey_failed_step" && typeof error === "string") lines.push(`Journey ${a.labels.journey} stopped at ${a.labels.step}: ${error}.`);
  if (d.band && typeof d.score === "number") {
    lines.push(`Expected for this hour of the week: ${formatValue(d.expected ?? null, def.unit)} (band ${formatValue(d.band.low, def.unit)} to ${formatValue(d.band.high, def.unit)}); ${d.score.toFixed(1)} robust deviations away.`);
  }
  return lines;
}

/** Subject and plain-text body of one alert transition (the text its Odoo record keeps). */
export function notificationText(a: AlertRecord, transition: NotifyTransition, def: SliDefinition, dashboardUrl?: string, timeZone = "UTC"): { subject: string; body: string } {
  const utc = (ms: number) => formatTime(ms, timeZone);
  const what = alertSubjectLine(a, def);
  const subject = `[${transition === "resolved" ? "RESOLVED" : a.severity.toUpperCase()}] ${what}`;
  const state = { fired: "breaches its objective", repeat: "still breaches its objective", resolved: "is back within its objective" }[transition];
  const lines = [`${what} ${state}.`, ...alertFacts(a, def).slice(0, 1), `Since: ${utc(a.since)}${a.resolvedAt ? `; resolved ${utc(a.resolvedAt)}` : ""}.`, ...alertFacts(a, def).slice(1)];
  const cause = (a.details as { probableCause?: string }).probableCause;
  if (cause) lines.push(`Probable cause: ${cause}.`);
  if (dashboardUrl) lines.push(`Dashboard: ${dashboardUrl}`);
  return { subject, body: lines.join("\n") };
}

const odooTime = (ms: number | null) => (ms === null ? null : toOdooDatetime(new Date(ms)));

/** The notification as the addon's `logistics.alert.record_transitions` takes it (datetimes naive UTC). */
export function odooNotification(a: AlertRecord, transition: NotifyTransition, def: SliDefinition, key: string): Record<string, unknown> {
  const d = a.details as { budgetRemaining?: number | null; probableCause?: string };
  return {
    key,
    fingerprint: `${a.fingerprint}@${a.since}`,
    transition,
    tenant: a.tenant,
    sli: a.sli,
    sli_title: a.kind === "anomaly" ? `${def.title} unusual for the hour` : def.title,
    labels: labelsKey(a.labels),
    severity: a.severity,
    value: a.value,
    objective: a.objective,
    unit: def.unit,
    since: odooTime(a.since),
    resolved_at: odooTime(a.resolvedAt),
    budget_left: typeof d.budgetRemaining === "number" ? d.budgetRemaining : null,
    // A tenant's Odoo (and its mail) does not learn the names of the backend's other tenants.
    probable_cause: d.probableCause?.replace(/^noisy tenant: \S+/, "noisy tenant: another tenant") ?? null,
    mail: true,
  };
}
