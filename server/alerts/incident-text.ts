/**
 * What people are told about an incident, pure: a subject and a plain-text body (SMTP, and the text the Odoo
 * record keeps), and the notification the addon's `logistics.incident.record_transitions` takes.
 */
import { mttd, mttr, type Incident, type IncidentTransition } from "../detect/incidents.ts";
import { toOdooDatetime } from "../odoo/datetime.ts";
import { formatDuration, formatTime } from "../sli/format.ts";


export function duration(seconds: number | null): string {
  if (seconds === null) return "-";
  return formatDuration(seconds);
}

const VERB: Record<IncidentTransition, string> = {
  opened: "opened",
  worse: "got worse",
  cause: "has a new probable cause",
  resolved: "is resolved",
  repeat: "is still open",
};

/** "[PAGE] acme: Carrier label failures (dhl), 2 alerts: cause the dhl label service". */
export function incidentSubject(i: Incident, transition: IncidentTransition): string {
  const tag = transition === "resolved" ? "RESOLVED" : i.severity.toUpperCase();
  const firing = i.alerts.filter((a) => a.state === "firing").length;
  const more = i.alerts.length > 1 ? `, ${i.alerts.length} alerts` : "";
  const cause = i.causes[0] ? `: probable cause ${i.causes[0].subject}` : "";
  return `[${tag}] ${i.tenant}: ${i.title}${more}${transition === "resolved" || !firing ? "" : cause}`;
}

/** Another tenant's name never reaches a tenant's people (a shared backend serves several companies). */
export function redactTenants(text: string, tenant: string, tenants: readonly string[]): string {
  let out = text;
  for (const t of tenants) if (t !== tenant && t !== "global") out = out.replaceAll(t, "another tenant");
  return out;
}

/** The body in the readers' time zone (the operations addresses' `alerts.timeZone`). */
export function incidentBody(i: Incident, transition: IncidentTransition, dashboardUrl?: string, timeZone = "UTC"): string {
  const utc = (ms: number) => formatTime(ms, timeZone);
  const lines = [`Incident #${i.id ?? "?"} of ${i.tenant} ${VERB[transition]}: ${i.title}.`, `Severity: ${i.severity}; ${i.state}.`, ""];
  lines.push(i.causes.length ? "Probable causes:" : "Probable cause: unknown (no signal that can affect this left its normal before it).");
  for (const c of i.causes) lines.push(`  ${c.rank}. ${c.subject} (${c.layer}, ${Math.round(c.confidence * 100)}%): ${c.evidence}`);
  lines.push("", "Alerts:");
  for (const a of i.alerts) {
    lines.push(`  - ${a.state === "firing" ? a.severity : a.state}: ${a.title}${Object.keys(a.labels).length ? ` (${Object.values(a.labels).join(", ")})` : ""} since ${utc(a.since)}`);
    for (const f of a.facts ?? []) lines.push(`    ${f}`);
  }
  lines.push("", `First abnormal signal: ${utc(i.firstAbnormalAt)}; detected after ${duration(mttd(i) ?? (transition === "opened" ? 0 : null))}${i.resolvedAt ? `; resolved ${utc(i.resolvedAt)} after ${duration(mttr(i))}` : ""}.`);
  lines.push("", "Timeline:");
  for (const e of i.timeline.slice(-15)) lines.push(`  ${utc(e.at)}  ${e.text}`);
  if (dashboardUrl) lines.push("", `Dashboard: ${dashboardUrl}`);
  return lines.join("\n");
}

/**
 * The incident's identity outside this store: its number and when it opened. Numbers restart with a new store;
 * a tenant's Odoo may have heard of an incident #1 from an earlier one.
 */
export function incidentRef(i: Incident): string {
  return `${i.id}-${i.openedAt.toString(36)}`;
}

const odooTime = (ms: number | null) => (ms === null ? null : toOdooDatetime(new Date(ms)));

/** The notification as `logistics.incident.record_transitions` takes it (datetimes naive UTC). */
export function odooIncidentNotification(i: Incident, transition: IncidentTransition, key: string, subject: string, text: string): Record<string, unknown> {
  return {
    key,
    incident: incidentRef(i),
    tenant: i.tenant,
    transition,
    title: i.title,
    subject,
    text,
    severity: i.severity,
    state: i.state,
    opened_at: odooTime(i.openedAt),
    first_abnormal_at: odooTime(i.firstAbnormalAt),
    first_notified_at: odooTime(i.firstNotifiedAt),
    resolved_at: odooTime(i.resolvedAt),
    mttd_seconds: mttd(i),
    mttr_seconds: mttr(i),
    causes: i.causes.map((c) => ({ rank: c.rank, layer: c.layer, subject: c.subject, evidence: c.evidence, confidence: c.confidence })),
    timeline: i.timeline.map((e) => ({ at: odooTime(e.at), kind: e.kind, text: e.text })),
    alerts: i.alerts.map((a) => a.ref),
    mail: true,
  };
}
