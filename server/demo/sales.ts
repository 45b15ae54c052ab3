import { odooStamp, type Rec } from "./database.ts";
import type { JobQueue } from "./queue-jobs.ts";
import type { Mailer } from "./mail.ts";
import { quotationsPerMinute } from "./profile.ts";
import type { Warehouse } from "./shipping.ts";
import { DAY, HOUR, MINUTE, type Process, type Simulation } from "./simulation.ts";

/** What becomes of a quotation: most are confirmed, some cancelled, the rest are never answered. */
const CONFIRMED = 0.82;
const CANCELLED = 0.1;
/** Orders with a promised delivery date (commitment_date), which becomes the delivery's deadline. */
const COMMITTED = 0.4;

/**
 * Customers and sales people. Quotations arrive by the hour-of-day profile; a quotation may be sent, then is
 * confirmed after a log-normal delay (median 25 minutes, from a few minutes to several hours), cancelled, or
 * left open. Confirmation writes state "sale" and date_order = now (Odoo's _prepare_confirmation_values), asks
 * the warehouse for a delivery, mails the customer and exports the order to EDI.
 */
export class SalesDesk implements Process {
  #seq = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly warehouse: Warehouse,
    private readonly mailer: Mailer,
    private readonly jobs: JobQueue,
  ) {}

  tick(minute: number): void {
    const n = this.sim.rng.poisson(quotationsPerMinute(minute));
    for (let i = 0; i < n; i++) this.sim.at(minute + this.sim.rng.int(0, MINUTE - 1), (t) => this.#quote(t));
  }

  /** A quotation created at `t` (date_order = creation until confirmation). */
  createQuotation(t: number): Rec {
    return this.sim.db.create("sale.order", {
      name: `S${String(++this.#seq).padStart(5, "0")}`, state: "draft", locked: false, date_order: odooStamp(t),
      commitment_date: false, effective_date: false, delivery_status: false,
      amount_total: Math.round(this.sim.rng.logNormal(420, 0.7) * 100) / 100,
    }, t)!;
  }

  /** An order confirmed at `t` without going through the clock: the backlog seeded at start-up. */
  createConfirmed(t: number): Rec {
    const order = this.createQuotation(t - this.sim.rng.uniform(5, 90) * MINUTE);
    this.sim.db.write("sale.order", order, { state: "sale", date_order: odooStamp(t), delivery_status: "pending" }, t);
    return order;
  }

  #quote(t: number): void {
    const { rng } = this.sim;
    const order = this.createQuotation(t);
    const fate = rng.next();
    const decidedAfter = fate < CONFIRMED ? Math.min(Math.max(rng.logNormal(25 * MINUTE, 1.2), MINUTE), 3 * DAY) : rng.logNormal(5 * HOUR, 0.8);
    if (rng.chance(0.4) && decidedAfter > 10 * MINUTE) this.sim.at(t + rng.uniform(2, 10) * MINUTE, (at) => this.#send(order, at));
    if (fate < CONFIRMED) this.sim.at(t + decidedAfter, (at) => this.#confirm(order, at));
    else if (fate < CONFIRMED + CANCELLED) this.sim.at(t + decidedAfter, (at) => this.#cancel(order, at));
  }

  #send(order: Rec, t: number): void {
    if (order.state !== "draft") return;
    this.sim.db.write("sale.order", order, { state: "sent" }, t);
    this.mailer.send(`Quotation ${order.name}`, `customer-${order.id}@example.com`, t);
  }

  #confirm(order: Rec, t: number): void {
    if (order.state !== "draft" && order.state !== "sent") return;
    const deadline = this.sim.rng.chance(COMMITTED) ? t + this.sim.rng.uniform(24, 48) * HOUR : false;
    this.sim.db.write("sale.order", order, {
      state: "sale", date_order: odooStamp(t), delivery_status: "pending", commitment_date: deadline ? odooStamp(deadline) : false,
    }, t);
    this.warehouse.createDelivery(order, t, deadline);
    this.mailer.send(`${order.name}: order confirmation`, `customer-${order.id}@example.com`, t);
    this.jobs.enqueue("root.edi", `EDI: send ORDRSP for ${order.name}`, "sale.order", "_edi_send_ordrsp", t);
  }

  #cancel(order: Rec, t: number): void {
    if (order.state === "draft" || order.state === "sent") this.sim.db.write("sale.order", order, { state: "cancel" }, t);
  }
}
