/**
 * Pure analysis of PostgreSQL statistics: tenant attribution, blocking chains, counter rates and shares.
 */

/** Which tenant a database belongs to; databases outside the config are "other", so labels stay bounded. */
export function tenantOfDatabase(datname: string, tenantByDb: ReadonlyMap<string, string>): string {
  return tenantByDb.get(datname) ?? (datname === "postgres" ? "system" : "other");
}

export interface LockWait {
  pid: number;
  datname: string;
  blockedBy: number[];
  waitSeconds: number;
}

export interface BlockingSummary {
  waiting: number;
  oldestWaitSeconds: number;
  /** Distinct sessions that block at least one other. */
  blockers: number;
  /** Blockers that are not waiting themselves: the heads of the chains, where to act. */
  heads: number[];
  /** Longest chain of waits (1 = a session waits on one that is not waiting). */
  depth: number;
}

/** Summarises lock waits into chains: who blocks, who heads each chain, and how deep the longest chain is. */
export function blockingChains(waits: readonly LockWait[]): BlockingSummary {
  const byPid = new Map(waits.map((w) => [w.pid, w]));
  const blockers = new Set(waits.flatMap((w) => w.blockedBy));
  const memo = new Map<number, number>();
  const depthOf = (pid: number, seen: Set<number>): number => {
    const w = byPid.get(pid);
    if (!w || !w.blockedBy.length) return 0;
    if (memo.has(pid)) return memo.get(pid)!;
    if (seen.has(pid)) return 0; // a deadlock cycle: PostgreSQL will break it, do not loop
    seen.add(pid);
    const d = 1 + Math.max(...w.blockedBy.map((b) => depthOf(b, seen)));
    memo.set(pid, d);
    return d;
  };
  return {
    waiting: waits.length,
    oldestWaitSeconds: waits.reduce((m, w) => Math.max(m, w.waitSeconds), 0),
    blockers: blockers.size,
    heads: [...blockers].filter((pid) => !byPid.has(pid)).sort((a, b) => a - b),
    depth: waits.reduce((m, w) => Math.max(m, depthOf(w.pid, new Set())), 0),
  };
}

/**
 * Per-second rate of a cumulative counter between two readings. Undefined on the first reading and when the
 * counter went down (statistics reset, server restart): a negative rate or a 0 would both be made up.
 */
export function counterRate(previous: number | undefined, current: number, elapsedSeconds: number): number | undefined {
  if (previous === undefined || elapsedSeconds <= 0 || current < previous) return undefined;
  return (current - previous) / elapsedSeconds;
}

/** Each key's share of the total; empty when the total is 0 (no load is nobody's share). */
export function shares(amounts: ReadonlyMap<string, number>): Map<string, number> {
  const total = [...amounts.values()].reduce((s, v) => s + v, 0);
  return total > 0 ? new Map([...amounts].map(([k, v]) => [k, v / total])) : new Map();
}

/** Sums values into a map by key. */
export function sumBy<T>(items: readonly T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + value(item));
  return out;
}

/** Connection states reduced to a bounded set. */
export function connectionState(state: string): "active" | "idle" | "idle_in_transaction" | "other" {
  if (state === "active" || state === "idle") return state;
  if (state.startsWith("idle in transaction")) return "idle_in_transaction";
  return "other";
}
