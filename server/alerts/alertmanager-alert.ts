import { createHash } from "node:crypto";
import type { RankedCause } from "../detect/rank-causes.ts";
import type { SliDefinition } from "../sli/catalog.ts";
import type { AlertRecord } from "../store/alerts.ts";
import { alertSubjectLine, notificationText } from "./notification.ts";

/**
 * What goes to Alertmanager, and when. Pure.
 *
 * Alerts, not incidents: Alertmanager's own model is one alert per condition, identified by its labels, which it
 * groups, deduplicates, inhibits and routes itself. Posting each alert keeps which service levels are affected
 * visible to its routes and inhibition rules, and the incident is a label, so that `group_by: [incident]` gives
 * one Slack message or PagerDuty incident per incident of ours. Like Prometheus, only firing alerts are posted
 * (pending ones are not news), again every resend interval while they fire, and with their end when resolved.
 * Silenced or inhibited alerts are not posted: an alert that Alertmanager holds when it is muted is posted ended,
 * and posted again when the mute ends.
 */

/** One alert as Alertmanager's POST /api/v2/alerts takes it, before its times are set at send time. */
export interface AlertmanagerPost {
  state: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  /** A resolved alert's end; a firing one's is set when it is sent (now + the time it is good for). */
  endsAt?: number;
  generatorURL?: string;
}

/** What Alertmanager was last told is firing for an alert episode (kept in the alert's details). */
export interface PostedToAlertmanager {
  labels: Record<string, string>;
  at: number;
}

/** Label names Alertmanager accepts everywhere (the classic Prometheus rule), whatever its UTF-8 mode. */
const labelName = (k: string) => k.replace(/[^A-Za-z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
const OWN = new Set(["alertname", "tenant", "sli", "severity", "kind", "layer", "cause_layer", "incident"]);

/**
 * The identity of an alert in Alertmanager: what routes match on. Bounded: tenant, SLI, severity, the SLI's layer,
 * the layer of its probable cause, the incident, and the SLI's own labels (carrier, channel, source...).
 */
export function alertmanagerLabels(a: AlertRecord, def: SliDefinition): Record<string, string> {
  const cause = (a.details.causes as RankedCause[] | undefined)?.[0];
  const labels: Record<string, string> = {
    alertname: a.kind === "anomaly" ? `LogisticsAnomaly_${a.sli}` : `Logistics_${a.sli}`,
    tenant: a.tenant,
    sli: a.sli,
    severity: a.severity,
    kind: a.kind,
    layer: def.layer ?? "business",
    cause_layer: cause?.layer ?? "unknown",
  };
  if (a.incidentId != null) labels.incident = String(a.incidentId);
  for (const [k, v] of Object.entries(a.labels)) if (v !== "" && !OWN.has(labelName(k))) labels[labelName(k)] = v;
  return labels;
}

/** Why an alert is (or is no longer) in Alertmanager, in a few words. */
function stateWords(a: AlertRecord): string {
  if (a.state === "resolved") return "back within its objective";
  if (a.silencedBy !== null) return `silenced (silence #${a.silencedBy})`;
  if (a.inhibitedBy !== null) return `inhibited: ${a.inhibitedBy}`;
  return "breaches its objective";
}

/** What a person reads: the summary, the facts, the probable cause with its evidence, the dashboard. */
export function alertmanagerAnnotations(a: AlertRecord, def: SliDefinition, dashboardUrl?: string, timeZone = "UTC"): Record<string, string> {
  const causes = (a.details.causes as RankedCause[] | undefined) ?? [];
  const { body } = notificationText(a, a.state === "resolved" ? "resolved" : "fired", def, dashboardUrl, timeZone);
  const annotations: Record<string, string> = {
    summary: `${alertSubjectLine(a, def)}: ${stateWords(a)}`,
    description: body,
    probable_cause: causes[0] ? `${causes[0].layer}: ${causes[0].subject} (${Math.round(causes[0].confidence * 100)}%)` : "unknown",
  };
  if (causes[0]) annotations.evidence = causes.map((c) => `${c.rank}. ${c.layer}: ${c.subject}: ${c.evidence}`).join("\n");
  if (dashboardUrl) annotations.dashboard = dashboardUrl;
  if (a.incidentId != null) annotations.incident_id = String(a.incidentId);
  return annotations;
}

/** Stable identity of a label set: the outbox groups an Alertmanager alert's posts under it. */
export function labelsIdentity(labels: Record<string, string>): string {
  const sorted = Object.keys(labels).sort().map((k) => [k, labels[k]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 20);
}

export interface PlanInput {
  record: AlertRecord;
  prev: AlertRecord | undefined;
  def: SliDefinition;
  /** This round's transition of the alert (fired, worse...): posted at once rather than at the next resend. */
  changed: boolean;
  now: number;
  resendMs: number;
  /** Slack for the rounds' own rhythm: a round a little early for the resend interval still re-posts. */
  toleranceMs: number;
  dashboardUrl?: string;
  timeZone?: string;
}

/**
 * The posts of one round for one alert, and what Alertmanager holds after them. A label set that changed (a
 * page that was a ticket, a new probable cause layer, another incident) is a new alert there: the old one is
 * posted ended first.
 */
export function alertmanagerPlan(p: PlanInput): { posts: AlertmanagerPost[]; posted: PostedToAlertmanager | undefined } {
  const { record: a, def, now } = p;
  const before = p.prev?.details.alertmanager as PostedToAlertmanager | undefined;
  const visible = a.state === "firing" && a.silencedBy === null && a.inhibitedBy === null;
  const posts: AlertmanagerPost[] = [];
  const ended = (labels: Record<string, string>, at: number): AlertmanagerPost => ({
    state: "resolved", labels, annotations: alertmanagerAnnotations(a, def, p.dashboardUrl, p.timeZone), startsAt: a.since, endsAt: at,
    ...(p.dashboardUrl && { generatorURL: p.dashboardUrl }),
  });
  if (!visible) {
    if (before) posts.push(ended(before.labels, a.state === "resolved" ? (a.resolvedAt ?? now) : now));
    return { posts, posted: undefined };
  }
  const labels = alertmanagerLabels(a, def);
  const relabelled = before !== undefined && labelsIdentity(before.labels) !== labelsIdentity(labels);
  if (relabelled) posts.push(ended(before.labels, now));
  if (!before || relabelled || p.changed || now - before.at + p.toleranceMs >= p.resendMs) {
    posts.push({ state: "firing", labels, annotations: alertmanagerAnnotations(a, def, p.dashboardUrl, p.timeZone), startsAt: a.since, ...(p.dashboardUrl && { generatorURL: p.dashboardUrl }) });
    return { posts, posted: { labels, at: now } };
  }
  return { posts, posted: before };
}
