/**
 * Seeds a realistic logistics workload into a real Odoo 18 (sale_stock, stock_delivery, stock_picking_batch), so
 * that every service level the project measures has something to measure: done, partial, refused and late
 * deliveries, a done wave and a late open one, a failing scheduled action and mail stuck in the queue.
 * Everything it creates is tagged "WL-"; master data is found or created, transactions are added on each run.
 *
 *   npx tsx scripts/odoo-workload.ts [--orders 40] [--seed 42]    (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD)
 */
import { parseArgs } from "node:util";
import { Secret } from "../server/config/secret.ts";
import { OdooClient, type Domain } from "../server/odoo/client.ts";

const PREFIX = "WL-";
const CRON_NAME = `${PREFIX}failing job`;
/** Below this free quantity a product is topped up, so that every confirmed order is reserved (Ready) at once. */
const MIN_FREE_QTY = 300;
const TOP_UP_QTY = 500;
const PRODUCTS = [
  { code: "WL-CRATE-S", name: "WL-Crate small", price: 12, weight: 2 },
  { code: "WL-CRATE-L", name: "WL-Crate large", price: 25, weight: 6 },
  { code: "WL-PALLET", name: "WL-Euro pallet", price: 40, weight: 20 },
  { code: "WL-STRAP", name: "WL-Strap roll", price: 8, weight: 1 },
];
const CUSTOMERS = [
  { name: "WL-Acme Logistics Oakland", city: "Oakland", zip: "94607", country: "US" },
  { name: "WL-Bay Retail Fresno", city: "Fresno", zip: "93721", country: "US" },
  { name: "WL-Harbor Supplies Seattle", city: "Seattle", zip: "98101", country: "US" },
  { name: "WL-Antwerp Trading", city: "Antwerpen", zip: "2000", country: "BE" },
  { name: "WL-Gent Distributie", city: "Gent", zip: "9000", country: "BE" },
];

type Row = Record<string, unknown> & { id: number };
type Context = Record<string, unknown>;
interface Customer { id: number; country: string }
interface Carrier { id: number; name: string; countries: string[] }
interface Order { id: number; customer: Customer; carrier: Carrier }
interface Picking { id: number; name: string; state: string; order: Order }

// ---------- small helpers ----------

function options(): { orders: number; seed: number } {
  const { values } = parseArgs({ options: { orders: { type: "string", default: "40" }, seed: { type: "string", default: "42" } } });
  const orders = Number(values.orders);
  const seed = Number(values.seed);
  if (!Number.isInteger(orders) || orders < 4) throw new Error(`--orders must be an integer >= 4, got "${values.orders}"`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  return { orders, seed };
}

/** mulberry32: a tiny deterministic PRNG, so that a seed reproduces the same shape of workload. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const shuffle = <T>(items: T[]): T[] => { // Fisher-Yates: Array.sort with a random comparator is neither fair nor stable
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) { const j = int(0, i); [out[i], out[j]] = [out[j]!, out[i]!]; }
    return out;
  };
  return { next, int, shuffle, pick: <T>(items: T[]): T => items[int(0, items.length - 1)]!, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

/** Odoo datetimes are naive UTC strings. */
function utc(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
}

const log = (msg: string) => console.error(`workload: ${msg}`);

/** Creates one record. execute_kw's create() with only named params fails on 17/18 (call_kw reads args[0]),
 *  so records are created through web_save on an empty recordset, the web client's own create path. */
async function create(odoo: OdooClient, model: string, vals: Record<string, unknown>, context?: Context): Promise<number> {
  const rows = (await odoo.executeOn(model, "web_save", [], { vals, specification: {}, ...(context && { context }) })) as Row[];
  return rows[0]!.id;
}

/** Calls a record method for its effect (many return None, which the client reads as null). */
async function callVoid(odoo: OdooClient, model: string, method: string, ids: number[], params: Record<string, unknown> = {}): Promise<void> {
  await odoo.executeOn(model, method, ids, params);
}

async function write(odoo: OdooClient, model: string, ids: number[], vals: Record<string, unknown>): Promise<void> {
  if (ids.length) await odoo.executeOn(model, "write", ids, { vals });
}

async function findId(odoo: OdooClient, model: string, domain: Domain, context?: Context): Promise<number | undefined> {
  return ((await odoo.execute(model, "search", { domain, limit: 1, ...(context && { context }) })) as number[])[0];
}

async function findOrCreate(odoo: OdooClient, model: string, domain: Domain, vals: Record<string, unknown>): Promise<number> {
  return (await findId(odoo, model, domain)) ?? create(odoo, model, vals);
}

const m2oId = (value: unknown): number => (Array.isArray(value) ? Number(value[0]) : 0);

// ---------- master data (found or created) ----------

async function ensureProducts(odoo: OdooClient): Promise<number[]> {
  return Promise.all(PRODUCTS.map((p) => findOrCreate(odoo, "product.product", [["default_code", "=", p.code]], {
    name: p.name, default_code: p.code, type: "consu", is_storable: true, list_price: p.price, weight: p.weight, sale_ok: true,
  })));
}

/** Tops stock up through the public inventory flow: a quant in inventory mode, then action_apply_inventory. */
async function ensureStock(odoo: OdooClient, productIds: number[], locationId: number): Promise<number> {
  const context = { location: locationId };
  const rows = await odoo.executeOn("product.product", "read", productIds, { fields: ["qty_available", "free_qty"], context }) as Row[];
  let adjusted = 0;
  for (const row of rows.filter((r) => Number(r.free_qty) < MIN_FREE_QTY)) {
    const quant = await create(odoo, "stock.quant",
      { product_id: row.id, location_id: locationId, inventory_quantity: Number(row.qty_available) + TOP_UP_QTY },
      { inventory_mode: true });
    await callVoid(odoo, "stock.quant", "action_apply_inventory", [quant]);
    adjusted++;
  }
  return adjusted;
}

async function ensureCustomers(odoo: OdooClient, countryIds: Record<string, number>): Promise<Customer[]> {
  return Promise.all(CUSTOMERS.map(async (c) => ({
    country: c.country,
    id: await findOrCreate(odoo, "res.partner", [["name", "=", c.name]], {
      name: c.name, is_company: true, street: "1 Dock Road", city: c.city, zip: c.zip, country_id: countryIds[c.country],
      email: `${c.name.slice(PREFIX.length).toLowerCase().replace(/\W+/g, ".")}@example.com`,
    }),
  })));
}

/** A flat-rate carrier for everyone, and a rules carrier whose country restriction (country_ids: rules themselves
 *  have no country) only lets US addresses through: base_on_rule_send_shipping raises on any other address. */
async function ensureCarriers(odoo: OdooClient, usId: number): Promise<Carrier[]> {
  const shipping = await findOrCreate(odoo, "product.product", [["default_code", "=", "WL-SHIP"]],
    { name: "WL-Shipping", default_code: "WL-SHIP", type: "service", list_price: 10, sale_ok: false });
  const base = { product_id: shipping, integration_level: "rate_and_ship" };
  const flat = await findOrCreate(odoo, "delivery.carrier", [["name", "=", "WL-Flat rate"]],
    { ...base, name: "WL-Flat rate", delivery_type: "fixed", fixed_price: 10 });
  const rules = await findOrCreate(odoo, "delivery.carrier", [["name", "=", "WL-US rules"]], {
    ...base, name: "WL-US rules", delivery_type: "base_on_rule", country_ids: [[6, 0, [usId]]],
    price_rule_ids: [
      [0, 0, { variable: "quantity", operator: "<=", max_value: 10, list_base_price: 9 }],
      [0, 0, { variable: "quantity", operator: ">", max_value: 10, list_base_price: 9, list_price: 0.5, variable_factor: "quantity" }],
    ],
  });
  return [{ id: flat, name: "WL-Flat rate", countries: [] }, { id: rules, name: "WL-US rules", countries: ["US"] }];
}

const carrierWillRefuse = (o: Order) => o.carrier.countries.length > 0 && !o.carrier.countries.includes(o.customer.country);

// ---------- sales ----------

/** Orders over random customers and carriers; a third promise a date, half of those already past. */
async function createOrders(odoo: OdooClient, rnd: Random, n: number, run: string, customers: Customer[], carriers: Carrier[],
  productIds: number[]): Promise<Order[]> {
  const orders: Order[] = [];
  for (let i = 1; i <= n; i++) {
    const [customer, carrier] = [rnd.pick(customers), rnd.pick(carriers)];
    // Quantities >= 2 so that a partial validation can always ship half and leave a backorder.
    const lines = Array.from({ length: rnd.int(1, 3) }, () => [0, 0, { product_id: rnd.pick(productIds), product_uom_qty: rnd.int(2, 6) }]);
    const vals: Record<string, unknown> = { partner_id: customer.id, carrier_id: carrier.id, client_order_ref: `${PREFIX}${run}-${i}`, order_line: lines };
    if (rnd.chance(0.33)) vals.commitment_date = utc(rnd.chance(0.5) ? -rnd.int(1, 5) : rnd.int(1, 7));
    orders.push({ id: await create(odoo, "sale.order", vals), customer, carrier });
  }
  return orders;
}

async function openDeliveries(odoo: OdooClient, orders: Order[]): Promise<Picking[]> {
  const byId = new Map(orders.map((o) => [o.id, o]));
  const rows = await odoo.searchRead("stock.picking", [
    ["sale_id", "in", [...byId.keys()]], ["picking_type_code", "=", "outgoing"], ["state", "not in", ["done", "cancel"]],
  ], ["name", "state", "sale_id"], { order: "id" }) as Row[];
  return rows.map((r) => ({ id: r.id, name: String(r.name), state: String(r.state), order: byId.get(m2oId(r.sale_id))! }));
}

// ---------- deliveries ----------

/** Sets the picked quantity of every open move: the whole demand, or half of it to leave a backorder. */
async function pickQuantities(odoo: OdooClient, pickingIds: number[], share: "all" | "half"): Promise<void> {
  const moves = await odoo.searchRead("stock.move", [["picking_id", "in", pickingIds], ["state", "not in", ["done", "cancel"]]], ["product_uom_qty"]) as Row[];
  for (const move of moves) {
    const demand = Number(move.product_uom_qty);
    await write(odoo, "stock.move", [move.id], { quantity: share === "all" ? demand : Math.max(1, Math.floor(demand / 2)), picked: true });
  }
}

/** button_validate (or a wave's action_done) answers True, a report action, or the backorder wizard when less
 *  than the demand is picked; the wizard is answered "create backorder", as a user would. */
async function answerValidation(odoo: OdooClient, answer: unknown): Promise<void> {
  const action = answer as { res_model?: string; context?: Context } | null;
  if (action?.res_model !== "stock.backorder.confirmation") return;
  const wizard = await create(odoo, "stock.backorder.confirmation", {}, action.context);
  await odoo.executeOn("stock.backorder.confirmation", "process", [wizard], { context: action.context });
}

async function validate(odoo: OdooClient, picking: Picking, share: "all" | "half"): Promise<void> {
  await pickQuantities(odoo, [picking.id], share);
  await answerValidation(odoo, await odoo.executeOn("stock.picking", "button_validate", [picking.id]));
}

/** The carrier refuses the label inside button_validate, so Odoo rolls the whole validation back. */
async function showRefusedLabel(odoo: OdooClient, picking: Picking): Promise<string> {
  try {
    await validate(odoo, picking, "all");
    return `unexpected: ${picking.name} validated although its carrier does not serve ${picking.order.customer.country}`;
  } catch (err) {
    const [after] = await odoo.searchRead("stock.picking", [["id", "=", picking.id]], ["state"]) as Row[];
    const msg = `${picking.name} (${picking.order.carrier.name} to ${picking.order.customer.country}) refused: ${(err as Error).message}; state still ${after?.state}`;
    log(msg);
    return msg;
  }
}

/** Pushes open deliveries into the past (scheduled date and deadline) so that Odoo's "Late" filter shows them. */
async function makeLate(odoo: OdooClient, rnd: Random, pickings: Picking[]): Promise<void> {
  for (const p of pickings) {
    await write(odoo, "stock.picking", [p.id], { scheduled_date: utc(-rnd.int(2, 6)) });
    const moves = await odoo.execute("stock.move", "search", { domain: [["picking_id", "=", p.id]] }) as number[];
    await write(odoo, "stock.move", moves, { date_deadline: utc(-rnd.int(1, 3)) });
  }
}

// ---------- waves ----------

/** A wave made the way users make one: the stock.add.to.wave wizard on the pickings' move lines. */
async function createWave(odoo: OdooClient, pickings: Picking[], description: string): Promise<number> {
  const lineIds = await odoo.execute("stock.move.line", "search", { domain: [["picking_id", "in", pickings.map((p) => p.id)]] }) as number[];
  const context = { active_model: "stock.move.line", active_ids: lineIds };
  const wizard = await create(odoo, "stock.add.to.wave", { mode: "new", line_ids: [[6, 0, lineIds]] }, context);
  await callVoid(odoo, "stock.add.to.wave", "attach_pickings", [wizard], { context });
  // attach_pickings returns nothing; the lines now carry the new wave (batch_id is stored on move lines).
  const [line] = await odoo.searchRead("stock.move.line", [["id", "in", lineIds]], ["batch_id"], { limit: 1 }) as Row[];
  const wave = m2oId(line?.batch_id);
  if (!wave) throw new Error(`the add-to-wave wizard made no wave for ${pickings.map((p) => p.name).join(", ")}`);
  await write(odoo, "stock.picking.batch", [wave], { description });
  return wave;
}

// ---------- background jobs and mail ----------

/** One scheduled action that always raises, due now, every minute: the cron worker fails it and counts failures. */
async function ensureFailingCron(odoo: OdooClient): Promise<{ id: number; created: boolean }> {
  const existing = await findId(odoo, "ir.cron", [["cron_name", "=", CRON_NAME]], { active_test: false });
  if (existing) return { id: existing, created: false };
  const model = await findId(odoo, "ir.model", [["model", "=", "res.partner"]]);
  const id = await create(odoo, "ir.cron", {
    name: CRON_NAME, model_id: model, state: "code", code: 'raise UserError("WL failing job")',
    interval_number: 1, interval_type: "minutes", nextcall: utc(-10 / 1440), active: true,
  });
  return { id, created: true };
}

/** Outgoing mail left for the hourly queue job; with no SMTP server Odoo marks it exception when it tries. */
async function queueMails(odoo: OdooClient, run: string, count: number): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => create(odoo, "mail.mail", {
    subject: `${PREFIX}${run} delivery notice ${i + 1}`, email_to: `wl-customer-${i + 1}@example.com`,
    body_html: `<p>Your order ships soon (${PREFIX}${run}).</p>`, state: "outgoing",
  })));
}

// ---------- the run ----------

function connect(): Promise<OdooClient> {
  const env = process.env;
  return OdooClient.connect({
    url: env.ODOO_URL ?? "http://127.0.0.1:8069", db: env.ODOO_DB ?? "logistics", user: env.ODOO_USER ?? "admin",
    credential: new Secret(env.ODOO_PASSWORD ?? "admin"), timeoutMs: 120_000,
  }, { retries: 0, baseDelayMs: 0 }); // no blind retries: a timed-out validation may have committed, a retry would repeat it
}

/** About half of the confirmed deliveries are shipped: one refused by its carrier, two partially, the rest fully. */
async function shipHalf(odoo: OdooClient, rnd: Random, confirmed: Order[]) {
  const open = rnd.shuffle(await openDeliveries(odoo, confirmed));
  const toShip = open.slice(0, Math.ceil(open.length / 2));
  const refusable = toShip.find((p) => carrierWillRefuse(p.order));
  const shipped = toShip.filter((p) => !carrierWillRefuse(p.order));
  const refused = refusable ? await showRefusedLabel(odoo, refusable) : "no order went to a country its carrier refuses";
  for (const [i, p] of shipped.entries()) await validate(odoo, p, i < 2 ? "half" : "all");
  log(`${shipped.length} deliveries validated (${Math.min(2, shipped.length)} partially)`);
  return { toShip, shipped: shipped.length, partial: Math.min(2, shipped.length), refused };
}

/** Two waves from Ready pickings whose carrier will accept them: one shipped (done), one open and already late. */
async function buildWaves(odoo: OdooClient, ready: Picking[], run: string): Promise<Row[]> {
  const waves: number[] = [];
  const [shipped, late] = [ready.slice(0, 3), ready.slice(3, 6)];
  if (shipped.length) {
    const wave = await createWave(odoo, shipped, `${PREFIX}${run} wave shipped`);
    await pickQuantities(odoo, shipped.map((p) => p.id), "all");
    await answerValidation(odoo, await odoo.executeOn("stock.picking.batch", "action_done", [wave]));
    waves.push(wave);
  }
  if (late.length) {
    // The wave's scheduled date is stored and writable; its pickings move too, so that both tell the same story.
    const wave = await createWave(odoo, late, `${PREFIX}${run} wave late`);
    await write(odoo, "stock.picking", late.map((p) => p.id), { scheduled_date: utc(-2) });
    await write(odoo, "stock.picking.batch", [wave], { scheduled_date: utc(-2) });
    waves.push(wave);
  }
  const rows = await odoo.searchRead("stock.picking.batch", [["id", "in", waves]], ["name", "state", "scheduled_date"], { order: "id" }) as Row[];
  if (shipped.length && rows[0]?.state !== "done") throw new Error(`wave ${rows[0]?.name} should be done after validation, is ${rows[0]?.state}`);
  return rows;
}

async function main(): Promise<void> {
  const opts = options();
  const rnd = random(opts.seed);
  const run = Date.now().toString(36).toUpperCase();
  const odoo = await connect();
  if (odoo.version.major !== 18) log(`written for Odoo 18, this server is ${odoo.version.label}`);

  const countries = await odoo.searchRead("res.country", [["code", "in", ["US", "BE"]]], ["code"]) as Row[];
  const countryIds = Object.fromEntries(countries.map((c) => [String(c.code), c.id]));
  const [warehouse] = await odoo.searchRead("stock.warehouse", [], ["lot_stock_id"], { limit: 1, order: "id" }) as Row[];
  if (!warehouse || !countryIds.US || !countryIds.BE) throw new Error("no warehouse, or countries US/BE missing");
  const productIds = await ensureProducts(odoo);
  const stockAdjustments = await ensureStock(odoo, productIds, m2oId(warehouse.lot_stock_id));
  const customers = await ensureCustomers(odoo, countryIds);
  const carriers = await ensureCarriers(odoo, countryIds.US);

  const orders = await createOrders(odoo, rnd, opts.orders, run, customers, carriers, productIds);
  const quotations = Math.max(2, Math.round(opts.orders * 0.15)); // some stay quotations: quote->confirm needs both
  const confirmed = orders.slice(quotations);
  await odoo.executeOn("sale.order", "action_confirm", confirmed.map((o) => o.id));
  log(`${orders.length} orders, ${confirmed.length} confirmed`);

  const shipping = await shipHalf(odoo, rnd, confirmed);
  const rest = (await openDeliveries(odoo, confirmed)).filter((p) => !shipping.toShip.some((s) => s.id === p.id));
  const ready = rest.filter((p) => p.state === "assigned" && !carrierWillRefuse(p.order));
  const waves = await buildWaves(odoo, ready, run);
  const late = rest.filter((p) => !ready.slice(0, 6).includes(p)).slice(0, 4);
  await makeLate(odoo, rnd, late);
  const cron = await ensureFailingCron(odoo);
  const mails = await queueMails(odoo, run, 3);

  console.log(JSON.stringify({
    run: `${PREFIX}${run}`, seed: opts.seed, server: odoo.version.label,
    masterData: { products: productIds.length, customers: customers.length, carriers: carriers.length, stockAdjustments },
    created: {
      orders: orders.length, quotations, confirmed: confirmed.length, deliveriesValidated: shipping.shipped,
      partialWithBackorder: shipping.partial, waves: waves.length, latePickings: late.length, mails: mails.length,
      cron: cron.created ? "created" : "existing",
    },
    refusedByCarrier: shipping.refused,
    latePickingIds: late.map((p) => p.id),
    waves: waves.map((w) => ({ id: w.id, name: w.name, state: w.state, scheduled_date: w.scheduled_date })),
    cronId: cron.id, rpcCalls: odoo.calls,
  }, null, 2));
}

main().catch((err: unknown) => {
  console.error(`workload: FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
