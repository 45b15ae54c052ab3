import { advanceCursor, cursorDomain, type Cursor } from "../../odoo/cursor.ts";
import { parseOdooDatetime, toOdooDatetime } from "../../odoo/datetime.ts";
import { orderLatency } from "../../sli/business.ts";
import type { OrderFact } from "../../sli/facts.ts";
import { PAGE_SIZE, windowStart, type Section, type SectionEnv } from "./section.ts";

interface SaleOrderRow extends Record<string, unknown> {
  id: number;
  create_date: string;
  date_order: string;
  effective_date: string | false;
  delivery_status: string | false;
  write_date: string;
}

/** Order latency legs, from sale.order changes since the last cycle plus the last delivery of fully shipped orders. */
export const ordersSection: Section = {
  name: "orders",
  slis: [
    "order_quote_to_confirm_p50_seconds", "order_quote_to_confirm_p95_seconds",
    "order_confirm_to_first_ship_p50_seconds", "order_confirm_to_first_ship_p95_seconds",
    "order_confirm_to_full_ship_p50_seconds", "order_confirm_to_full_ship_p95_seconds",
  ],
  maxRpcs: 2,
  async run({ client, store, tenant, window }: SectionEnv) {
    const cursor = (await store.getCursor<Cursor>(tenant.name, "sale.order")) ?? { at: toOdooDatetime(windowStart(window)), ids: [] };
    const rows = await client.searchRead<SaleOrderRow>(
      "sale.order",
      [...cursorDomain("write_date", cursor), ["state", "=", "sale"]],
      ["create_date", "date_order", "effective_date", "delivery_status", "write_date"],
      { order: "write_date asc, id asc", limit: PAGE_SIZE },
    );
    const full = rows.filter((r) => r.delivery_status === "full").map((r) => r.id);
    const lastDelivery = new Map<number, Date | null>();
    if (full.length) {
      const groups = await client.readGroup(
        "stock.picking",
        [["sale_id", "in", full], ["state", "=", "done"], ["picking_type_code", "=", "outgoing"]],
        ["sale_id"],
        { lastDone: "date_done:max" },
      );
      for (const g of groups) if (Array.isArray(g.sale_id)) lastDelivery.set(g.sale_id[0] as number, parseOdooDatetime(g.lastDone));
    }
    const facts: OrderFact[] = rows.map((r) => ({
      orderId: r.id,
      createdAt: parseOdooDatetime(r.create_date)!,
      confirmedAt: parseOdooDatetime(r.date_order),
      firstShippedAt: parseOdooDatetime(r.effective_date),
      fullyShippedAt: lastDelivery.get(r.id) ?? null,
    }));
    await store.upsertOrders(tenant.name, facts);
    await store.setCursor(tenant.name, "sale.order", advanceCursor(cursor, rows, "write_date"));
    return orderLatency(await store.ordersSince(tenant.name, windowStart(window)), window);
  },
};
