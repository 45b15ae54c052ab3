import type { Config, Tenant } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { digestMail } from "../report/digest-mail.ts";
import { dueDigest } from "../report/week.ts";
import type { Objectives } from "../sli/objectives.ts";
import type { Store } from "../store/store.ts";
import { loadDigest } from "./reports.ts";

const EVERY_MS = 5 * 60_000;
/** A digest the backend could not send on its day (it was down) still goes out within this long; later it is stale. */
const LATE_MS = 2 * 86_400_000;
const CURSOR = "weekly-digest";

export interface DigestScheduleDeps {
  store: Store;
  objectives: Objectives;
  log: Logger;
  /** Delivery pass now: the digest should not wait for the outbox timer. */
  nudge: () => void;
  dashboardUrl: (tenant: string) => string | undefined;
  everyMs?: number;
}

/** Each tenant's digest recipients: the addresses for every tenant, then the tenant's own, once each. */
export function digestRecipients(config: Pick<Config, "digest">, tenant: string): string[] {
  return [...new Set([...config.digest.recipients, ...(config.digest.tenantRecipients[tenant] ?? [])])];
}

/**
 * Writes each tenant's weekly digest to the outbox once its weekday and hour have come in the digest's zone. Exactly
 * once per tenant, week and recipient, across restarts: the outbox's idempotency key refuses a second copy, and a
 * cursor per tenant remembers the last week written so that later checks read nothing. Checked at start and every
 * five minutes on the monotonic clock. Returns a stop function that waits for a check in flight.
 */
export function startDigests(config: Config, tenants: readonly Tenant[], deps: DigestScheduleDeps): () => Promise<void> {
  const schedule = { weekday: config.digest.weekday, hour: config.digest.hour, timezone: config.digest.timeZone };
  const wanted = tenants.filter((t) => digestRecipients(config, t.name).length > 0);
  if (!wanted.length) return async () => {};
  if (!config.alerts.smtp) {
    deps.log.warn({ tenants: wanted.map((t) => t.name) }, "weekly digest recipients are set but alerts.smtp is not: no digest is sent");
    return async () => {};
  }
  let busy = false;
  let inFlight: Promise<void> = Promise.resolve();
  const check = async (): Promise<void> => {
    if (busy) return inFlight;
    busy = true;
    try {
      const now = Date.now();
      const { sendAt, week } = dueDigest(now, schedule);
      if (now - sendAt > LATE_MS) return;
      let written = 0;
      for (const t of wanted) {
        if ((await deps.store.getCursor<{ weekEnd: string }>(t.name, CURSOR))?.weekEnd === week.weekEnd) continue;
        const digest = await loadDigest(deps, t.name, week, schedule.timezone, now);
        const mail = digestMail(digest, deps.dashboardUrl(t.name));
        for (const recipient of digestRecipients(config, t.name)) {
          const key = `digest/${t.name}/${week.weekEnd}/${recipient}`;
          if (await deps.store.outbox.enqueue({ idempotencyKey: key, channel: "smtp", recipient, subject: mail.subject, body: mail.text, html: mail.html, groupKey: `digest/${t.name}/${week.weekEnd}` })) written++;
        }
        await deps.store.setCursor(t.name, CURSOR, { weekEnd: week.weekEnd });
        deps.log.info({ tenant: t.name, weekEnd: week.weekEnd, incidents: digest.incidents.count }, "weekly digest written to the outbox");
      }
      if (written) deps.nudge();
    } catch (err) {
      deps.log.error({ err: String(err) }, "weekly digest failed; tried again in five minutes");
    } finally {
      busy = false;
    }
  };
  const run = () => {
    inFlight = check();
  };
  run();
  const timer = setInterval(run, deps.everyMs ?? EVERY_MS);
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}
