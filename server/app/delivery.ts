import type { Config, Tenant } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { deliverDue, type Channels } from "../notify/dispatcher.ts";
import { OdooAlertSink } from "../notify/odoo.ts";
import { SmtpNotifier } from "../notify/smtp.ts";
import type { Store } from "../store/store.ts";

const EVERY_MS = 15_000;

export interface Delivery {
  stop(): void;
  /** A pass now: an evaluation has just written notifications, and a page should not wait for the timer. */
  nudge(): void;
  /** The tenant's service levels have just been judged: its Odoo notes it (at most one call in flight per tenant). */
  heartbeat(tenant: string): void;
}

/**
 * Delivers the outbox every 15 s: alert records to the tenants' Odoo (when their addon is installed) and email
 * over SMTP when `alerts.smtp` is configured (otherwise SMTP notifications wait in the outbox). One pass at a
 * time, and one at once when nudged after an evaluation.
 */
export function startDelivery(config: Config, tenants: readonly Tenant[], store: Store, log: Logger, everyMs = EVERY_MS): Delivery {
  const smtp = config.alerts.smtp && new SmtpNotifier(config.alerts.smtp);
  const real = tenants.filter((t) => !t.demo);
  const odoo = real.length ? new OdooAlertSink(real) : undefined;
  const channels: Channels = {
    smtp,
    odoo,
    fallbackRecipients: config.alerts.recipients,
    maxPerRecipientPerHour: config.alerts.maxPerRecipientPerHour,
  };
  const heartbeat = odoo ? heartbeats(odoo, config.sampling.intervalSeconds, log) : () => {};
  if (!channels.smtp && !channels.odoo) return { stop: () => {}, nudge: () => {}, heartbeat };
  let busy = false;
  let again = false;
  const pass = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const tally = await deliverDue(store.outbox, channels, new Date());
        if (tally.sent || tally.retried || tally.failed) log.info(tally, "notifications delivered");
      } while (again);
    } catch (err) {
      log.error({ err: String(err) }, "notification delivery pass failed");
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void pass(), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      smtp?.close();
    },
    nudge: () => void pass(),
    heartbeat,
  };
}

/**
 * Heartbeats to the tenants' Odoo, without waiting on them: a slow Odoo gets one call at a time, a missed beat is
 * simply late (nothing to retry). A failure is logged when it starts or changes, not every cycle.
 */
function heartbeats(odoo: OdooAlertSink, intervalSeconds: number, log: Logger): (tenant: string) => void {
  const inFlight = new Set<string>();
  const failing = new Map<string, string>();
  return (tenant) => {
    if (inFlight.has(tenant)) return;
    inFlight.add(tenant);
    odoo
      .heartbeat(tenant, intervalSeconds)
      .then(
        () => {
          if (failing.delete(tenant)) log.info({ tenant }, "Odoo heartbeat recorded again");
        },
        (err: unknown) => {
          const why = err instanceof Error ? err.message : String(err);
          if (failing.get(tenant) !== why) log.warn({ tenant, err: why }, "Odoo heartbeat failed: its alert records will say that the backend stopped reporting");
          failing.set(tenant, why);
        },
      )
      .finally(() => inFlight.delete(tenant));
  };
}
