import type { AreaId } from "./areas.ts";
import { _t } from "./t.ts";

/**
 * The counts behind the service levels, read from Odoo with the user's own rights, each opening the matching Odoo
 * list with its filter as Odoo's Inventory Overview does (its Late and Ready filters, the wave list). Pure: the
 * domains and actions; the component counts and opens them.
 */
export interface DrillContext {
  /** The user's today, as Odoo's `current_date` in a search filter ("2026-12-06"). */
  today: string;
  /** Now, as Odoo writes datetimes (UTC, "2026-12-06 11:05:00"). */
  now: string;
  /** 24 hours ago, same format. */
  dayAgo: string;
}

export type DrillAction = string | { type: "ir.actions.act_window"; name: string; res_model: string; domain: unknown[]; views: Array<[false, string]>; context?: Record<string, unknown> };

export interface Drill {
  key: string;
  area: AreaId;
  label: string;
  model: string;
  domain: unknown[];
  /** An Odoo action's xml id opened with these filters on, or a window action of its own. */
  action: DrillAction;
  filters?: Record<string, number>;
}

const OPEN = ["assigned", "waiting", "confirmed"];

const list = (name: string, res_model: string, domain: unknown[]): DrillAction => ({ type: "ir.actions.act_window", name, res_model, domain, views: [[false, "list"], [false, "form"]] });

/** Every count of the dashboard; `carrier` narrows the label failures to one carrier (an incident's). */
export function drills(c: DrillContext, carrier?: string): Drill[] {
  const late = [["picking_type_code", "=", "outgoing"], ["state", "in", OPEN], "|", "|", ["has_deadline_issue", "=", true], ["date_deadline", "<", c.today], ["scheduled_date", "<", c.today]];
  const ready = [["picking_type_code", "=", "outgoing"], ["state", "=", "assigned"]];
  const toShip = [["state", "=", "sale"], ["delivery_status", "in", ["pending", "partial"]]];
  // Waves as Odoo counts them (is_wave): batch transfers are not waves.
  const lateWaves = [["is_wave", "=", true], ["state", "in", ["draft", "in_progress"]], ["scheduled_date", "<", c.now]];
  const openWaves = [["is_wave", "=", true], ["state", "in", ["draft", "in_progress"]]];
  const labels = [["success", "=", false], ["create_date", ">=", c.dayAgo], ...(carrier ? [["carrier_name", "=", carrier]] : [])];
  const crons = [["failure_count", ">", 0]];
  const mails = [["state", "=", "exception"]];
  const labelText = carrier ? _t("%s label failures (24 h)", carrier) : _t("Label failures (24 h)");
  return [
    { key: "orders.to_ship", area: "orders", label: _t("Orders to ship"), model: "sale.order", domain: toShip, action: list(_t("Orders to ship"), "sale.order", toShip) },
    { key: "deliveries.late", area: "deliveries", label: _t("Late"), model: "stock.picking", domain: late, action: "stock.action_picking_tree_all", filters: { search_default_late: 1, search_default_delivery: 1 } },
    { key: "deliveries.ready", area: "deliveries", label: _t("Ready"), model: "stock.picking", domain: ready, action: "stock.action_picking_tree_all", filters: { search_default_available: 1, search_default_delivery: 1 } },
    { key: "waves.late", area: "waves", label: _t("Late waves"), model: "stock.picking.batch", domain: lateWaves, action: list(_t("Late waves"), "stock.picking.batch", lateWaves) },
    { key: "waves.open", area: "waves", label: _t("Open waves"), model: "stock.picking.batch", domain: openWaves, action: "stock_picking_batch.action_picking_tree_wave" },
    { key: "carriers.labels", area: "carriers", label: labelText, model: "logistics.label.event", domain: labels, action: list(labelText, "logistics.label.event", labels) },
    { key: "jobs.crons", area: "jobs", label: _t("Failing scheduled jobs"), model: "ir.cron", domain: crons, action: list(_t("Failing scheduled jobs"), "ir.cron", crons) },
    { key: "jobs.mails", area: "jobs", label: _t("Failed emails"), model: "mail.mail", domain: mails, action: "mail.action_view_mail_mail", filters: { search_default_exception: 1 } },
  ];
}

/** The count an alert's service level is about: "14 late deliveries" for late deliveries, the carrier's failures. */
export function drillOf(sli: string): string {
  if (sli.startsWith("order_")) return "orders.to_ship";
  if (sli.startsWith("ready_backlog")) return "deliveries.ready";
  if (sli.startsWith("on_time") || sli.startsWith("delivery_") || sli === "late_open_deliveries") return "deliveries.late";
  if (sli.startsWith("wave_") || sli === "late_open_waves") return "waves.late";
  if (sli.startsWith("label_")) return "carriers.labels";
  if (sli.startsWith("mail_")) return "jobs.mails";
  return "jobs.crons";
}

/** A count as the dashboard shows it: the number, or why this user cannot see it. */
export interface DrillCount {
  drill: Drill;
  count: number | null;
  unavailable: string | null;
}

type Orm = { searchCount(model: string, domain: unknown[]): Promise<number> };

/** One count on its own: a user without the rights behind it gets a sentence, never an error dialog. */
export async function countOf(orm: Orm, drill: Drill): Promise<DrillCount> {
  try {
    return { drill, count: await orm.searchCount(drill.model, drill.domain), unavailable: null };
  } catch (err) {
    const data = (err as { data?: { name?: string } }).data;
    const denied = data?.name === "odoo.exceptions.AccessError" || /access/i.test(String((err as Error).message));
    return { drill, count: null, unavailable: denied ? _t("Not within your access rights") : _t("Could not be counted") };
  }
}
