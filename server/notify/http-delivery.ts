import type { AlertmanagerPost } from "../alerts/alertmanager-alert.ts";
import type { Outbox, OutboxRow } from "../store/outbox.ts";
import { AlertmanagerNotifier, MAX_BATCH } from "./alertmanager.ts";
import { nextAttemptAt, settleFailure, type RetryPolicy, type Tally } from "./dispatcher.ts";
import { DeliveryError } from "./smtp.ts";
import type { WebhookNotifier } from "./webhook.ts";

/**
 * Alertmanager rows are superseded by the alert's next post within a resend interval, and a firing post is good
 * for four of them: a short, bounded backoff.
 */
export const ALERTMANAGER_RETRY: RetryPolicy = { baseSeconds: 5, maxSeconds: 60, maxAttempts: 12 };
/** A webhook receiver may be down for hours: retried from 30 s up to every half hour, for about a day. */
export const WEBHOOK_RETRY: RetryPolicy = { baseSeconds: 30, maxSeconds: 1800, maxAttempts: 60 };

/**
 * One pass over the due Alertmanager posts: one request per Alertmanager with up to 64 alerts, all marked by its
 * answer. An Alertmanager that fails leaves the others untouched.
 */
export async function deliverToAlertmanager(outbox: Outbox, am: AlertmanagerNotifier, now: Date, tally: Tally): Promise<void> {
  const due = await outbox.due(now, 500, "alertmanager");
  const byUrl = new Map<string, OutboxRow[]>();
  for (const row of due) byUrl.set(row.recipient, [...(byUrl.get(row.recipient) ?? []), row]);
  for (const [url, rows] of byUrl) {
    for (let i = 0; i < rows.length; i += MAX_BATCH) {
      const batch = rows.slice(i, i + MAX_BATCH);
      try {
        await am.post(url, batch.map((r) => JSON.parse(r.body) as AlertmanagerPost), now.getTime());
        for (const r of batch) await outbox.markSent(r.id, now);
        tally.sent += batch.length;
      } catch (err) {
        for (const r of batch) await settleFailure(outbox, r, err, now, ALERTMANAGER_RETRY, tally);
        // The rest for this Alertmanager would wait on the same timeout: they go with the next attempt.
        for (const r of rows.slice(i + MAX_BATCH)) await outbox.defer(r.id, nextAttemptAt(now, r.attempts + 1, ALERTMANAGER_RETRY));
        break;
      }
    }
  }
}

/**
 * One pass over the due webhook notifications, each its own POST (retried on its own with backoff). A webhook
 * found unreachable is not called again in the same pass: its other notifications wait for their next attempt.
 */
export async function deliverToWebhooks(outbox: Outbox, webhooks: WebhookNotifier, now: Date, tally: Tally): Promise<void> {
  const down = new Set<string>();
  for (const row of await outbox.due(now, 200, "webhook")) {
    if (down.has(row.recipient)) {
      await outbox.defer(row.id, nextAttemptAt(now, row.attempts + 1, WEBHOOK_RETRY));
      continue;
    }
    try {
      await webhooks.send(row);
      await outbox.markSent(row.id, now);
      tally.sent++;
    } catch (err) {
      if (err instanceof DeliveryError && err.unreachable) down.add(row.recipient);
      await settleFailure(outbox, row, err, now, WEBHOOK_RETRY, tally);
    }
  }
}
