/**
 * Business facts copied from Odoo incrementally (one row per record, only the fields the SLIs need), so that
 * percentiles can be computed over a window without paging through Odoo's records every cycle.
 * All times are UTC instants; Odoo's naive datetimes are UTC by contract.
 */
export interface OrderFact {
  orderId: number;
  createdAt: Date;
  /** date_order of a confirmed order: Odoo overwrites it with now() on confirmation. */
  confirmedAt: Date | null;
  /** effective_date: the first done delivery to a customer location. */
  firstShippedAt: Date | null;
  /** max(date_done) of the order's done outgoing pickings, set once delivery_status is "full". */
  fullyShippedAt: Date | null;
}

export interface DeliveryFact {
  pickingId: number;
  createdAt: Date;
  scheduledAt: Date;
  deadlineAt: Date | null;
  doneAt: Date;
  /** Carrier name when the carrier prints labels (integration level rate_and_ship), else null. */
  labelCarrier: string | null;
  /** A rate_and_ship delivery done without a tracking reference: the label step did not succeed. */
  labelMissing: boolean;
}

export interface WaveFact {
  batchId: number;
  isWave: boolean;
  scheduledAt: Date | null;
  /** max(date_done) of the batch's pickings: Odoo 18 has no done date on batches. */
  doneAt: Date;
}

/** A label attempt recorded by the addon around stock.picking.send_to_shipper. */
export interface LabelEvent {
  eventId: number;
  carrier: string;
  at: Date;
  durationSeconds: number;
  ok: boolean;
}
