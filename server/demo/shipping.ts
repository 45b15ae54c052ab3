import { odooStamp, type Rec, type Vals } from "./database.ts";
import type { JobQueue } from "./queue-jobs.ts";
import type { Mailer } from "./mail.ts";
import { DAY, HOUR, MINUTE, SECOND, type Process, type Simulation } from "./simulation.ts";

interface CarrierSpec {
  name: string;
  delivery_type: string;
  integration_level: "rate" | "rate_and_ship";
  active: boolean;
  /** Share of deliveries shipped with this carrier. */
  share: number;
  /** Probability that a label request fails (the validation is then rolled back and retried). */
  labelFailure: number;
  tracking: (n: () => number) => string;
}

const digits = (n: () => number, k: number) => Array.from({ length: k }, () => Math.floor(n() * 10)).join("");

/** Customer lead time of the demo products (sale_delay 0.25 day). */
const CUSTOMER_LEAD = 6 * HOUR;

/** Fixed-price and rule-based carriers only rate (no label); the integrated ones print labels. DHL is the flaky one. */
const CARRIERS: readonly CarrierSpec[] = [
  { name: "Standard delivery", delivery_type: "fixed", integration_level: "rate", active: true, share: 0.15, labelFailure: 0, tracking: () => "" },
  { name: "Local courier", delivery_type: "base_on_rule", integration_level: "rate", active: true, share: 0.1, labelFailure: 0, tracking: () => "" },
  { name: "UPS Standard", delivery_type: "ups_rest", integration_level: "rate_and_ship", active: true, share: 0.25, labelFailure: 0.002, tracking: (n) => `1Z999AA1${digits(n, 10)}` },
  { name: "DHL Express", delivery_type: "dhl_rest", integration_level: "rate_and_ship", active: true, share: 0.35, labelFailure: 0.03, tracking: (n) => digits(n, 10) },
  { name: "bpost", delivery_type: "bpost", integration_level: "rate_and_ship", active: true, share: 0.15, labelFailure: 0.002, tracking: (n) => `CD${digits(n, 9)}BE` },
  { name: "Legacy freight", delivery_type: "fixed", integration_level: "rate", active: false, share: 0, labelFailure: 0, tracking: () => "" },
];

/**
 * An outage of a carrier's label API: from `from` to `to` its label requests fail with probability `failure`.
 * The demo places one around the moment it starts, so that a fresh `npm start` shows a label alert fire and,
 * a few hours later, resolve.
 */
export interface LabelIncident {
  carrier: string;
  from: number;
  to: number;
  failure: number;
}

/** Deliveries that wait for stock (state confirmed) instead of being reserved at once. */
const STUCK_RATIO = 0.04;
const WAVE_EVERY = 2 * HOUR;
const WAVE_MAX_PICKINGS = 60;
/** Waves whose picking drags on past their scheduled date (a short-staffed shift). */
const SLOW_WAVE_RATIO = 0.12;
const PARTIAL_RATIO = 0.06;
const LABEL_RETRY_AFTER = 30 * MINUTE;

/**
 * The warehouse's outgoing flow. Each confirmed order gets a delivery (scheduled_date = confirmation time, a
 * deadline when the order has a commitment date). Reserved deliveries are grouped into a wave every two hours
 * (is_wave, scheduled_date = creation + 1 h) and validated 10-55 minutes later, or 65-200 minutes in a slow wave.
 * Validating a delivery of an integrated carrier requests a label (one logistics.label.event, ~1.5 s); a failed
 * request rolls the validation back and it is retried 30 minutes later. Some deliveries ship in two parts (a
 * backorder), and a few wait days for a supplier receipt (WH/IN): those are the late open deliveries.
 */
export class Warehouse implements Process {
  readonly #carriers = new Map<number, CarrierSpec>();
  /** Reserved deliveries not yet in a wave. */
  readonly #ready = new Set<Rec>();
  readonly #bySale = new Map<number, Rec[]>();
  readonly #byBatch = new Map<number, Rec[]>();
  #pickingSeq = 0;
  #receiptSeq = 0;
  #waveSeq = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly mailer: Mailer,
    private readonly jobs: JobQueue,
    private readonly incident?: LabelIncident,
  ) {
    CARRIERS.forEach((spec, i) => {
      const rec = sim.db.create("delivery.carrier", {
        name: spec.name, sequence: i + 1, active: spec.active, delivery_type: spec.delivery_type, integration_level: spec.integration_level,
      }, sim.clock - 90 * DAY)!;
      this.#carriers.set(rec.id, spec);
    });
  }

  tick(minute: number): void {
    if (minute % WAVE_EVERY === 0) this.sim.at(minute + this.sim.rng.int(0, 300) * SECOND, (t) => this.#createWave(t));
    // The regular replenishment: purchase orders placed at 07:00 for delivery over the next days.
    if (minute % DAY === 7 * HOUR) {
      for (let i = 0; i < 4; i++) this.#receipt(minute + i * MINUTE, minute + this.sim.rng.uniform(1, 4) * DAY + this.sim.rng.uniform(0, 8) * HOUR);
    }
  }

  /**
   * The delivery of an order confirmed at `t`, with the commitment date as its deadline. It is scheduled a
   * customer lead time later (products with a sale_delay of 0.25 day: the same-day dispatch promise).
   */
  createDelivery(order: Rec, t: number, deadline: number | false): void {
    const { rng } = this.sim;
    const carrierId = rng.weighted([...this.#carriers].filter(([, c]) => c.active).map(([id, c]) => [id, c.share] as const));
    const stuck = rng.chance(STUCK_RATIO);
    const picking = this.#create({
      origin: String(order.name), state: stuck ? "confirmed" : "assigned", priority: rng.chance(0.08) ? "1" : "0",
      scheduled_date: odooStamp(t + CUSTOMER_LEAD), date_deadline: deadline ? odooStamp(deadline) : false, carrier_id: carrierId, sale_id: order.id,
    }, t);
    if (stuck) this.#waitForStock(picking, t, deadline);
  }

  /**
   * Deliveries already days late when the demo starts (waiting for a supplier), so that the late-delivery figures
   * have something to show from the first sample.
   */
  seedBacklog(createOrder: (t: number) => Rec, count: number): void {
    for (let i = 0; i < count; i++) {
      const t = this.sim.clock - this.sim.rng.uniform(3, 6) * DAY;
      const order = createOrder(t);
      const picking = this.#create({
        origin: String(order.name), state: "confirmed", priority: "0", scheduled_date: odooStamp(t), date_deadline: odooStamp(t + DAY),
        has_deadline_issue: false, carrier_id: [...this.#carriers.keys()][2]!, sale_id: order.id,
      }, t);
      const availableAt = this.sim.clock + this.sim.rng.logNormal(2 * DAY, 0.4);
      this.#receipt(t, availableAt);
      this.sim.at(availableAt, (at) => this.#reserve(picking, at));
    }
  }

  #create(vals: Vals, t: number): Rec {
    const picking = this.sim.db.create("stock.picking", {
      name: `WH/OUT/${String(++this.#pickingSeq).padStart(5, "0")}`, picking_type_code: "outgoing", date: odooStamp(t),
      has_deadline_issue: false, date_done: false, carrier_tracking_ref: false, batch_id: false, backorder_id: false, ...vals,
    }, t)!;
    const saleId = Number(picking.sale_id);
    this.#bySale.set(saleId, [...(this.#bySale.get(saleId) ?? []), picking]);
    if (picking.state === "assigned") this.#ready.add(picking);
    return picking;
  }

  /** No stock: Odoo keeps the delivery "Waiting" until a supplier receipt; sometimes it reschedules it to that date. */
  #waitForStock(picking: Rec, t: number, deadline: number | false): void {
    const availableAt = t + this.sim.rng.logNormal(30 * HOUR, 0.6);
    this.#receipt(t, availableAt);
    if (this.sim.rng.chance(0.3)) {
      this.sim.db.write("stock.picking", picking, { scheduled_date: odooStamp(availableAt), has_deadline_issue: deadline !== false && deadline < availableAt }, t);
    }
    this.sim.at(availableAt, (at) => this.#reserve(picking, at));
  }

  /**
   * A purchase receipt (WH/IN, incoming, no sale order) ordered at `t` and received at `arrival`: the other kind
   * of transfer a warehouse has, which is why every delivery query filters on picking_type_code.
   */
  #receipt(t: number, arrival: number): void {
    const { db } = this.sim;
    const receipt = db.create("stock.picking", {
      name: `WH/IN/${String(++this.#receiptSeq).padStart(5, "0")}`, origin: `P${String(this.#receiptSeq).padStart(5, "0")}`,
      picking_type_code: "incoming", state: "assigned", priority: "0", date: odooStamp(t), scheduled_date: odooStamp(arrival),
      date_deadline: false, has_deadline_issue: false, date_done: false, carrier_id: false, carrier_tracking_ref: false,
      batch_id: false, sale_id: false, backorder_id: false,
    }, t)!;
    this.sim.at(arrival, (at) => db.write("stock.picking", receipt, { state: "done", date_done: odooStamp(at) }, at));
  }

  #reserve(picking: Rec, t: number): void {
    if (picking.state !== "confirmed") return;
    this.sim.db.write("stock.picking", picking, { state: "assigned" }, t);
    this.#ready.add(picking);
  }

  #createWave(t: number): void {
    const { db, rng } = this.sim;
    const cutoff = odooStamp(t - 5 * MINUTE);
    const candidates = [...this.#ready]
      .filter((p) => String(p.create_date) <= cutoff)
      .sort((a, b) => String(b.priority).localeCompare(String(a.priority)) || String(a.scheduled_date).localeCompare(String(b.scheduled_date)))
      .slice(0, WAVE_MAX_PICKINGS);
    if (!candidates.length) return;
    const wave = db.create("stock.picking.batch", {
      name: `WAVE/${String(++this.#waveSeq).padStart(5, "0")}`, state: "in_progress", is_wave: true, picking_type_code: "outgoing",
      scheduled_date: odooStamp(t + HOUR),
    }, t)!;
    this.#byBatch.set(wave.id, candidates);
    const slow = rng.chance(SLOW_WAVE_RATIO);
    for (const picking of candidates) {
      this.#ready.delete(picking);
      db.write("stock.picking", picking, { batch_id: wave.id }, t);
      const after = slow ? rng.uniform(65, 200) : rng.uniform(10, 55);
      this.sim.at(t + after * MINUTE, (at) => this.#validate(picking, at));
    }
  }

  /** button_validate: label first for integrated carriers (send_to_shipper), then done. */
  #validate(picking: Rec, t: number): void {
    const { db, rng } = this.sim;
    if (picking.state !== "assigned") return;
    const carrier = this.#carriers.get(Number(picking.carrier_id))!;
    let seconds = 0;
    if (carrier.integration_level === "rate_and_ship") {
      const outage = this.incident && this.incident.carrier === carrier.name && t >= this.incident.from && t < this.incident.to;
      const failed = rng.chance(outage ? this.incident!.failure : carrier.labelFailure);
      seconds = failed ? rng.logNormal(4, 0.6) : rng.logNormal(1.5, 0.35);
      db.create("logistics.label.event", {
        picking_ref: picking.id, picking_name: String(picking.name), carrier_ref: Number(picking.carrier_id), carrier_name: carrier.name,
        delivery_type: carrier.delivery_type, duration: Math.round(seconds * 1000) / 1000, success: !failed,
        error_class: failed ? "UserError" : false, error_message: failed ? `${carrier.name}: label service unavailable (HTTP 503)` : false,
      }, t + seconds * SECOND);
      if (failed) {
        // The whole validation is rolled back: the picking stays Ready, and the operator tries again.
        this.sim.at(t + LABEL_RETRY_AFTER, (at) => this.#validate(picking, at));
        return;
      }
    }
    const done = t + seconds * SECOND;
    const ref = carrier.tracking(rng.next);
    db.write("stock.picking", picking, { state: "done", date_done: odooStamp(done), carrier_tracking_ref: ref || false, priority: "0" }, done);
    if (!picking.backorder_id && rng.chance(PARTIAL_RATIO)) {
      this.#create({
        origin: String(picking.origin), state: "assigned", priority: "0", scheduled_date: picking.scheduled_date, date_deadline: picking.date_deadline,
        carrier_id: picking.carrier_id, sale_id: picking.sale_id, backorder_id: picking.id,
      }, done);
    }
    this.#updateOrder(Number(picking.sale_id), done);
    this.#updateWave(Number(picking.batch_id), done);
    const order = db.get("sale.order", Number(picking.sale_id));
    this.mailer.send(`${order?.name ?? picking.origin}: your order has shipped (${picking.name})`, `customer-${picking.sale_id}@example.com`, done);
    if (ref) {
      this.jobs.enqueue("root.carrier", `Push tracking ${ref} to the marketplace`, "stock.picking", "_push_tracking_number", done);
      this.jobs.enqueue("root.carrier", `Subscribe to tracking events of ${ref}`, "stock.picking", "_subscribe_tracking", done);
    }
    this.jobs.enqueue("root.edi", `EDI: send DESADV for ${picking.name}`, "stock.picking", "_edi_send_desadv", done);
  }

  /** sale_stock's stored computes: effective_date is the first customer delivery, delivery_status full or partial. */
  #updateOrder(saleId: number, t: number): void {
    const order = this.sim.db.get("sale.order", saleId);
    if (!order) return;
    const pickings = (this.#bySale.get(saleId) ?? []).filter((p) => p.state !== "cancel");
    const status = pickings.every((p) => p.state === "done") ? "full" : "partial";
    this.sim.db.write("sale.order", order, { delivery_status: status, effective_date: order.effective_date || odooStamp(t) }, t);
  }

  #updateWave(batchId: number, t: number): void {
    const wave = this.sim.db.get("stock.picking.batch", batchId);
    if (wave && (this.#byBatch.get(batchId) ?? []).every((p) => p.state === "done")) this.sim.db.write("stock.picking.batch", wave, { state: "done", ...(this.sim.db.installed.labelEvents ? { date_done: odooStamp(t) } : {}) }, t);
  }
}
