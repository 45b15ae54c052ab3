import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { planLeases } from "../cluster/share.ts";
import type { Logger } from "../log/logger.ts";
import type { SloTracker } from "../slo/tracker.ts";
import type { Store } from "../store/store.ts";

/** What an instance samples and judges: its tenants' leases, and "global" for the shared collectors and housekeeping. */
export const GLOBAL = "global";
export const tenantResource = (tenant: string) => (tenant === GLOBAL ? GLOBAL : `tenant:${tenant}`);

export interface Cluster {
  readonly instance: string;
  owns(resource: string): boolean;
  /** When (performance.now()) this instance took the lease it holds, undefined when it holds none. */
  heldSince(resource: string): number | undefined;
  /** Resources held here, sorted. */
  held(): string[];
  stop(): Promise<void>;
}

/**
 * Several backends on one PostgreSQL store share the tenants through leases: each instance beats every quarter of
 * a lease, renews what it holds and takes what it should hold (server/cluster/share.ts). A lease lasts three
 * quarters of a sampling interval, so a tenant of an instance killed with -9 is taken within about one interval and
 * sampled from the next cycle on: at most two cycles unsampled. A lease taken during a cycle counts from the next
 * one (its previous holder may have sampled it in this one), and an instance whose rounds stalled samples nothing
 * until one has renewed its leases: never two samples of a tenant in one cycle. The embedded store (one process)
 * holds all.
 *
 * While the store cannot be reached an instance keeps what it held: it goes on sampling (the runner keeps the runs
 * until the store is back) rather than leave its tenants unsampled.
 */
export async function startCluster(store: Store, resources: readonly string[], intervalMs: number, log: Logger, onGained: (resources: string[]) => Promise<void>): Promise<Cluster> {
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  if (store.kind !== "postgres") {
    const all = new Set(resources);
    return { instance, owns: (r) => all.has(r), heldSince: (r) => (all.has(r) ? 0 : undefined), held: () => [...all].sort(), stop: async () => {} };
  }
  const leases = store.leases;
  const ttlMs = Math.max(4_000, Math.round(intervalMs * 0.75));
  let owned = new Set<string>();
  const since = new Map<string, number>();
  let failing = false;
  let busy = false;
  // A lease is good until ttl after the statement that renewed it was sent (the store stamps it later, never
  // earlier). Past that, a stalled or slow instance may have lost it to another without knowing: it samples nothing
  // until a round has renewed it. One whose rounds fail (the store unreachable) keeps what it held: nobody who
  // cannot reach the store can take it either, and the runner keeps its runs until the store is back.
  let renewedAt = -Infinity;
  const fresh = () => failing || performance.now() < renewedAt + ttlMs * 0.8;
  const round = async () => {
    if (busy) return;
    busy = true;
    try {
      const live = await leases.beat(instance, ttlMs);
      const plan = planLeases(resources, await leases.holders(), instance, live);
      await leases.release(plan.release, instance);
      const sentAt = performance.now();
      const now = await leases.acquire(plan.claim, instance, ttlMs);
      renewedAt = sentAt;
      const gained = [...now].filter((r) => !owned.has(r));
      const lost = [...owned].filter((r) => !now.has(r));
      for (const r of gained) since.set(r, performance.now());
      for (const r of lost) since.delete(r);
      owned = now;
      if (failing) log.info({ instance }, "cluster: leases renewed again");
      failing = false;
      if (gained.length || lost.length) log.info({ instance, instances: live.length, holds: now.size, gained: gained.length, lost: lost.length }, "cluster: leases changed");
      if (gained.length) await onGained(gained);
    } catch (err) {
      if (!failing) log.error({ instance, err: String(err) }, "cluster: leases cannot be renewed; sampling goes on with the tenants held");
      failing = true;
    } finally {
      busy = false;
    }
  };
  await round();
  const timer = setInterval(() => void round(), Math.max(1_000, Math.round(ttlMs / 4)));
  return {
    instance,
    owns: (r) => owned.has(r) && fresh(),
    heldSince: (r) => (fresh() ? since.get(r) : undefined),
    held: () => [...owned].sort(),
    async stop() {
      clearInterval(timer);
      await leases.leave(instance).catch(() => {});
    },
  };
}

/**
 * The ledgers of the tenants another backend holds, reloaded from the store before an API answer, at most every
 * 15 s per tenant (all of them at most every minute): this instance has not judged them since it started.
 */
export function freshenLedgers(slo: SloTracker, owns: (tenant: string) => boolean, all: () => string[]): (tenant: string | undefined) => Promise<void> {
  const loadedAt = new Map<string, number>();
  let allAt = 0;
  const one = async (tenant: string, maxAgeMs: number) => {
    if (owns(tenant) || Date.now() - (loadedAt.get(tenant) ?? 0) < maxAgeMs) return;
    loadedAt.set(tenant, Date.now());
    await slo.restoreTenant(tenant, new Date());
  };
  return async (tenant) => {
    if (tenant !== undefined) return one(tenant, 15_000);
    if (Date.now() - allAt < 60_000) return;
    allAt = Date.now();
    for (const t of all()) await one(t, 60_000);
  };
}
