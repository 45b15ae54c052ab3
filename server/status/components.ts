/**
 * The status page's components: what a logistics customer and its operator recognise (orders, deliveries, waves,
 * carrier labels...), each made of the SLIs that measure it. Pure: which component a reading or an alert speaks
 * of, from its SLI id, its labels and whose it is (the tenant's own, or the shared infrastructure's "global").
 */

export type ComponentId = "odoo" | "orders" | "deliveries" | "waves" | "carriers" | "jobs" | "database" | "journeys";

export interface ComponentDefinition {
  id: ComponentId;
  name: string;
  /** Read from the tenant's Odoo: while Odoo cannot be reached, its readings are not news but an outage. */
  fromOdoo: boolean;
}

/** In the order the page shows them: reachability first, then the flow of goods, then what carries it. */
export const COMPONENTS: readonly ComponentDefinition[] = [
  { id: "odoo", name: "Odoo reachable", fromOdoo: true },
  { id: "orders", name: "Orders", fromOdoo: true },
  { id: "deliveries", name: "Deliveries", fromOdoo: true },
  { id: "waves", name: "Waves", fromOdoo: true },
  { id: "carriers", name: "Carrier labels", fromOdoo: true },
  { id: "jobs", name: "Scheduled jobs and mail", fromOdoo: true },
  { id: "database", name: "Database", fromOdoo: false },
  { id: "journeys", name: "User journeys", fromOdoo: true },
];

/** The collector whose sampling_up says whether the tenant's Odoo answers. */
export const ODOO_SOURCE = "odoo_business";

const DELIVERY_SLIS: ReadonlySet<string> = new Set(["on_time_delivery_ratio", "late_open_deliveries"]);

/**
 * The component an SLI of a tenant (or of the shared infrastructure, `global`) belongs to; undefined for signals
 * the status page does not show (security, capacity, hosts...). Of the shared infrastructure, only the database
 * server's signals are every tenant's concern.
 */
export function componentOf(sli: string, labels: Readonly<Record<string, string>>, owner: "tenant" | "global"): ComponentId | undefined {
  // A tenant's share of the server is not a state: alone on a server, a tenant holds 100% of it.
  if (sli === "pg_tenant_share") return undefined;
  if (sli.startsWith("pg_")) return "database";
  if (owner === "global") return undefined;
  if (sli === "sampling_up") return labels.source === ODOO_SOURCE ? "odoo" : undefined;
  if (sli.startsWith("order_")) return "orders";
  if (DELIVERY_SLIS.has(sli) || sli.startsWith("delivery_") || sli.startsWith("ready_backlog")) return "deliveries";
  if (sli.startsWith("wave_") || sli === "late_open_waves") return "waves";
  if (sli.startsWith("label_")) return "carriers";
  if (sli.startsWith("cron_") || sli.startsWith("queue_job_") || sli.startsWith("mail_")) return "jobs";
  if (sli.startsWith("journey_")) return "journeys";
  return undefined;
}

export function componentDefinition(id: ComponentId): ComponentDefinition {
  return COMPONENTS.find((c) => c.id === id)!;
}
