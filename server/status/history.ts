/**
 * A component's last 90 days, pure: each UTC day's worst state from the incidents that touched it (a page is an
 * outage, a ticket a degradation, none operational, before the first reading no data), and its uptime: the share of
 * the observed time no page was open on it.
 */
import { componentDefinition, type ComponentId } from "./components.ts";
import { alertsOn, type StatusIncident } from "./state.ts";

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

export type DayState = "operational" | "degraded" | "outage" | "no_data";

/** An incident's time on one component, with the worst severity of its alerts there. */
export interface Span {
  severity: "page" | "ticket";
  from: number;
  to: number;
}

export interface ComponentHistory {
  /** The first day of `days`, YYYY-MM-DD (UTC). */
  firstDay: string;
  /** Oldest first; the last is today, so far. */
  days: DayState[];
  /** Of the observed part of the window, the share without a page on the component; null before any data. */
  uptime: number | null;
}

/**
 * The incidents' spans on a component; an open incident lasts until now. Odoo unreachable (an incident on its
 * sampling) is an outage of every component read from Odoo, whatever its severity, as it is in the state now.
 */
export function spansOn(component: ComponentId, incidents: readonly StatusIncident[], now: number): Span[] {
  const fromOdoo = componentDefinition(component).fromOdoo;
  return incidents.flatMap((i) => {
    const alerts = alertsOn(component, i);
    const unreachable = fromOdoo && alertsOn("odoo", i).length > 0;
    if (!alerts.length && !unreachable) return [];
    return [{ severity: unreachable || alerts.some((a) => a.severity === "page") ? "page" : "ticket", from: i.openedAt, to: i.resolvedAt ?? now }];
  });
}

export function componentHistory(spans: readonly Span[], firstDataAt: number | null, now: number, days = HISTORY_DAYS): ComponentHistory {
  const firstStart = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const states = Array.from({ length: days }, (_, i): DayState => {
    const start = firstStart + i * DAY_MS;
    const end = Math.min(start + DAY_MS, now);
    if (firstDataAt === null || end <= firstDataAt) return "no_data";
    const touching = spans.filter((s) => s.from < end && s.to >= start);
    if (touching.some((s) => s.severity === "page")) return "outage";
    return touching.length ? "degraded" : "operational";
  });
  return { firstDay: new Date(firstStart).toISOString().slice(0, 10), days: states, uptime: uptime(spans, firstDataAt, Math.max(firstStart, firstDataAt ?? now), now) };
}

/** 1 minus the pages' union over [from, now] as a share of it. */
function uptime(spans: readonly Span[], firstDataAt: number | null, from: number, now: number): number | null {
  if (firstDataAt === null || now <= from) return null;
  const pages = spans
    .filter((s) => s.severity === "page")
    .map((s) => [Math.max(s.from, from), Math.min(s.to, now)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let down = 0;
  let reach = from;
  for (const [a, b] of pages) {
    if (b <= reach) continue;
    down += b - Math.max(a, reach);
    reach = b;
  }
  return 1 - down / (now - from);
}
