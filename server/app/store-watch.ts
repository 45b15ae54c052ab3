import type { Config } from "../config/load.ts";
import type { Runner } from "../collectors/runner.ts";
import type { Logger } from "../log/logger.ts";
import { SmtpNotifier } from "../notify/smtp.ts";

/**
 * The one alert that cannot go through the outbox: the outbox lives in the store. When runs have not reached the
 * store for two intervals, the operations addresses get a page by direct SMTP, once per outage, and a resolution
 * when writes are back. Returns the function that stops the watch.
 */
export function watchStore(config: Config, runner: Runner, log: Logger, everyMs = config.sampling.intervalSeconds * 1000): () => void {
  const smtp = config.alerts.smtp && config.alerts.recipients.length ? new SmtpNotifier(config.alerts.smtp) : undefined;
  let failingSince: number | null = null;
  let paged: number | null = null;
  const send = async (key: string, subject: string, body: string) => {
    if (!smtp) return log.error({ subject }, "no alerts.smtp and recipients: the store outage is only in this log and /readyz");
    for (const recipient of config.alerts.recipients) {
      await smtp.send({ idempotencyKey: `${key}/${recipient}`, channel: "smtp", recipient, subject, body }).catch((err) => log.error({ err: String(err), recipient }, "store outage page not sent"));
    }
  };
  const timer = setInterval(() => {
    const h = runner.storeHealth();
    const now = Date.now();
    if (!h.ok) {
      failingSince ??= now;
      if (paged === null && now - failingSince >= 2 * everyMs) {
        paged = failingSince;
        void send(`store/${paged}/down`, `[PAGE] monitor: the store is failing: ${h.error ?? "writes fail"}`.slice(0, 200),
          `Runs have not reached the store since ${new Date(failingSince).toISOString()}: ${h.error}.\n${h.heldRuns} runs are held in memory (${h.droppedRuns} dropped); ` +
          "alerts are not evaluated and notifications wait until it is back. This page is sent directly, not through the outbox.");
      }
      return;
    }
    if (paged !== null) {
      void send(`store/${paged}/up`, "[RESOLVED] monitor: the store takes writes again", `Store writes failed from ${new Date(paged).toISOString()} to ${new Date(now).toISOString()}; held runs were written.`);
    }
    failingSince = null;
    paged = null;
  }, Math.min(everyMs, 15_000));
  return () => {
    clearInterval(timer);
    smtp?.close();
  };
}
