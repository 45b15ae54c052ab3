import type { Tenant } from "../config/load.ts";
import { OdooClient } from "../odoo/client.ts";
import { OdooError } from "../odoo/errors.ts";
import { DeliveryError } from "./smtp.ts";

/** The addon's model and method that record an alert transition and mail its subscribers. */
export const ALERT_MODEL = "logistics.alert";
export const INCIDENT_MODEL = "logistics.incident";
export const RECORD_METHOD = "record_transitions";

/**
 * The primary notification path: the tenant's own Odoo records the alert (managers find it in their menus) and
 * mails the users subscribed in its settings with its mail.template. The addon deduplicates on the key, so
 * at-least-once delivery creates one record and one mail.
 */
export class OdooAlertSink {
  readonly #clients = new Map<string, Promise<OdooClient>>();

  constructor(
    private readonly tenants: readonly Tenant[],
    private readonly connect: (t: Tenant) => Promise<OdooClient> = (t) => OdooClient.connect(t, { retries: 0, baseDelayMs: 0 }),
  ) {}

  async record(tenant: string, notification: Record<string, unknown>, model: string = ALERT_MODEL): Promise<void> {
    const target = this.tenants.find((t) => t.name === tenant);
    if (!target) throw new DeliveryError(`odoo: no tenant named ${tenant} in the configuration`, false);
    try {
      let client = this.#clients.get(tenant);
      if (!client) this.#clients.set(tenant, (client = this.connect(target)));
      await (await client).execute(model, RECORD_METHOD, { notifications: [notification] });
    } catch (err) {
      this.#clients.delete(tenant);
      if (err instanceof OdooError) throw new DeliveryError(`odoo ${err.kind}: ${err.message}`, err.transient, err.transient);
      throw new DeliveryError(`odoo: ${err instanceof Error ? err.message : String(err)}`, true, true);
    }
  }
}
