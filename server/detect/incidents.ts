/**
 * Incidents, pure: the alerts of one tenant that overlap in time form one incident, with its timeline, its
 * severity, its ranked causes, MTTD (first abnormal signal -> first notification) and MTTR (first abnormal signal
 * -> resolution). People are told about incidents, not alerts: opened, worse, cause found or changed, resolved.
 */
import { stabilize, type RankedCause } from "./rank-causes.ts";

export type Severity = "page" | "ticket";
export type IncidentTransition = "opened" | "worse" | "cause" | "resolved" | "repeat";

export interface TimelineEntry {
  at: number;
  kind: "abnormal" | "opened" | "moved" | "alert_fired" | "alert_escalated" | "alert_worse" | "alert_resolved" | "cause" | "journey" | "deploy" | "backup" | "silence" | "notified" | "resolved";
  text: string;
}

export interface IncidentAlert {
  /** The alert's fingerprint and episode start: one alert episode. */
  ref: string;
  fingerprint: string;
  sli: string;
  title: string;
  labels: Record<string, string>;
  kind: string;
  severity: Severity;
  state: "pending" | "firing" | "resolved";
  since: number;
  value: number | null;
  objective: number;
  muted: boolean;
  /** Its value against its objective, its budget: the lines a person checks. */
  facts?: string[];
}

export interface Incident {
  id: number | null;
  /** The tenant, or "tenant/monitoring" for what stops us from seeing it (delivered by another path). */
  scope: string;
  tenant: string;
  state: "open" | "resolved";
  severity: Severity;
  title: string;
  openedAt: number;
  resolvedAt: number | null;
  firstAbnormalAt: number;
  firstNotifiedAt: number | null;
  alerts: IncidentAlert[];
  causes: RankedCause[];
  timeline: TimelineEntry[];
  /** What the people told know: the severity and first cause of the last notification. */
  notified: { severity: Severity | null; causeKey: string | null; at: number | null; repeats: number };
}

/** What one round says about one alert of the incident's scope. */
export interface AlertUpdate {
  alert: IncidentAlert;
  transition: "fired" | "resolved" | "escalated" | "worse" | null;
  /** When its own signal first left its normal (its evidence onset), else its start. */
  abnormalSince: number;
  causes: RankedCause[];
}

const RANK: Record<Severity, number> = { ticket: 1, page: 2 };
const MAX_TIMELINE = 200;

const described = (a: IncidentAlert) => {
  const labels = Object.values(a.labels).join(", ");
  return `${a.title}${labels ? ` (${labels})` : ""}`;
};

function push(i: Incident, e: TimelineEntry): void {
  i.timeline.push(e);
  i.timeline.sort((a, b) => a.at - b.at);
  if (i.timeline.length > MAX_TIMELINE) i.timeline.splice(1, i.timeline.length - MAX_TIMELINE);
}

/** Opens an incident for a scope from its first firing alert. */
function open(scope: string, tenant: string, u: AlertUpdate, now: number): Incident {
  const firstAbnormalAt = firstAbnormal(u);
  return {
    id: null, scope, tenant, state: "open", severity: u.alert.severity, title: described(u.alert), openedAt: now, resolvedAt: null,
    firstAbnormalAt, firstNotifiedAt: null, alerts: [], causes: [], notified: { severity: null, causeKey: null, at: null, repeats: 0 },
    timeline: [{ at: firstAbnormalAt, kind: "abnormal", text: `${described(u.alert)} left its normal` }, { at: now, kind: "opened", text: "incident opened" }],
  };
}

/**
 * Applies one round of alert updates to the open incident of a scope (or opens one). Returns the incident, or
 * undefined when nothing fires and none was open. Pending alerts never open an incident.
 */
export function advance(scope: string, tenant: string, current: Incident | undefined, updates: readonly AlertUpdate[], now: number): Incident | undefined {
  let i = current && current.state === "open" ? structuredClone(current) : undefined;
  for (const u of updates) {
    if (u.alert.state !== "firing" && !i?.alerts.some((a) => a.ref === u.alert.ref)) continue;
    if (!i) {
      if (u.alert.state !== "firing") continue;
      i = open(scope, tenant, u, now);
    }
    const at = i.alerts.findIndex((a) => a.ref === u.alert.ref);
    if (at >= 0) i.alerts[at] = u.alert;
    else i.alerts.push(u.alert);
    if (u.alert.state === "firing") i.firstAbnormalAt = Math.min(i.firstAbnormalAt, firstAbnormal(u));
    if (u.transition === "fired" || (at < 0 && u.alert.state === "firing")) {
      push(i, { at: now, kind: "alert_fired", text: `${u.alert.severity} alert: ${described(u.alert)}` });
      // A journey says where the user was stopped and what they saw: the line a person reads first.
      const stopped = u.alert.facts?.find((f) => f.startsWith("Journey "));
      if (stopped) push(i, { at: now, kind: "journey", text: stopped.replace(/\.$/, "") });
    }
    else if (u.transition === "escalated") push(i, { at: now, kind: "alert_escalated", text: `${described(u.alert)} escalated to ${u.alert.severity}` });
    else if (u.transition === "worse") push(i, { at: now, kind: "alert_worse", text: `${described(u.alert)} got worse` });
    else if (u.transition === "resolved") push(i, { at: now, kind: "alert_resolved", text: `${described(u.alert)} back within its objective` });
  }
  if (!i) return undefined;
  i.timeline[0] = { ...i.timeline[0]!, at: Math.min(i.timeline[0]!.at, i.firstAbnormalAt) };
  const firing = i.alerts.filter((a) => a.state === "firing");
  for (const a of firing) if (RANK[a.severity] > RANK[i.severity]) i.severity = a.severity;
  const primary = primaryOf(i, updates);
  if (primary) {
    const next = stabilize(i.causes, primary.causes);
    if ((next[0]?.key ?? null) !== (i.causes[0]?.key ?? null)) {
      push(i, { at: now, kind: "cause", text: next[0] ? `probable cause: ${next[0].subject} (${next[0].evidence})` : "probable cause unknown" });
    }
    i.causes = next;
  }
  if (!firing.length) {
    i.state = "resolved";
    i.resolvedAt = now;
    push(i, { at: now, kind: "resolved", text: "every alert back within its objective" });
  }
  return i;
}

/** The symptom's own onset, or its first cause's when that began earlier (a lock pile-up before late waves). */
const firstAbnormal = (u: AlertUpdate) => Math.min(u.abnormalSince, u.causes[0]?.onset ?? Infinity);

/**
 * The update of the alert whose causes are the incident's: the most severe firing one, the earliest among equals,
 * chosen among all the incident's alerts; undefined when this round says nothing of it (another source's run),
 * so that the causes do not follow whichever alert happened to be judged last.
 */
function primaryOf(i: Incident, updates: readonly AlertUpdate[]): AlertUpdate | undefined {
  const [primary] = i.alerts.filter((a) => a.state === "firing").sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.since - b.since || a.ref.localeCompare(b.ref));
  return primary && updates.find((u) => u.alert.ref === primary.ref);
}

/**
 * What to tell people after a round: opened (first notification), worse (severity rose, or an alert got worse),
 * cause (the first cause changed since the last notification), resolved, or repeat. Muted incidents (every firing
 * alert silenced or inhibited) wait; what they did not say is said once they are unmuted.
 */
export function decide(prev: Incident | undefined, next: Incident, updates: readonly AlertUpdate[], now: number, repeatMs: number): IncidentTransition | null {
  const told = next.notified.at !== null;
  if (next.state === "resolved") return told && prev?.state === "open" ? "resolved" : null;
  const audible = next.alerts.some((a) => a.state === "firing" && !a.muted);
  if (!audible) return null;
  if (!told) return "opened";
  if (RANK[next.severity] > RANK[next.notified.severity ?? "ticket"]) return "worse";
  if (updates.some((u) => u.transition === "worse" || u.transition === "escalated" || (u.transition === "fired" && u.alert.severity === "page" && next.notified.severity !== "page"))) return "worse";
  // Alerts nothing explains share an incident only because they overlap: each new one is news of its own.
  // A series that fires again (it flaps around its objective) is not a new one.
  const known = new Set(prev?.alerts.map((a) => a.fingerprint) ?? []);
  if (!next.causes.length && updates.some((u) => u.transition === "fired" && !u.alert.muted && !known.has(u.alert.fingerprint))) return "worse";
  if ((next.causes[0]?.key ?? null) !== next.notified.causeKey && next.causes[0]) return "cause";
  if (repeatMs > 0 && now - (next.notified.at ?? now) >= repeatMs) return "repeat";
  return null;
}

/** Records that people were told. */
export function told(i: Incident, transition: IncidentTransition, now: number): void {
  i.firstNotifiedAt ??= now;
  i.notified = {
    severity: i.severity,
    causeKey: i.causes[0]?.key ?? null,
    at: transition === "resolved" ? i.notified.at : now,
    repeats: transition === "repeat" ? i.notified.repeats + 1 : i.notified.repeats,
  };
  push(i, { at: now, kind: "notified", text: `notified: ${transition}` });
}

/** First abnormal signal to first notification, and to resolution. */
export function mttd(i: Incident): number | null {
  return i.firstNotifiedAt === null ? null : Math.max(0, (i.firstNotifiedAt - i.firstAbnormalAt) / 1000);
}

export function mttr(i: Incident): number | null {
  return i.resolvedAt === null ? null : Math.max(0, (i.resolvedAt - i.firstAbnormalAt) / 1000);
}
