import type { Secret } from "../config/secret.ts";
import type { Journey } from "./journey.ts";
import { StepFailure } from "./journey.ts";
import { assetsStep } from "./assets.ts";
import { assetBundles, csrfToken, loginRefusal } from "./page.ts";
import type { WebSession } from "./session.ts";

interface WarehouseState {
  csrf?: string;
  assets: string[];
  deliveryId?: number;
}

/** The Inventory app as a warehouse user opens it (Odoo 18 routes). */
const INVENTORY_PATH = "/odoo/inventory";

/** The fields the Inventory overview's kanban cards ask for: the counts on each operation type. */
const OVERVIEW_SPEC = { display_name: {}, code: {}, count_picking_ready: {}, count_picking_waiting: {}, count_picking_late: {}, count_picking_backorders: {} };
const READY_DELIVERIES = [["picking_type_code", "=", "outgoing"], ["state", "=", "assigned"]];
const DELIVERY_LIST_SPEC = { name: {}, partner_id: { fields: { display_name: {} } }, scheduled_date: {}, origin: {}, state: {} };
const DELIVERY_FORM_SPEC = {
  name: {}, state: {}, partner_id: { fields: { display_name: {} } }, scheduled_date: {}, origin: {},
  move_ids_without_package: { fields: { product_id: { fields: { display_name: {} } }, product_uom_qty: {}, quantity: {}, state: {} } },
};

/**
 * A warehouse user's morning: log in through the login form, load the web client and its asset bundles, open the
 * Inventory overview, search the deliveries ready to ship, open the first, log out. Nothing is printed or written.
 * Each step asks what the browser asks, so a broken login, a failing bundle, a locked table or a saturated worker
 * pool fails or slows the step a person would be stuck on.
 */
export function warehouseJourney(db: string, login: string, password: Secret): Journey<WarehouseState> {
  return {
    name: "warehouse",
    start: () => ({ assets: [] }),
    steps: [
      {
        name: "login_page",
        async run(session, state) {
          const page = await session.get(`/web/login?db=${encodeURIComponent(db)}`);
          if (page.status !== 200) throw new StepFailure(`the login page answered HTTP ${page.status}`);
          state.csrf = csrfToken(page.body);
          if (!state.csrf) throw new StepFailure("the login page has no login form (no csrf_token)");
        },
      },
      {
        name: "login",
        async run(session, state) {
          const answer = await session.postForm("/web/login", { login, password: password.reveal(), csrf_token: state.csrf!, redirect: INVENTORY_PATH });
          if (answer.status === 200) throw new StepFailure(`login refused: ${loginRefusal(answer.body) ?? "the login page came back"}`);
          if (answer.status !== 303 && answer.status !== 302) throw new StepFailure(`login answered HTTP ${answer.status}`);
          if (answer.location && /\/web\/login/.test(new URL(answer.location).pathname)) throw new StepFailure("login sent back to the login page");
        },
      },
      {
        name: "web_client",
        async run(session, state) {
          const page = await session.get(INVENTORY_PATH);
          if (page.status !== 200) throw new StepFailure(`${INVENTORY_PATH} answered HTTP ${page.status}${page.location ? ` to ${new URL(page.location).pathname}` : ""}`);
          state.assets = assetBundles(page.body);
          if (!state.assets.some((a) => a.endsWith(".js"))) throw new StepFailure("the web client page loads no script bundle");
        },
      },
      assetsStep(),
      {
        name: "inventory_overview",
        async run(session) {
          await session.callKw("stock.picking.type", "web_search_read", [], { domain: [], specification: OVERVIEW_SPEC, limit: 80 });
        },
      },
      {
        name: "ready_deliveries",
        async run(session, state) {
          const found = await session.callKw<{ records: Array<{ id: number }> }>("stock.picking", "web_search_read", [], {
            domain: READY_DELIVERIES, specification: DELIVERY_LIST_SPEC, limit: 80, order: "scheduled_date asc", count_limit: 10001,
          });
          state.deliveryId = found.records[0]?.id;
        },
      },
      {
        name: "open_delivery",
        async run(session, state) {
          // No delivery ready is a quiet warehouse, not a failure: the step then has nothing to open.
          if (state.deliveryId === undefined) return;
          const [record] = await session.callKw<Array<{ id: number }>>("stock.picking", "web_read", [[state.deliveryId]], { specification: DELIVERY_FORM_SPEC });
          if (!record) throw new StepFailure(`delivery ${state.deliveryId} could not be read`);
        },
      },
      { name: "logout", run: logOut },
    ],
    cleanUp: logOut,
  };
}

async function logOut(session: WebSession): Promise<void> {
  const answer = await session.get("/web/session/logout");
  if (answer.status >= 400) throw new StepFailure(`logout answered HTTP ${answer.status}`);
}

