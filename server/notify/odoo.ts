import type { Tenant } from "../config/load.ts";
import { OdooClient } from "../odoo/client.ts";
import { OdooError } from "../odoo/errors.ts";
import { DeliveryError } from "./smtp.ts";

/** The addon's model and method that record an alert transition and mail its subscribers. */
export const ALERT_MODEL = "logistics.alert";
export const INCIDENT_MODEL = "logistics.incident";
export const RECORD_METHOD = "record_transitions";

/** The addon's model and method that note the backend's report of a tenant, once per sampling cycle. */
export const HEARTBEAT_MODEL = "logistics.backend.heartbeat";
export const HEARTBEAT_METHOD = "record_heartbeat";
/** An addon without the heartbeat (an older version) is asked again after this long, so that an upgrade is noticed. */
const NO_HEARTBEAT_RECHECK_MS = 3_600_000;

/**
 * The primary notification path: the tenant's own Odoo records the alert (managers find it in their menus) and
 * mails the users subscribed in its settings with its mail.template. The addon deduplicates on the key, so
 * at-least-once delivery creates one record and one mail.
 */
export class OdooAlertSink {
  readonly #clients = new Map<string, Promise<OdooClient>>();
  readonly #noHeartbeatUntil = new Map<string, number>();

  constructor(
    private readonly tenants: readonly Tenant[],
    private readonly connect: (t: Tenant) => Promise<OdooClient> = (t) => OdooClient.connect(t, { retries: 0, baseDelayMs: 0 }),
  ) {}

  async record(tenant: string, notification: Record<string, unknown>, model: string = ALERT_MODEL): Promise<void> {
    try {
      await (await this.client(tenant)).execute(model, RECORD_METHOD, { notifications: [notification] });
    } catch (err) {
      throw this.failed(tenant, err);
    }
  }

  /**
   * Tells the tenant's Odoo that its service levels have just been judged (one small write per cycle): its alert
   * and incident records say so when this stops, since their states are then the last ones written. An addon
   * without the heartbeat is skipped, and asked again an hour later.
   */
  async heartbeat(tenant: string, intervalSeconds: number, now: number = Date.now()): Promise<void> {
    if ((this.#noHeartbeatUntil.get(tenant) ?? 0) > now) return;
    try {
      await (await this.client(tenant)).execute(HEARTBEAT_MODEL, HEARTBEAT_METHOD, { tenant, interval_seconds: intervalSeconds });
    } catch (err) {
      if (err instanceof OdooError && err.kind === "missing_model") {
        this.#noHeartbeatUntil.set(tenant, now + NO_HEARTBEAT_RECHECK_MS);
        return;
      }
      throw this.failed(tenant, err);
    }
  }

  /** One logged-in client per tenant, kept until a call fails. */
  private client(tenant: string): Promise<OdooClient> {
    const target = this.tenants.find((t) => t.name === tenant);
    if (!target) throw new DeliveryError(`odoo: no tenant named ${tenant} in the configuration`, false);
    let client = this.#clients.get(tenant);
    if (!client) this.#clients.set(tenant, (client = this.connect(target)));
    return client;
  }

  /** What a failed call means for delivery (retry or not, Odoo reachable or not); the client is dropped. */
  private failed(tenant: string, err: unknown): DeliveryError {
    if (err instanceof DeliveryError) return err;
    this.#clients.delete(tenant);
    if (err instanceof OdooError) return new DeliveryError(`odoo ${err.kind}: ${err.message}`, err.transient, err.transient);
    return new DeliveryError(`odoo: ${err instanceof Error ? err.message : String(err)}`, true, true);
  }
}
