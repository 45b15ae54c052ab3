import type { SqlDriver } from "../store/driver.ts";

/** A notification as written to the outbox. */
export interface OutboxMessage {
  idempotencyKey: string;
  channel: "smtp";
  recipient: string;
  subject: string;
  body: string;
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
      `INSERT INTO lo.outbox (idempotency_key, channel, recipient, subject, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [m.idempotencyKey, m.channel, m.recipient, m.subject, m.body],
    );
    return rows.length > 0;
  }

  /** Pending messages whose next attempt is due, oldest first. */
  async due(now: Date, limit = 50): Promise<OutboxRow[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, idempotency_key, channel, recipient, subject, body, state, attempts, last_error FROM lo.outbox
       WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $2`,
      [now, limit],
    );
    return rows.map(toRow);
  }

  async all(): Promise<OutboxRow[]> {
    return (await this.db.query<Record<string, unknown>>("SELECT id, idempotency_key, channel, recipient, subject, body, state, attempts, last_error FROM lo.outbox ORDER BY id")).map(toRow);
  }

  async markSent(id: number, at: Date): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1", [id, at]);
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1", [id, error, nextAttemptAt]);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db.query("UPDATE lo.outbox SET state = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1", [id, error]);
  }
}

function toRow(r: Record<string, unknown>): OutboxRow {
  return {
    id: Number(r.id),
    idempotencyKey: String(r.idempotency_key),
    channel: r.channel as "smtp",
    recipient: String(r.recipient),
    subject: String(r.subject),
    body: String(r.body),
    state: r.state as OutboxRow["state"],
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
  };
}
