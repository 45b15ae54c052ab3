/**
 * Incidents as a report counts them, pure: each with its time to detect and to resolve and the layer of its
 * probable cause; a set summarised as a count, pages, mean MTTD and MTTR, the share with a cause, and the causes
 * ranked by layer.
 */
import { mttd, mttr, type Incident } from "../detect/incidents.ts";

export interface IncidentLine {
  id: number;
  title: string;
  severity: Incident["severity"];
  state: Incident["state"];
  openedAt: string;
  resolvedAt: string | null;
  mttdSeconds: number | null;
  mttrSeconds: number | null;
  /** The first probable cause's layer, or null: "cause unknown". */
  causeLayer: string | null;
  cause: string | null;
}

export interface IncidentSummary {
  count: number;
  pages: number;
  /** Still open at the end of the period. */
  open: number;
  meanMttdSeconds: number | null;
  meanMttrSeconds: number | null;
  withCause: number;
}

export interface CauseCount {
  layer: string;
  count: number;
  lastWeek: number;
}

/**
 * What a report counts as an incident: not the monitor's own failures (scope "tenant|monitoring:source", reported
 * by other means), and not an incident whose every alert moved to the incident of their cause (it was the same
 * incident, counted there).
 */
export function isReportable(i: Pick<Incident, "scope" | "alerts">): boolean {
  return !i.scope.includes("|monitoring:") && i.alerts.length > 0;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function incidentLine(i: Incident): IncidentLine {
  const cause = i.causes[0];
  return {
    id: i.id ?? 0,
    title: i.title,
    severity: i.severity,
    state: i.state,
    openedAt: iso(i.openedAt)!,
    resolvedAt: iso(i.resolvedAt),
    mttdSeconds: mttd(i),
    mttrSeconds: mttr(i),
    causeLayer: cause?.layer ?? null,
    cause: cause ? `${cause.subject} (${cause.evidence})` : null,
  };
}

function meanOf(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

export function medianOf(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!known.length) return null;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
}

/** An incident resolved after the period ended was open at its end, and its MTTR is not yet known then. */
export function summarise(lines: readonly IncidentLine[], periodEnd: number): IncidentSummary {
  const resolvedBy = (l: IncidentLine) => l.resolvedAt !== null && Date.parse(l.resolvedAt) <= periodEnd;
  return {
    count: lines.length,
    pages: lines.filter((l) => l.severity === "page").length,
    open: lines.filter((l) => !resolvedBy(l)).length,
    meanMttdSeconds: meanOf(lines.map((l) => l.mttdSeconds)),
    meanMttrSeconds: meanOf(lines.map((l) => (resolvedBy(l) ? l.mttrSeconds : null))),
    withCause: lines.filter((l) => l.causeLayer !== null).length,
  };
}

/** Incidents per first-cause layer ("unknown" without one), most frequent first, with last week's count beside. */
export function topCauses(thisWeek: readonly IncidentLine[], lastWeek: readonly IncidentLine[]): CauseCount[] {
  const tally = (lines: readonly IncidentLine[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l.causeLayer ?? "unknown", (m.get(l.causeLayer ?? "unknown") ?? 0) + 1);
    return m;
  };
  const now = tally(thisWeek);
  const before = tally(lastWeek);
  return [...now].map(([layer, count]) => ({ layer, count, lastWeek: before.get(layer) ?? 0 })).sort((a, b) => b.count - a.count || a.layer.localeCompare(b.layer));
}
