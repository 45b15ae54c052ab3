import type { Config, Tenant } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { deliverDue, type Channels } from "../notify/dispatcher.ts";
import { OdooAlertSink } from "../notify/odoo.ts";
import { SmtpNotifier } from "../notify/smtp.ts";
import { AlertmanagerNotifier } from "../notify/alertmanager.ts";
import { WebhookNotifier } from "../notify/webhook.ts";
import type { OutputOptions } from "../alerts/outputs.ts";
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
    ...outputNotifiers(config),
  };
  const heartbeat = odoo ? heartbeats(odoo, config.sampling.intervalSeconds, log) : () => {};
  if (!channels.smtp && !channels.odoo && !channels.alertmanager && !channels.webhooks) return { stop: () => {}, nudge: () => {}, heartbeat };
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
 * Alertmanager and the webhooks as the evaluator writes for them: every Alertmanager URL a recipient, every webhook
 * by name. The dashboard of an alert is `alerts.alertmanager.dashboardUrl` for its tenant, else its Odoo's.
 */
export function outputOptions(config: Config, odooDashboard: (tenant: string) => string | undefined): OutputOptions {
  const am = config.alerts.alertmanager;
  return {
    ...(am && {
      alertmanager: {
        receivers: am.urls,
        resendSeconds: am.resendSeconds,
        dashboardUrl: (tenant: string) => (am.dashboardUrl ? am.dashboardUrl.replaceAll("{tenant}", encodeURIComponent(tenant)) : odooDashboard(tenant)),
      },
    }),
    webhooks: config.alerts.webhooks.map((w) => w.name),
  };
}

/**
 * The notifiers of Alertmanager and the webhooks. A firing alert is good for four times the longer of the resend
 * and sampling intervals (Prometheus's rule), so a post that is late by a round or two never resolves it.
 */
export function outputNotifiers(config: Config): Pick<Channels, "alertmanager" | "webhooks"> {
  const am = config.alerts.alertmanager;
  return {
    ...(am && { alertmanager: new AlertmanagerNotifier(am, 4 * Math.max(am.resendSeconds, config.sampling.intervalSeconds) * 1000) }),
    ...(config.alerts.webhooks.length && { webhooks: new WebhookNotifier(config.alerts.webhooks) }),
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
