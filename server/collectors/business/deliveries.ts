import type { OdooReader } from "../../odoo/client.ts";
import { advanceCursor, cursorDomain, type Cursor } from "../../odoo/cursor.ts";
import { many2one, parseOdooDatetime, toOdooDatetime } from "../../odoo/datetime.ts";
import { deliveryPerformance } from "../../sli/business.ts";
import type { DeliveryFact } from "../../sli/facts.ts";
import { PAGE_SIZE, windowStart, type Section, type SectionEnv } from "./section.ts";

interface PickingRow extends Record<string, unknown> {
  id: number;
  create_date: string;
  scheduled_date: string;
  date_deadline: string | false;
  date_done: string;
  carrier_id: [number, string] | false;
  carrier_tracking_ref: string | false;
}

/** Carriers that print labels through an integration (integration_level rate_and_ship), by id. */
async function labelCarriers(client: OdooReader): Promise<Map<number, string>> {
  const carriers = await client.searchRead<{ id: number; name: string; integration_level: string }>(
    "delivery.carrier",
    ["|", ["active", "=", true], ["active", "=", false]],
    ["name", "integration_level"],
  );
  return new Map(carriers.filter((c) => c.integration_level === "rate_and_ship").map((c) => [c.id, c.name]));
}

/** Done outgoing pickings since the last cycle: Odoo's Inventory KPIs and the label fallback are computed from them. */
export const deliveriesSection: Section = {
  name: "deliveries",
  slis: ["on_time_delivery_ratio", "delivery_avg_delay_seconds", "delivery_avg_lead_time_seconds"],
  maxRpcs: 2,
  async run({ client, store, tenant, window, models }: SectionEnv) {
    const cursor = (await store.getCursor<Cursor>(tenant.name, "stock.picking.done")) ?? { at: toOdooDatetime(windowStart(window)), ids: [] };
    const rows = await client.searchRead<PickingRow>(
      "stock.picking",
      [...cursorDomain("date_done", cursor), ["state", "=", "done"], ["picking_type_code", "=", "outgoing"]],
      ["create_date", "scheduled_date", "date_deadline", "date_done", ...(models.carriers ? ["carrier_id", "carrier_tracking_ref"] : [])],
      { order: "date_done asc, id asc", limit: PAGE_SIZE },
    );
    const carriers = rows.some((r) => r.carrier_id) ? await labelCarriers(client) : new Map<number, string>();
    const facts: DeliveryFact[] = rows.map((r) => {
      const carrier = many2one(r.carrier_id);
      const labelCarrier = carrier ? (carriers.get(carrier.id) ?? null) : null;
      return {
        pickingId: r.id,
        createdAt: parseOdooDatetime(r.create_date)!,
        scheduledAt: parseOdooDatetime(r.scheduled_date)!,
        deadlineAt: parseOdooDatetime(r.date_deadline),
        doneAt: parseOdooDatetime(r.date_done)!,
        labelCarrier,
        labelMissing: labelCarrier !== null && !r.carrier_tracking_ref,
      };
    });
    await store.upsertDeliveries(tenant.name, facts);
    await store.setCursor(tenant.name, "stock.picking.done", advanceCursor(cursor, rows, "date_done"));
    return deliveryPerformance(await store.deliveriesSince(tenant.name, windowStart(window)), window);
  },
};
