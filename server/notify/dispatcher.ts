import { DeliveryError } from "./smtp.ts";
import type { Outbox, OutboxMessage, OutboxRow } from "./outbox.ts";

export interface Notifier {
  send(m: OutboxMessage): Promise<void>;
}

export interface AlertSink {
  record(tenant: string, notification: Record<string, unknown>): Promise<void>;
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
  const due = await outbox.due(now, 200);
  if (channels.odoo) for (const row of due.filter((r) => r.channel === "odoo")) await deliverToOdoo(outbox, channels, row, now, tally);
  if (!channels.smtp) return tally;
  const groups = new Map<string, OutboxRow[]>();
  for (const row of due.filter((r) => r.channel === "smtp")) {
    const k = `${row.recipient}\u0000${row.groupKey}`;
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  const sentTo = new Map<string, number>();
  for (const rows of groups.values()) {
    const recipient = rows[0]!.recipient;
    const limit = channels.maxPerRecipientPerHour ?? Infinity;
    const sent = sentTo.get(recipient) ?? (await outbox.sentSince(recipient, new Date(now.getTime() - 3_600_000)));
    if (sent >= limit) {
      for (const r of rows) await outbox.defer(r.id, new Date(now.getTime() + DEFER_MS));
      continue;
    }
    try {
      await channels.smtp.send(groupEmail(rows));
      for (const r of rows) await outbox.markSent(r.id, now);
      sentTo.set(recipient, sent + 1);
      tally.sent += rows.length;
    } catch (err) {
      for (const r of rows) await settleFailure(outbox, r, err, now, policy, tally);
    }
  }
  return tally;
}

async function deliverToOdoo(outbox: Outbox, channels: Channels, row: OutboxRow, now: Date, tally: Tally): Promise<void> {
  const payload = JSON.parse(row.body) as { notification: Record<string, unknown>; text: string; fallbackSent?: boolean };
  try {
    // Once the operations addresses have had the email, Odoo only records the alert.
    await channels.odoo!.record(row.recipient, { ...payload.notification, mail: !payload.fallbackSent });
    await outbox.markSent(row.id, now);
    tally.sent++;
  } catch (err) {
    const e = err instanceof DeliveryError ? err : new DeliveryError(String(err), true);
    if (!payload.fallbackSent) {
      for (const recipient of channels.fallbackRecipients ?? []) {
        await outbox.enqueue({ idempotencyKey: `${row.idempotencyKey}/fallback/${recipient}`, channel: "smtp", recipient, subject: row.subject, body: `${payload.text}\n\n(Sent directly: ${e.message}.)`, groupKey: `${row.recipient}/fallback` });
      }
      await outbox.rewrite(row.id, JSON.stringify({ ...payload, fallbackSent: true }));
    }
    await settleFailure(outbox, row, e, now, ODOO_RETRY, tally);
  }
}

async function settleFailure(outbox: Outbox, m: OutboxRow, err: unknown, now: Date, policy: RetryPolicy, tally: Tally): Promise<void> {
  const e = err instanceof DeliveryError ? err : new DeliveryError(String(err), true);
  if (e.retryable && m.attempts + 1 < policy.maxAttempts) {
    await outbox.markRetry(m.id, e.message, nextAttemptAt(now, m.attempts + 1, policy));
    tally.retried++;
  } else {
    await outbox.markFailed(m.id, e.message);
    tally.failed++;
  }
}
