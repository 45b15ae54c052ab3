import type { Config } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { deliverDue } from "../notify/dispatcher.ts";
import { SmtpNotifier } from "../notify/smtp.ts";
import type { Store } from "../store/store.ts";

const EVERY_MS = 15_000;

/**
 * Delivers the outbox over SMTP every 15 s when `alerts.smtp` is configured (otherwise notifications wait in the
 * outbox). One pass at a time; returns the function that stops it.
 */
export function startDelivery(config: Config, store: Store, log: Logger): () => void {
  const smtp = config.alerts.smtp;
  if (!smtp) return () => {};
  const notifier = new SmtpNotifier(smtp);
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const tally = await deliverDue(store.outbox, notifier, new Date());
      if (tally.sent || tally.retried || tally.failed) log.info(tally, "notifications delivered");
    } catch (err) {
      log.error({ err: String(err) }, "notification delivery pass failed");
    } finally {
      busy = false;
    }
  }, EVERY_MS);
  return () => {
    clearInterval(timer);
    notifier.close();
  };
}
