/**
 * The models the demo Odoo knows, with the fields the project reads and a few neighbours a user would expect.
 * Types, default orders and display names follow Odoo 18 (sale, sale_stock, stock_picking_batch, stock_delivery,
 * base, mail, OCA queue_job and the project's addon), because they decide the shape of every answer.
 */
export type FieldType = "id" | "integer" | "float" | "char" | "text" | "selection" | "boolean" | "datetime" | "many2one" | "one2many";

export interface FieldDef {
  type: FieldType;
  /** Target model of many2one / one2many fields. */
  comodel?: string;
  /** For one2many: the many2one on the comodel that points back. */
  inverse?: string;
  /** Non-stored fields can be read but neither grouped nor aggregated. */
  stored?: boolean;
}

export interface ModelDef {
  name: string;
  description: string;
  /** Odoo's `_order`: the default of search_read and the order of many2one groups. */
  order: string;
  /** Field giving display_name; undefined means "<model>,<id>". */
  recName?: string;
  /** `_log_access`: create_date and write_date exist (OCA queue.job turns them off). */
  logAccess: boolean;
  modules: string;
  fields: Record<string, FieldDef>;
}

const f = (type: FieldType, comodel?: string, inverse?: string): FieldDef => ({ type, comodel, inverse });

function model(name: string, description: string, order: string, modules: string, fields: Record<string, FieldDef>, opts: { recName?: string; logAccess?: boolean } = {}): ModelDef {
  const logAccess = opts.logAccess ?? true;
  const base: Record<string, FieldDef> = { id: f("id"), display_name: { type: "char", stored: false } };
  if (logAccess) Object.assign(base, { create_date: f("datetime"), write_date: f("datetime") });
  return { name, description, order, recName: opts.recName, logAccess, modules, fields: { ...base, ...fields } };
}

export const SALE_ORDER = model("sale.order", "Sales Order", "date_order desc, id desc", "sale, sale_stock", {
  name: f("char"),
  state: f("selection"),
  locked: f("boolean"),
  date_order: f("datetime"),
  commitment_date: f("datetime"),
  effective_date: f("datetime"),
  delivery_status: f("selection"),
  amount_total: f("float"),
  picking_ids: f("one2many", "stock.picking", "sale_id"),
}, { recName: "name" });

export const STOCK_PICKING = model("stock.picking", "Transfer", "priority desc, scheduled_date asc, id desc", "stock, sale_stock, stock_delivery, stock_picking_batch", {
  name: f("char"),
  origin: f("char"),
  state: f("selection"),
  priority: f("selection"),
  picking_type_code: f("selection"),
  date: f("datetime"),
  scheduled_date: f("datetime"),
  date_deadline: f("datetime"),
  has_deadline_issue: f("boolean"),
  date_done: f("datetime"),
  carrier_id: f("many2one", "delivery.carrier"),
  carrier_tracking_ref: f("char"),
  batch_id: f("many2one", "stock.picking.batch"),
  sale_id: f("many2one", "sale.order"),
  backorder_id: f("many2one", "stock.picking"),
}, { recName: "name" });

const BATCH_FIELDS = {
  name: f("char"),
  state: f("selection"),
  is_wave: f("boolean"),
  picking_type_code: f("selection"),
  scheduled_date: f("datetime"),
  picking_ids: f("one2many", "stock.picking", "batch_id"),
};

export const STOCK_PICKING_BATCH = model("stock.picking.batch", "Batch Transfer", "name desc", "stock_picking_batch", BATCH_FIELDS, { recName: "name" });

/** With the project's addon, batches keep the moment they became done. */
export const STOCK_PICKING_BATCH_WITH_ADDON = model("stock.picking.batch", "Batch Transfer", "name desc", "stock_picking_batch, logistics_observability", {
  ...BATCH_FIELDS,
  date_done: f("datetime"),
}, { recName: "name" });

/** Installed modules and their versions: module upgrades are the deploy markers Odoo itself gives. */
export const IR_MODULE_MODULE = model("ir.module.module", "Module", "application desc,sequence,name", "base", {
  name: f("char"),
  // Named by the model's default order: a search without an order sorts on them, as on a real Odoo.
  application: f("boolean"),
  sequence: f("integer"),
  latest_version: f("char"),
  state: f("selection"),
}, { recName: "name" });

export const DELIVERY_CARRIER = model("delivery.carrier", "Shipping Methods", "sequence, id", "delivery, stock_delivery", {
  name: f("char"),
  sequence: f("integer"),
  active: f("boolean"),
  delivery_type: f("selection"),
  integration_level: f("selection"),
}, { recName: "name" });

export const IR_CRON = model("ir.cron", "Scheduled Actions", "cron_name", "base", {
  name: f("char"),
  cron_name: f("char"),
  active: f("boolean"),
  interval_number: f("integer"),
  interval_type: f("selection"),
  priority: f("integer"),
  nextcall: f("datetime"),
  lastcall: f("datetime"),
  failure_count: f("integer"),
  first_failure_date: f("datetime"),
}, { recName: "cron_name" });

export const IR_CRON_PROGRESS = model("ir.cron.progress", "Progress of Scheduled Actions", "id", "base", {
  cron_id: f("many2one", "ir.cron"),
  done: f("integer"),
  remaining: f("integer"),
  deactivate: f("boolean"),
  timed_out_counter: f("integer"),
}, { recName: "cron_id" });

export const MAIL_MAIL = model("mail.mail", "Outgoing Mails", "id desc", "mail", {
  subject: f("char"),
  email_to: f("text"),
  state: f("selection"),
  failure_type: f("selection"),
  failure_reason: f("text"),
  scheduled_date: f("datetime"),
  auto_delete: f("boolean"),
}, { recName: "subject" });

export const QUEUE_JOB = model("queue.job", "Queue Job", "date_created desc, date_done desc", "queue_job", {
  uuid: f("char"),
  name: f("char"),
  channel: f("char"),
  state: f("selection"),
  priority: f("integer"),
  model_name: f("char"),
  method_name: f("char"),
  date_created: f("datetime"),
  date_enqueued: f("datetime"),
  date_started: f("datetime"),
  date_done: f("datetime"),
  exec_time: f("float"),
  retry: f("integer"),
  max_retries: f("integer"),
  exc_name: f("char"),
  exc_message: f("char"),
}, { recName: "name", logAccess: false });

/** The addon's model: picking and carrier as plain ids and names (written on a separate cursor, no foreign key). */
export const LABEL_EVENT = model("logistics.label.event", "Carrier label event", "create_date desc, id desc", "logistics_observability", {
  picking_ref: f("integer"),
  picking_name: f("char"),
  carrier_ref: f("integer"),
  carrier_name: f("char"),
  delivery_type: f("char"),
  duration: f("float"),
  success: f("boolean"),
  error_class: f("char"),
  error_message: f("char"),
});

export const IR_MODEL = model("ir.model", "Models", "model", "base", {
  name: f("char"),
  model: f("char"),
  order: f("char"),
  state: f("selection"),
  transient: f("boolean"),
  modules: f("char"),
}, { recName: "name" });

/** Which optional parts of a database are installed. */
export interface Installed {
  /** sale_stock, stock_delivery and stock_picking_batch: an Odoo without them has no logistics to measure. */
  apps: boolean;
  queueJob: boolean;
  /** The project's addon; it depends on stock_delivery, so it needs the apps. */
  labelEvents: boolean;
}

/** The models of a database with the given modules, in the order ir.model lists them by id. */
export function installedModels(installed: Installed): ModelDef[] {
  return [
    IR_MODEL, IR_MODULE_MODULE, IR_CRON, IR_CRON_PROGRESS, MAIL_MAIL,
    ...(installed.apps ? [DELIVERY_CARRIER, STOCK_PICKING, installed.labelEvents ? STOCK_PICKING_BATCH_WITH_ADDON : STOCK_PICKING_BATCH, SALE_ORDER] : []),
    ...(installed.queueJob ? [QUEUE_JOB] : []),
    ...(installed.apps && installed.labelEvents ? [LABEL_EVENT] : []),
  ];
}

/** Module name -> installed version, as ir.module.module lists them. */
export function installedModules(installed: Installed): Array<[string, string]> {
  return [
    ["base", "18.0.1.3"], ["web", "18.0.1.0"], ["mail", "18.0.1.15"], ["product", "18.0.1.2"],
    ...(installed.apps
      ? ([["stock", "18.0.1.1"], ["sale", "18.0.1.2"], ["sale_stock", "18.0.1.0"], ["delivery", "18.0.1.0"], ["stock_delivery", "18.0.1.0"], ["stock_picking_batch", "18.0.1.0"]] as Array<[string, string]>)
      : []),
    ...(installed.queueJob ? ([["queue_job", "18.0.2.1.0"]] as Array<[string, string]>) : []),
    ...(installed.apps && installed.labelEvents ? ([["logistics_observability", "18.0.1.0.0"]] as Array<[string, string]>) : []),
  ];
}

/** Datetime and selection fields compare as strings, numbers as numbers, booleans with NULL meaning false. */
export function isNumeric(def: FieldDef): boolean {
  return def.type === "id" || def.type === "integer" || def.type === "float";
}
