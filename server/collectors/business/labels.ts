import { parseOdooDatetime, toOdooDatetime } from "../../odoo/datetime.ts";
import { labelOutcomes, labelOutcomesFromDeliveries } from "../../sli/business.ts";
import type { LabelEvent } from "../../sli/facts.ts";
import { PAGE_SIZE, windowStart, type Section, type SectionEnv } from "./section.ts";

/** The addon's model: one row per stock.picking.send_to_shipper call, success or failure. */
export const LABEL_EVENT_MODEL = "logistics.label.event";

interface LabelEventRow {
  id: number;
  create_date: string;
  carrier_name: string | false;
  duration: number;
  success: boolean;
}

/**
 * Label outcomes per carrier. With the addon, from its label events (append-only, read by id); without it, from
 * done deliveries that lack a tracking reference (see labelOutcomesFromDeliveries), which the deliveries section
 * has already synchronised this cycle.
 */
export const labelsSection: Section = {
  name: "labels",
  slis: ["label_failure_ratio", "label_latency_p95_seconds"],
  maxRpcs: 1,
  async run({ client, store, tenant, window, models }: SectionEnv) {
    const since = windowStart(window);
    if (!models.addon) return labelOutcomesFromDeliveries(await store.deliveriesSince(tenant.name, since), window);
    const lastId = (await store.getCursor<number>(tenant.name, LABEL_EVENT_MODEL)) ?? 0;
    const rows = await client.searchRead<LabelEventRow>(
      LABEL_EVENT_MODEL,
      lastId ? [["id", ">", lastId]] : [["create_date", ">=", toOdooDatetime(since)]],
      ["create_date", "carrier_name", "duration", "success"],
      { order: "id asc", limit: PAGE_SIZE },
    );
    const events: LabelEvent[] = rows.map((r) => ({
      eventId: r.id,
      carrier: r.carrier_name || "none",
      at: parseOdooDatetime(r.create_date)!,
      durationSeconds: Number(r.duration),
      ok: Boolean(r.success),
    }));
    await store.insertLabelEvents(tenant.name, events);
    if (rows.length) await store.setCursor(tenant.name, LABEL_EVENT_MODEL, rows[rows.length - 1]!.id);
    return labelOutcomes(await store.labelEventsSince(tenant.name, since), window);
  },
};
