import type { DeliveryFact, LabelEvent, OrderFact, WaveFact } from "./facts.ts";
import { reading, type Reading } from "./sample.ts";
import { inWindow, mean, percentile, ratio, secondsBetween } from "./stats.ts";

/** The window every windowed business SLI is computed over. */
export interface Window {
  now: Date;
  seconds: number;
}

function latencyPair(prefix: string, durations: number[], what: string): Reading[] {
  const why = `no ${what} in the window`;
  return [
    reading(`${prefix}_p50_seconds`, percentile(durations, 0.5), why),
    reading(`${prefix}_p95_seconds`, percentile(durations, 0.95), why),
  ];
}

/**
 * Order latency: each leg is counted in the window in which it ended (confirmed, first shipped, fully shipped).
 */
export function orderLatency(orders: readonly OrderFact[], w: Window): Reading[] {
  const quoteToConfirm: number[] = [];
  const toFirstShip: number[] = [];
  const toFullShip: number[] = [];
  for (const o of orders) {
    if (!o.confirmedAt) continue;
    if (inWindow(o.confirmedAt, w.now, w.seconds)) quoteToConfirm.push(secondsBetween(o.createdAt, o.confirmedAt));
    if (inWindow(o.firstShippedAt, w.now, w.seconds)) toFirstShip.push(secondsBetween(o.confirmedAt, o.firstShippedAt));
    if (inWindow(o.fullyShippedAt, w.now, w.seconds)) toFullShip.push(secondsBetween(o.confirmedAt, o.fullyShippedAt));
  }
  return [
    ...latencyPair("order_quote_to_confirm", quoteToConfirm, "orders confirmed"),
    ...latencyPair("order_confirm_to_first_ship", toFirstShip, "orders first shipped"),
    ...latencyPair("order_confirm_to_full_ship", toFullShip, "orders fully shipped"),
  ];
}

/** A done delivery is on time when done by its deadline, or by its scheduled date when it has no deadline. */
export function isOnTime(d: DeliveryFact): boolean {
  return d.doneAt.getTime() <= (d.deadlineAt ?? d.scheduledAt).getTime();
}

/**
 * Odoo's Inventory KPIs on done outgoing deliveries: On Time %, Avg Delay (date_done - scheduled_date) and
 * Avg Lead Time (creation to validation).
 */
export function deliveryPerformance(deliveries: readonly DeliveryFact[], w: Window): Reading[] {
  const done = deliveries.filter((d) => inWindow(d.doneAt, w.now, w.seconds));
  const why = "no delivery done in the window";
  return [
    reading("on_time_delivery_ratio", ratio(done.filter(isOnTime).length, done.length), why),
    reading("delivery_avg_delay_seconds", mean(done.map((d) => secondsBetween(d.scheduledAt, d.doneAt))), why),
    reading("delivery_avg_lead_time_seconds", mean(done.map((d) => secondsBetween(d.createdAt, d.doneAt))), why),
  ];
}

/** Delay of a done wave (not a batch transfer, as Odoo counts waves): when it was done, past its scheduled date. */
export function waveDelay(waves: readonly WaveFact[], w: Window): Reading {
  const delays = waves
    .filter((b) => b.isWave && b.scheduledAt && inWindow(b.doneAt, w.now, w.seconds))
    .map((b) => secondsBetween(b.scheduledAt!, b.doneAt));
  return reading("wave_delay_p95_seconds", percentile(delays, 0.95), "no wave completed in the window");
}

function groupByCarrier<T>(items: readonly T[], carrierOf: (item: T) => string | null): Map<string, T[]> {
  const byCarrier = new Map<string, T[]>();
  for (const item of items) {
    const carrier = carrierOf(item);
    if (carrier === null) continue;
    byCarrier.set(carrier, [...(byCarrier.get(carrier) ?? []), item]);
  }
  return byCarrier;
}

/** Label failure ratio and p95 latency per carrier, from the addon's label events. */
export function labelOutcomes(events: readonly LabelEvent[], w: Window): Reading[] {
  const recent = events.filter((e) => inWindow(e.at, w.now, w.seconds));
  if (recent.length === 0) {
    const why = "no label attempt in the window";
    return [reading("label_failure_ratio", undefined, why), reading("label_latency_p95_seconds", undefined, why)];
  }
  return [...groupByCarrier(recent, (e) => e.carrier)].flatMap(([carrier, list]) => [
    reading("label_failure_ratio", ratio(list.filter((e) => !e.ok).length, list.length), "", { carrier }),
    reading("label_latency_p95_seconds", percentile(list.map((e) => e.durationSeconds), 0.95), "", { carrier }),
  ]);
}

/**
 * Without the addon, a failed label rolls the validation back and leaves no trace; what remains visible is a
 * delivery done with a label-printing carrier but no tracking reference (for example after a manual retry
 * path or a carrier that answered without one). Latency cannot be known this way.
 */
export function labelOutcomesFromDeliveries(deliveries: readonly DeliveryFact[], w: Window): Reading[] {
  const recent = deliveries.filter((d) => inWindow(d.doneAt, w.now, w.seconds));
  const latency = reading("label_latency_p95_seconds", undefined, "not available: needs the logistics_observability addon to time labels");
  const byCarrier = groupByCarrier(recent, (d) => d.labelCarrier);
  if (byCarrier.size === 0) return [reading("label_failure_ratio", undefined, "no label-printing delivery done in the window"), latency];
  return [
    ...[...byCarrier].map(([carrier, list]) => reading("label_failure_ratio", ratio(list.filter((d) => d.labelMissing).length, list.length), "", { carrier })),
    latency,
  ];
}
