/**
 * The life of one alert, as a pure step function: inactive -> pending (breaching, not yet for long enough) ->
 * firing -> resolved. A missing reading changes nothing: an outage of the data is not a recovery of the service.
 */
export type AlertState = "pending" | "firing" | "resolved";

export interface AlertStatus {
  state: AlertState;
  /** When the current breach began (the episode's start, also its identity). */
  since: number;
  firedAt: number | null;
  resolvedAt: number | null;
  /** While firing: when the readings came back within bounds (a keep-firing delay is running). */
  clearSince?: number | null;
}

export type Transition = "fired" | "resolved" | null;

/**
 * Advances an alert by one evaluation at `now`. `breaching` is undefined when the reading is missing.
 * Returns the new status (undefined = no alert) and the transition to notify, if any.
 */
export function step(
  prev: AlertStatus | undefined,
  breaching: boolean | undefined,
  now: number,
  forSeconds: number,
  /** How long a firing alert must stay clear before it resolves: a burn rate hovering at its factor does not flap. */
  keepFiringSeconds = 0,
): { status: AlertStatus | undefined; transition: Transition } {
  if (breaching === undefined) return { status: prev, transition: null };
  const active = prev && prev.state !== "resolved" ? prev : undefined;
  if (!breaching) {
    if (active?.state === "firing") {
      // A clear time "after" now means the clock was stepped back: the delay starts again now, not in two days.
      const clearSince = active.clearSince != null && active.clearSince <= now ? active.clearSince : now;
      if ((now - clearSince) / 1000 < keepFiringSeconds) return { status: { ...active, clearSince }, transition: null };
      return { status: { ...active, state: "resolved", resolvedAt: clearSince, clearSince: null }, transition: "resolved" };
    }
    return { status: prev?.state === "resolved" ? prev : undefined, transition: null };
  }
  if (active?.state === "firing") return { status: active.clearSince != null ? { ...active, clearSince: null } : active, transition: null };
  // Likewise a pending breach that began "in the future" starts again now.
  const since = active && active.since <= now ? active.since : now;
  if ((now - since) / 1000 >= forSeconds) return { status: { state: "firing", since, firedAt: now, resolvedAt: null }, transition: "fired" };
  return { status: { state: "pending", since, firedAt: null, resolvedAt: null }, transition: null };
}
