/**
 * Service levels of a week from the SLO ledger's hourly rollups, pure: the share of sampled time each business
 * service level met its objective, against its SLO target, this week and last. Series of one SLI (one per
 * carrier) are pooled: "carrier labels" met their objective for the share of carrier-hours that did.
 */
import { sliDefinition } from "../sli/catalog.ts";

/** Sampled and breaching readings of one SLI over a period (sums of the hourly buckets). */
export interface LedgerTally {
  sli: string;
  known: number;
  bad: number;
}

export interface ServiceLevel {
  sli: string;
  title: string;
  /** The SLO: the share of time it must meet its objective. */
  target: number;
  /** Share of this week's sampled time within objective; null when it was not sampled. */
  share: number | null;
  lastWeekShare: number | null;
  met: boolean | null;
  metLastWeek: boolean | null;
}

export interface ServiceLevelSummary {
  /** SLIs sampled this week, and how many met their SLO. */
  measured: number;
  met: number;
  lastWeek: { measured: number; met: number };
  /** Worst first (lowest share against target), then by title: a manager reads the misses first. */
  slis: ServiceLevel[];
}

const shareOf = (t: LedgerTally | undefined) => (t && t.known > 0 ? 1 - t.bad / t.known : null);

export function serviceLevels(thisWeek: readonly LedgerTally[], lastWeek: readonly LedgerTally[], targetOf: (sli: string) => number): ServiceLevelSummary {
  const now = new Map(thisWeek.map((t) => [t.sli, t]));
  const before = new Map(lastWeek.map((t) => [t.sli, t]));
  const ids = [...new Set([...now.keys(), ...before.keys()])].filter((id) => sliDefinition(id));
  const slis = ids.map((sli): ServiceLevel => {
    const target = targetOf(sli);
    const share = shareOf(now.get(sli));
    const lastWeekShare = shareOf(before.get(sli));
    return {
      sli,
      title: sliDefinition(sli)!.title,
      target,
      share,
      lastWeekShare,
      met: share === null ? null : share >= target,
      metLastWeek: lastWeekShare === null ? null : lastWeekShare >= target,
    };
  });
  slis.sort((a, b) => (a.share ?? 2) - a.target - ((b.share ?? 2) - b.target) || a.title.localeCompare(b.title));
  const count = (pick: (s: ServiceLevel) => boolean | null) => ({
    measured: slis.filter((s) => pick(s) !== null).length,
    met: slis.filter((s) => pick(s) === true).length,
  });
  return { ...count((s) => s.met), lastWeek: count((s) => s.metLastWeek), slis };
}
