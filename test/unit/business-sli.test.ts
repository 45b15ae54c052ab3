import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deliveryPerformance, isOnTime, labelOutcomes, labelOutcomesFromDeliveries, orderLatency, waveDelay } from "../../server/sli/business.ts";
import type { DeliveryFact, OrderFact } from "../../server/sli/facts.ts";
import type { Reading } from "../../server/sli/sample.ts";

const now = new Date("2026-11-29T12:00:00Z");
const w = { now, seconds: 86_400 };
const h = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000);
const byId = (readings: Reading[]) => new Map(readings.map((r) => [r.sli + (r.labels ? JSON.stringify(r.labels) : ""), r]));

function order(id: number, created: number, confirmed: number | null, first: number | null = null, full: number | null = null): OrderFact {
  return { orderId: id, createdAt: h(created), confirmedAt: confirmed === null ? null : h(confirmed), firstShippedAt: first === null ? null : h(first), fullyShippedAt: full === null ? null : h(full) };
}

function delivery(id: number, o: Partial<DeliveryFact> & { done: number; scheduled: number }): DeliveryFact {
  return { pickingId: id, createdAt: o.createdAt ?? h(o.scheduled + 1), scheduledAt: h(o.scheduled), deadlineAt: o.deadlineAt ?? null, doneAt: h(o.done), labelCarrier: o.labelCarrier ?? null, labelMissing: o.labelMissing ?? false };
}

describe("orderLatency", () => {
  test("each leg counts in the window where it ended", () => {
    const r = byId(orderLatency([order(1, 30, 20, 10, 5), order(2, 10, 8, 4, 2), order(3, 5, null)], w));
    // quote->confirm: only order 2 was confirmed within 24 h (2 h); order 1 was confirmed 20 h ago: 10 h.
    assert.equal(r.get("order_quote_to_confirm_p50_seconds")!.value, (2 * 3600 + 10 * 3600) / 2);
    assert.equal(r.get("order_confirm_to_first_ship_p50_seconds")!.value, (10 * 3600 + 4 * 3600) / 2);
    assert.equal(r.get("order_confirm_to_full_ship_p95_seconds")!.value, 6 * 3600 + (15 * 3600 - 6 * 3600) * 0.95);
  });
  test("no confirmed order in the window: every leg missing with a reason, never 0", () => {
    for (const reading of orderLatency([order(1, 50, 40, 30, 30)], w)) {
      assert.equal(reading.value, undefined, reading.sli);
      assert.match(reading.missing!, /in the window/);
    }
  });
});

describe("deliveryPerformance (Odoo's Inventory KPIs)", () => {
  const cases: Array<[string, DeliveryFact, boolean]> = [
    ["done before its deadline", delivery(1, { done: 2, scheduled: 1, deadlineAt: h(0) }), true],
    ["done after its deadline", delivery(2, { done: 2, scheduled: 5, deadlineAt: h(3) }), false],
    ["no deadline: judged against the scheduled date", delivery(3, { done: 1, scheduled: 2 }), false],
    ["no deadline, done early", delivery(4, { done: 3, scheduled: 1 }), true],
  ];
  for (const [name, d, onTime] of cases) test(`on time: ${name}`, () => assert.equal(isOnTime(d), onTime));

  test("ratio, average delay and lead time over done deliveries in the window", () => {
    const ds = [delivery(1, { done: 2, scheduled: 3, createdAt: h(10) }), delivery(2, { done: 1, scheduled: 3, createdAt: h(5) }), delivery(3, { done: 30, scheduled: 31 })];
    const r = byId(deliveryPerformance(ds, w));
    assert.equal(r.get("on_time_delivery_ratio")!.value, 0);
    assert.equal(r.get("delivery_avg_delay_seconds")!.value, (1 + 2) / 2 * 3600);
    assert.equal(r.get("delivery_avg_lead_time_seconds")!.value, (8 + 4) / 2 * 3600);
  });
  test("no delivery done in the window is missing, not 100% on time", () => {
    assert.equal(byId(deliveryPerformance([], w)).get("on_time_delivery_ratio")!.missing, "no delivery done in the window");
  });
});

describe("waveDelay", () => {
  test("p95 of last picking done past the batch's scheduled date", () => {
    const waves = [1, 2, 3].map((i) => ({ batchId: i, isWave: true, scheduledAt: h(10), doneAt: h(10 - i) }));
    assert.equal(waveDelay(waves, w).value, 3600 * (2 + 0.9));
  });
  test("batches without a scheduled date are left out", () => {
    assert.equal(waveDelay([{ batchId: 1, isWave: false, scheduledAt: null, doneAt: h(1) }], w).missing, "no wave completed in the window");
    assert.equal(waveDelay([{ batchId: 2, isWave: false, scheduledAt: h(0), doneAt: h(1) }], w).missing, "no wave completed in the window", "a batch transfer is not a wave, as Odoo counts them");
  });
});

describe("labels", () => {
  test("per carrier failure ratio and p95 latency from the addon's events", () => {
    const events = [
      { eventId: 1, carrier: "ups", at: h(1), durationSeconds: 1, ok: true },
      { eventId: 2, carrier: "ups", at: h(2), durationSeconds: 3, ok: false },
      { eventId: 3, carrier: "dhl", at: h(3), durationSeconds: 2, ok: true },
      { eventId: 4, carrier: "dhl", at: h(30), durationSeconds: 9, ok: false },
    ];
    const r = byId(labelOutcomes(events, w));
    assert.equal(r.get('label_failure_ratio{"carrier":"ups"}')!.value, 0.5);
    assert.equal(r.get('label_failure_ratio{"carrier":"dhl"}')!.value, 0);
    assert.ok(Math.abs(r.get('label_latency_p95_seconds{"carrier":"ups"}')!.value! - 2.9) < 1e-9);
  });
  test("fallback without the addon: done label deliveries lacking a tracking ref; latency not available", () => {
    const ds = [
      delivery(1, { done: 1, scheduled: 2, labelCarrier: "Parcel", labelMissing: true }),
      delivery(2, { done: 1, scheduled: 2, labelCarrier: "Parcel" }),
      delivery(3, { done: 1, scheduled: 2, labelCarrier: null }),
    ];
    const r = byId(labelOutcomesFromDeliveries(ds, w));
    assert.equal(r.get('label_failure_ratio{"carrier":"Parcel"}')!.value, 0.5);
    assert.match(r.get("label_latency_p95_seconds")!.missing!, /not available: needs the logistics_observability addon/);
  });
});
