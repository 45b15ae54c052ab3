import type { Domain } from "../../odoo/client.ts";
import { parseOdooDatetime, startOfDay, toOdooDatetime } from "../../odoo/datetime.ts";
import { reading } from "../../sli/sample.ts";
import { secondsBetween } from "../../sli/stats.ts";
import type { Section, SectionEnv } from "./section.ts";

const OPEN_STATES = ["assigned", "waiting", "confirmed"];

/**
 * Odoo's own "Late" filter on transfers (stock.picking search view), restricted to deliveries: open, and a
 * deadline issue or a deadline or scheduled date before the start of today in the users' timezone. Day-based on
 * purpose: scheduled_date is the confirmation time, so "before now" would call most fresh orders late.
 */
export function lateDeliveriesDomain(now: Date, timeZone: string): Domain {
  const today = toOdooDatetime(startOfDay(now, timeZone));
  return [
    ["picking_type_code", "=", "outgoing"],
    ["state", "in", OPEN_STATES],
    "|", "|",
    ["has_deadline_issue", "=", true],
    ["date_deadline", "<", today],
    ["scheduled_date", "<", today],
  ];
}

/** Late open deliveries, and the deliveries ready to ship with how long the oldest is past its scheduled date. */
export const backlogSection: Section = {
  name: "backlog",
  slis: ["late_open_deliveries", "ready_backlog", "ready_backlog_oldest_age_seconds"],
  maxRpcs: 2,
  async run({ client, tenant, window }: SectionEnv) {
    const late = await client.searchCount("stock.picking", lateDeliveriesDomain(window.now, tenant.timezone));
    const [ready] = await client.readGroup(
      "stock.picking",
      [["picking_type_code", "=", "outgoing"], ["state", "=", "assigned"]],
      [],
      { oldest: "scheduled_date:min" },
    );
    const count = ready?.__count ?? 0;
    const oldest = parseOdooDatetime(ready?.oldest);
    return [
      reading("late_open_deliveries", late, ""),
      reading("ready_backlog", count, ""),
      // Nothing ready means nothing waiting: an age of 0 is the truth here, not a stand-in for missing data.
      reading("ready_backlog_oldest_age_seconds", count === 0 ? 0 : oldest ? Math.max(0, secondsBetween(oldest, window.now)) : undefined, "ready deliveries without a scheduled date"),
    ];
  },
};
