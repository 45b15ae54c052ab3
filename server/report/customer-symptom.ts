/**
 * The first customer-visible symptom of an incident, pure. "Do we detect before customers do?" needs a moment
 * at which a customer could have noticed: the first breach, within the incident, of a service level a customer
 * lives through.
 */

/**
 * The business SLIs a customer sees, from the catalogue. A customer waits for a parcel: a delivery past its
 * scheduled date and still open (late_open_deliveries, and the oldest ready one past its date) is the earliest
 * moment they can notice; deliveries done late (on-time ratio, average delay) and orders shipping slowly after
 * confirmation are what they live through next. Left out on purpose: quote-to-confirmation (the sales team's
 * pace, before the customer has an order), wave delays and ready backlog (warehouse internals that may still
 * ship on time), carrier labels (a failed label is retried inside the warehouse; the customer sees it only as a
 * late delivery, which is counted), scheduled jobs, job queues and outgoing mail (noticed by a customer only
 * through what they delay, counted above).
 */
export const CUSTOMER_VISIBLE_SLIS: ReadonlySet<string> = new Set([
  "late_open_deliveries",
  "ready_backlog_oldest_age_seconds",
  "on_time_delivery_ratio",
  "delivery_avg_delay_seconds",
  "order_confirm_to_first_ship_p50_seconds",
  "order_confirm_to_first_ship_p95_seconds",
  "order_confirm_to_full_ship_p50_seconds",
  "order_confirm_to_full_ship_p95_seconds",
]);

export interface SymptomReading {
  sli: string;
  at: number;
  value: number;
}

export interface Objective {
  objective: number;
  better: "lower" | "higher";
}

const breaches = (value: number, o: Objective) => (o.better === "lower" ? value > o.objective : value < o.objective);

/**
 * The first breach that begins inside [from, to]: a reading out of objective whose previous reading of the same
 * SLI was within it (or that has no earlier reading). A breach already standing before the incident began is an
 * older problem the customers already had, not this incident's symptom. Readings in any order; those before
 * `from` only say what the state was.
 */
export function firstCustomerBreach(readings: readonly SymptomReading[], objectiveOf: (sli: string) => Objective | undefined, from: number, to: number): { sli: string; at: number } | null {
  const sorted = [...readings].filter((r) => CUSTOMER_VISIBLE_SLIS.has(r.sli) && r.at <= to).sort((a, b) => a.at - b.at);
  const breaching = new Map<string, boolean>();
  let first: { sli: string; at: number } | null = null;
  for (const r of sorted) {
    const o = objectiveOf(r.sli);
    if (!o) continue;
    const now = breaches(r.value, o);
    const before = breaching.get(r.sli) ?? false;
    breaching.set(r.sli, now);
    if (r.at >= from && now && !before && (first === null || r.at < first.at)) first = { sli: r.sli, at: r.at };
  }
  return first;
}

/** What a customer noticed, in a few words: "median 2 min before the first late delivery". */
export function symptomWords(sli: string): string {
  if (sli === "late_open_deliveries" || sli === "ready_backlog_oldest_age_seconds") return "the first late delivery";
  if (sli === "on_time_delivery_ratio" || sli === "delivery_avg_delay_seconds") return "deliveries arriving late";
  return "orders shipping late";
}
