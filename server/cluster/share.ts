import { createHash } from "node:crypto";

/**
 * Which instance should hold a resource (a tenant, or the shared "global" work): rendezvous hashing over the
 * instances alive. Every instance computes the same answer from the same list, tenants spread evenly, and when an
 * instance comes or goes only its own share moves. Pure.
 */
export function preferredHolder(resource: string, live: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const instance of live) {
    const weight = createHash("sha256").update(`${resource}\u0000${instance}`).digest().readBigUInt64BE(0);
    if (weight > bestWeight || (weight === bestWeight && instance < best!)) [best, bestWeight] = [instance, weight];
  }
  return best;
}

export interface LeasePlan {
  /** Resources to take or renew: those this instance should hold. */
  claim: string[];
  /** Resources held here that another live instance should hold now (one joined): let it take them. */
  release: string[];
}

/**
 * One planning round of instance `me`: renew what it should hold, take what it should hold and is free (never
 * held, or its holder gone), release what a live instance should hold instead. A resource held by a live
 * instance that should not hold it stays there until that instance releases it: never two holders.
 */
export function planLeases(resources: readonly string[], holders: ReadonlyMap<string, string>, me: string, live: readonly string[]): LeasePlan {
  const claim: string[] = [];
  const release: string[] = [];
  for (const r of resources) {
    const should = preferredHolder(r, live) === me;
    const holder = holders.get(r);
    if (should) claim.push(r);
    else if (holder === me) release.push(r);
  }
  return { claim, release };
}
