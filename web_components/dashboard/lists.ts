/**
 * The record lists under the tiles, read from Odoo itself with the user's rights: Odoo's own "Late" filter on
 * deliveries, open waves past their date, and the latest label failures.
 */
export interface RecordRow {
  id: number;
  model: string;
  name: string;
  detail: string;
  when: string;
}

/** A list as the dashboard shows it: its rows, or why this user cannot see them (never a blank page). */
export interface RecordListState {
  rows: RecordRow[];
  unavailable: string | null;
}

/**
 * One list's read, on its own: a user without the Inventory rights behind it (a Logistics Health / User only) gets
 * a sentence in its place, and the other lists and the backend's tiles load as usual.
 */
export async function listOrReason(read: Promise<RecordRow[]>, what: string): Promise<RecordListState> {
  try {
    return { rows: await read, unavailable: null };
  } catch (err) {
    const data = (err as { data?: { name?: string } }).data;
    const denied = data?.name === "odoo.exceptions.AccessError" || /access/i.test(String((err as Error).message));
    return { rows: [], unavailable: denied ? `Your access rights do not include ${what}: ask an administrator for the Inventory rights to list them.` : `${what} could not be read.` };
  }
}

type Orm = { searchRead(model: string, domain: unknown[], fields: string[], kwargs?: { limit?: number; order?: string }): Promise<Array<Record<string, unknown>>> };

const m2oName = (v: unknown) => (Array.isArray(v) ? String(v[1]) : "");

export function lateDeliveriesDomain(todayStartUtc: string): unknown[] {
  return [
    ["picking_type_code", "=", "outgoing"],
    ["state", "in", ["assigned", "waiting", "confirmed"]],
    "|", "|",
    ["has_deadline_issue", "=", true],
    ["date_deadline", "<", todayStartUtc],
    ["scheduled_date", "<", todayStartUtc],
  ];
}

export async function lateDeliveries(orm: Orm, todayStartUtc: string): Promise<RecordRow[]> {
  const rows = await orm.searchRead("stock.picking", lateDeliveriesDomain(todayStartUtc), ["name", "partner_id", "scheduled_date", "carrier_id"], { limit: 10, order: "scheduled_date asc" });
  return rows.map((r) => ({ id: r.id as number, model: "stock.picking", name: String(r.name), detail: [m2oName(r.partner_id), m2oName(r.carrier_id)].filter(Boolean).join(" · "), when: String(r.scheduled_date) }));
}

export async function lateWaves(orm: Orm, nowUtc: string): Promise<RecordRow[]> {
  const rows = await orm.searchRead("stock.picking.batch", [["state", "in", ["draft", "in_progress"]], ["scheduled_date", "<", nowUtc]], ["name", "scheduled_date", "user_id"], { limit: 10, order: "scheduled_date asc" });
  return rows.map((r) => ({ id: r.id as number, model: "stock.picking.batch", name: String(r.name), detail: m2oName(r.user_id), when: String(r.scheduled_date) }));
}

export async function labelFailures(orm: Orm): Promise<RecordRow[]> {
  const rows = await orm.searchRead("logistics.label.event", [["success", "=", false]], ["picking_ref", "picking_name", "carrier_name", "error_message", "create_date"], { limit: 10 });
  return rows.map((r) => ({ id: r.picking_ref as number, model: "stock.picking", name: String(r.picking_name), detail: `${r.carrier_name}: ${r.error_message || ""}`, when: String(r.create_date) }));
}
