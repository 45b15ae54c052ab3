/**
 * A tenant's weekly digest, pure: Odoo's digest style for logistics managers. Service levels met, incidents with
 * MTTD and MTTR, top causes, and each figure beside last week's.
 */
import type { Incident } from "../detect/incidents.ts";
import { incidentLine, summarise, topCauses, type CauseCount, type IncidentLine, type IncidentSummary } from "./incident-figures.ts";
import { serviceLevels, type LedgerTally, type ServiceLevelSummary } from "./service-levels.ts";
import type { Week } from "./week.ts";

/** One row of the digest: a figure this week and last week, and which way is good. */
export interface Kpi {
  key: "service_levels_met" | "incidents" | "pages" | "mttd" | "mttr" | "incidents_with_cause";
  label: string;
  unit: "count" | "seconds";
  better: "lower" | "higher";
  thisWeek: number | null;
  lastWeek: number | null;
  /** "12 of 14": the whole the count is taken of, each week. */
  outOf?: { thisWeek: number; lastWeek: number };
  trend: "better" | "worse" | "same" | null;
}

export interface Digest {
  tenant: string;
  timezone: string;
  weekStart: string;
  weekEnd: string;
  from: string;
  to: string;
  /** False while the week is still running (a week_end of today): its figures are so far. */
  complete: boolean;
  kpis: Kpi[];
  serviceLevels: ServiceLevelSummary;
  incidents: IncidentSummary & { lastWeek: IncidentSummary; list: IncidentLine[] };
  topCauses: CauseCount[];
}

export interface DigestInput {
  tenant: string;
  timezone: string;
  week: Week;
  previous: Week;
  now: number;
  ledger: { thisWeek: readonly LedgerTally[]; lastWeek: readonly LedgerTally[] };
  sloTarget: (sli: string) => number;
  /** Incidents opened in each week. */
  incidents: { thisWeek: readonly Incident[]; lastWeek: readonly Incident[] };
}

function trend(k: Omit<Kpi, "trend">): Kpi["trend"] {
  if (k.thisWeek === null || k.lastWeek === null) return null;
  const now = k.outOf ? (k.outOf.thisWeek ? k.thisWeek / k.outOf.thisWeek : null) : k.thisWeek;
  const before = k.outOf ? (k.outOf.lastWeek ? k.lastWeek / k.outOf.lastWeek : null) : k.lastWeek;
  if (now === null || before === null) return null;
  // Durations within 5% of each other read the same: a minute more over an hour is no trend.
  const same = k.unit === "seconds" ? Math.abs(now - before) <= 0.05 * Math.max(now, before) : now === before;
  if (same) return "same";
  return (now < before) === (k.better === "lower") ? "better" : "worse";
}

const kpi = (k: Omit<Kpi, "trend">): Kpi => ({ ...k, trend: trend(k) });

export function weeklyDigest(input: DigestInput): Digest {
  const { week, previous } = input;
  const levels = serviceLevels(input.ledger.thisWeek, input.ledger.lastWeek, input.sloTarget);
  const lines = input.incidents.thisWeek.map(incidentLine).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  const lastLines = input.incidents.lastWeek.map(incidentLine);
  const now = summarise(lines, Math.min(week.to, input.now));
  const before = summarise(lastLines, previous.to);
  return {
    tenant: input.tenant,
    timezone: input.timezone,
    weekStart: week.weekStart,
    weekEnd: week.weekEnd,
    from: new Date(week.from).toISOString(),
    to: new Date(week.to).toISOString(),
    complete: input.now >= week.to,
    kpis: [
      kpi({ key: "service_levels_met", label: "Service levels met", unit: "count", better: "higher", thisWeek: levels.met, lastWeek: levels.lastWeek.met, outOf: { thisWeek: levels.measured, lastWeek: levels.lastWeek.measured } }),
      kpi({ key: "incidents", label: "Incidents", unit: "count", better: "lower", thisWeek: now.count, lastWeek: before.count }),
      kpi({ key: "pages", label: "Incidents that paged", unit: "count", better: "lower", thisWeek: now.pages, lastWeek: before.pages }),
      kpi({ key: "mttd", label: "Mean time to detect (MTTD)", unit: "seconds", better: "lower", thisWeek: now.meanMttdSeconds, lastWeek: before.meanMttdSeconds }),
      kpi({ key: "mttr", label: "Mean time to resolve (MTTR)", unit: "seconds", better: "lower", thisWeek: now.meanMttrSeconds, lastWeek: before.meanMttrSeconds }),
      kpi({ key: "incidents_with_cause", label: "Incidents with a probable cause", unit: "count", better: "higher", thisWeek: now.withCause, lastWeek: before.withCause, outOf: { thisWeek: now.count, lastWeek: before.count } }),
    ],
    serviceLevels: levels,
    incidents: { ...now, lastWeek: before, list: lines },
    topCauses: topCauses(lines, lastLines),
  };
}
