import { DeliveryError } from "./smtp.ts";
import type { Outbox, OutboxMessage, OutboxRow } from "../store/outbox.ts";
import type { AlertmanagerNotifier } from "./alertmanager.ts";
import { deliverToAlertmanager, deliverToWebhooks } from "./http-delivery.ts";
import type { WebhookNotifier } from "./webhook.ts";

export interface Notifier {
  send(m: OutboxMessage): Promise<void>;
}

export interface AlertSink {
  /** `model`: logistics.alert (an alert record, usually without mail) or logistics.incident (the one mailed). */
  record(tenant: string, notification: Record<string, unknown>, model?: string): Promise<void>;
}

export interface RetryPolicy {
  baseSeconds: number;
  maxSeconds: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseSeconds: 60, maxSeconds: 3600, maxAttempts: 8 };
/** An Odoo may be down for a day; its alert records are still worth creating when it is back. */
export const ODOO_RETRY: RetryPolicy = { baseSeconds: 30, maxSeconds: 1800, maxAttempts: 60 };

export interface Channels {
  smtp?: Notifier;
  odoo?: AlertSink;
  /** Operations addresses that get the SMTP fallback when an Odoo cannot take its alert. */
  fallbackRecipients?: readonly string[];
  /** Emails per recipient per rolling hour; the rest wait and go out grouped. */
  maxPerRecipientPerHour?: number;
  /** Firing and resolved alerts to Alertmanager (alerts.alertmanager). */
  alertmanager?: AlertmanagerNotifier;
  /** Signed incident notifications (alerts.webhooks). */
  webhooks?: WebhookNotifier;
}

export interface Tally {
  sent: number;
  retried: number;
  failed: number;
}

/** When to try again after `attempts` failed attempts: exponential, capped. Pure. */
export function nextAttemptAt(now: Date, attempts: number, policy: RetryPolicy = DEFAULT_RETRY): Date {
  const seconds = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + seconds * 1000);
}

/** Several due notifications of one tenant and area for one recipient, as one email. Pure. */
export function groupEmail(rows: readonly OutboxRow[]): OutboxMessage {
  const first = rows[0]!;
  if (rows.length === 1) return first;
  return {
    idempotencyKey: `${first.idempotencyKey}+${rows.length}`,
    channel: "smtp",
    recipient: first.recipient,
    subject: `[${rows.length} alerts] ${first.groupKey}: ${rows.map((r) => r.subject).join("; ")}`.slice(0, 250),
    body: rows.map((r) => `${r.subject}\n${r.body}`).join("\n\n----\n\n"),
    groupKey: first.groupKey,
  };
}

const DEFER_MS = 5 * 60_000;

/**
 * One pass over the due messages. SMTP messages are grouped per recipient and group and sent once (a
 * recipient over the hourly limit waits); Odoo messages become alert records, and an Odoo that cannot take one
 * gets the SMTP fallback written for the operations addresses once, while the record is retried until Odoo is
 * back. A retryable failure is rescheduled with backoff; a permanent one (or too many attempts) marks the message
 * failed with its reason. At-least-once: a crash between a send and its mark sends it again on restart, with the
 * same Message-ID (and the addon ignores a key it has recorded).
 */
export async function deliverDue(outbox: Outbox, channels: Channels, now: Date, policy: RetryPolicy = DEFAULT_RETRY): Promise<Tally> {
  const tally: Tally = { sent: 0, retried: 0, failed: 0 };
  if (channels.odoo) await deliverToOdoo(outbox, channels, await outbox.due(now, 200, "odoo"), now, tally);
  // Read after the Odoo pass, so that the fallbacks it just wrote go out in this pass.
  if (channels.smtp) await deliverEmail(outbox, channels.smtp, channels.maxPerRecipientPerHour ?? Infinity, await outbox.due(now, 200, "smtp"), now, policy, tally);
  // Alertmanager and webhooks after email and Odoo, each on its own: one that fails never stops the other.
  let failed: unknown;
  if (channels.alertmanager) await deliverToAlertmanager(outbox, channels.alertmanager, now, tally).catch((err: unknown) => (failed = err));
  if (channels.webhooks) await deliverToWebhooks(outbox, channels.webhooks, now, tally).catch((err: unknown) => (failed ??= err));
  if (failed !== undefined) throw failed;
  return tally;
}

async function deliverEmail(outbox: Outbox, smtp: Notifier, limit: number, due: OutboxRow[], now: Date, policy: RetryPolicy, tally: Tally): Promise<void> {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of due) {
    const k = `${row.recipient}\u0000${row.groupKey}`;
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  const sentTo = new Map<string, number>();
  for (const rows of groups.values()) {
    const recipient = rows[0]!.recipient;
    const sent = sentTo.get(recipient) ?? (await outbox.sentSince(recipient, new Date(now.getTime() - 3_600_000)));
    if (sent >= limit) {
      for (const r of rows) await outbox.defer(r.id, new Date(now.getTime() + DEFER_MS));
      continue;
    }
    try {
      await smtp.send(groupEmail(rows));
      for (const r of rows) await outbox.markSent(r.id, now);
      sentTo.set(recipient, sent + 1);
      tally.sent += rows.length;
    } catch (err) {
      for (const r of rows) await settleFailure(outbox, r, err, now, policy, tally);
    }
  }
}

interface OdooPayload {
  /** The addon model that records it; alert records when absent (rows written before incidents). */
  model?: string;
  notification: Record<string, unknown>;
  text: string;
  fallbackSent?: boolean;
}

/**
 * Alert records to each tenant's Odoo, oldest first. The notifications of one episode arrive in order (a
 * resolution never overtakes its firing); a tenant found unreachable is not called again in the same pass (its
 * other notifications wait for the same backoff, without a timeout each). Whatever cannot reach Odoo now gets its
 * SMTP fallback, once; a resolution reaches the operations addresses too when its firing did.
 */
async function deliverToOdoo(outbox: Outbox, channels: Channels, due: OutboxRow[], now: Date, tally: Tally): Promise<void> {
  const down = new Map<string, DeliveryError>();
  for (const row of due) {
    const payload = JSON.parse(row.body) as OdooPayload;
    const unreachable = down.get(row.recipient);
    if (unreachable || (await outbox.pendingBefore(row))) {
      if (unreachable) await fallback(outbox, channels, row, payload, unreachable, now);
      await outbox.defer(row.id, nextAttemptAt(now, row.attempts + 1, ODOO_RETRY));
      continue;
    }
    try {
      // Once the operations addresses have had the email, Odoo only records it.
      await channels.odoo!.record(row.recipient, { ...payload.notification, mail: payload.notification.mail !== false && !payload.fallbackSent }, payload.model);
      await outbox.markSent(row.id, now);
      tally.sent++;
      if (payload.notification.transition === "resolved" && !payload.fallbackSent && (await outbox.fellBack(row.groupKey ?? ""))) {
        await fallback(outbox, channels, row, payload, undefined, now);
      }
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError(String(err), true);
      if (e.unreachable) down.set(row.recipient, e);
      await fallback(outbox, channels, row, payload, e, now);
      await settleFailure(outbox, row, e, now, ODOO_RETRY, tally);
    }
  }
}

/** Writes the SMTP copy of an Odoo notification for the operations addresses, once; only when it can be sent. */
async function fallback(outbox: Outbox, channels: Channels, row: OutboxRow, payload: OdooPayload, why: DeliveryError | undefined, now: Date): Promise<void> {
  const recipients = channels.fallbackRecipients ?? [];
  // A record that mails nobody (an alert of an incident that is mailed itself) needs no copy either.
  if (payload.notification.mail === false) return;
  if (payload.fallbackSent || !channels.smtp || !recipients.length) return;
  const note = why ? `(Sent directly: ${why.message}.)` : "(Sent directly: its firing was, while Odoo was unreachable.)";
  for (const recipient of recipients) {
    await outbox.enqueue({ idempotencyKey: `${row.idempotencyKey}/fallback/${recipient}`, channel: "smtp", recipient, subject: row.subject, body: `${payload.text}\n\n${note}`, groupKey: `${row.recipient}/fallback`, notBefore: now });
  }
  payload.fallbackSent = true;
  if (why) await outbox.rewrite(row.id, JSON.stringify(payload));
}

/** What a failed attempt means: tried again after the policy's backoff, or failed for good with its reason. */
export async function settleFailure(outbox: Outbox, m: OutboxRow, err: unknown, now: Date, policy: RetryPolicy, tally: Tally): Promise<void> {
  const e = err instanceof DeliveryError ? err : new DeliveryError(String(err), true);
  if (e.retryable && m.attempts + 1 < policy.maxAttempts) {
    await outbox.markRetry(m.id, e.message, nextAttemptAt(now, m.attempts + 1, policy));
    tally.retried++;
  } else {
    await outbox.markFailed(m.id, e.message);
    tally.failed++;
  }
}
