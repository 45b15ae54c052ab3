import type { SqlDriver } from "./driver.ts";

/** A notification as written to the outbox. */
export interface OutboxMessage {
  idempotencyKey: string;
  /**
   * smtp: an email to `recipient`; odoo: an alert record for tenant `recipient`, `body` its JSON notification;
   * alertmanager: one alert posted to the Alertmanager at URL `recipient`; webhook: a signed POST to the webhook
   * named `recipient`.
   */
  channel: "smtp" | "odoo" | "alertmanager" | "webhook";
  recipient: string;
  subject: string;
  body: string;
  /** An HTML alternative of `body` (the weekly digest); plain text only when absent. */
  html?: string;
  /** Messages of one group (tenant/area) due together for one recipient go out as one email. */
  groupKey?: string;
  /**
   * When it is first due (default: now by this process's clock, the one every delivery pass compares with: a
   * database whose clock runs minutes behind must not delay a page by as much).
   */
  notBefore?: Date;
}

export interface OutboxRow extends OutboxMessage {
  id: number;
  state: "pending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
}

/**
 * The durable outbox: a notification exists here before any attempt to send it, so a crash loses nothing, and
 * its idempotency key makes the same alert transition one message however often it is written.
 */
export class Outbox {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  /** Writes a message once; returns false when its idempotency key was already there. */
  async enqueue(m: OutboxMessage): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO lo.outbox (idempotency_key, channel, recipient, subject, body, group_key, next_attempt_at, html)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [m.idempotencyKey, m.channel, m.recipient, m.subject, m.body, m.groupKey ?? "", m.notBefore ?? new Date(), m.html ?? null],
    );
    return rows.length > 0;
  }

  /**
   * Claims the pending messages of a channel whose next attempt is due, oldest first, for two minutes: another
   * backend on the same store skips them (FOR UPDATE SKIP LOCKED), so a message goes out once whatever the number
   * of instances. Every mark below ends the claim; a claim of an instance that died runs out. Nothing is ever
   * scheduled more than about an hour ahead (backoff and the hourly rate limit): a row due days from now was written
   * before the clock was stepped back, and waits no longer.
   */
  async due(now: Date, limit = 50, channel?: string): Promise<OutboxRow[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `UPDATE lo.outbox SET claimed_until = now() + interval '2 minutes'
       WHERE id IN (
         SELECT id FROM lo.outbox
         WHERE state = 'pending' AND ($3::text IS NULL OR channel = $3)
           AND (next_attempt_at <= $1 OR next_attempt_at > $1::timestamptz + interval '3 hours')
           AND (claimed_until IS NULL OR claimed_until < now())
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, idempotency_key, channel, recipient, subject, body, html, group_key, state, attempts, last_error`,
      [now, limit, channel ?? null],
    );
    return rows.map(toRow).sort((a, b) => a.id - b.id);
  }

  async all(): Promise<OutboxRow[]> {
    return (await this.db.query<Record<string, unknown>>("SELECT id, idempotency_key, channel, recipient, subject, body, html, group_key, state, attempts, last_error FROM lo.outbox ORDER BY id")).map(toRow);
  }

  async markSent(id: number, at: Date): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE id = $1", [id, at]);
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, claimed_until = NULL WHERE id = $1", [id, error, nextAttemptAt]);
  }

  /** Postpones a message without counting an attempt (a recipient's hourly limit is reached). */
  async defer(id: number, until: Date): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET next_attempt_at = $2, claimed_until = NULL WHERE id = $1", [id, until]);
  }

  /** Rewrites a pending message's body (an Odoo notification, once its SMTP fallback went out). */
  async rewrite(id: number, body: string): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET body = $2 WHERE id = $1 AND state = 'pending'", [id, body]);
  }

  /** Whether an earlier Odoo notification of the same episode is still undelivered: they must arrive in order. */
  async pendingBefore(m: Pick<OutboxRow, "id" | "groupKey">): Promise<boolean> {
    const rows = await this.db.query("SELECT 1 FROM lo.outbox WHERE channel = 'odoo' AND group_key = $1 AND state = 'pending' AND id < $2 LIMIT 1", [m.groupKey, m.id]);
    return rows.length > 0;
  }

  /** Whether an Odoo notification of this episode went to the operations addresses instead (Odoo was down). */
  async fellBack(groupKey: string): Promise<boolean> {
    const rows = await this.db.query("SELECT 1 FROM lo.outbox WHERE channel = 'odoo' AND group_key = $1 AND (body::jsonb ->> 'fallbackSent') = 'true' LIMIT 1", [groupKey]);
    return rows.length > 0;
  }

  /** Emails sent to a recipient since a time (a grouped email marks its rows with one sent_at): what the hourly rate limit counts. */
  async sentSince(recipient: string, since: Date): Promise<number> {
    const rows = await this.db.query<{ n: number }>("SELECT count(DISTINCT (sent_at, group_key))::int AS n FROM lo.outbox WHERE state = 'sent' AND channel = 'smtp' AND recipient = $1 AND sent_at > $2", [recipient, since]);
    return rows[0]?.n ?? 0;
  }

  /**
   * Retires the pending messages of a group that a newer one replaces (an Alertmanager alert's older state): they
   * are marked sent without a send time, with the reason.
   */
  async supersede(channel: OutboxMessage["channel"], recipient: string, groupKey: string): Promise<void> {
    await this.db.query(
      "UPDATE lo.outbox SET state = 'sent', last_error = 'superseded by a newer state of the same alert' WHERE state = 'pending' AND channel = $1 AND recipient = $2 AND group_key = $3",
      [channel, recipient, groupKey],
    );
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET state = 'failed', attempts = attempts + 1, last_error = $2, claimed_until = NULL WHERE id = $1", [id, error]);
  }
}

function toRow(r: Record<string, unknown>): OutboxRow {
  return {
    id: Number(r.id),
    idempotencyKey: String(r.idempotency_key),
    channel: r.channel as OutboxMessage["channel"],
    recipient: String(r.recipient),
    subject: String(r.subject),
    body: String(r.body),
    ...(r.html != null && { html: String(r.html) }),
    groupKey: String(r.group_key ?? ""),
    state: r.state as OutboxRow["state"],
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
  };
}
