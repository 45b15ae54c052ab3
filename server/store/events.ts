import type { SqlDriver } from "./driver.ts";

export type EventKind = "backup" | "deploy";

export interface StoredEvent {
  id: number;
  kind: EventKind;
  tenant: string | null;
  at: Date;
  payload: Record<string, unknown>;
}

/** Backup, restore-test and deploy events, pushed through the API or detected in Odoo. Append-only. */
export class EventLog {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  async append(kind: EventKind, tenant: string | null, at: Date, payload: Record<string, unknown>): Promise<StoredEvent> {
    const [row] = await this.db.query<{ id: string | number }>(
      "INSERT INTO lo.events (kind, tenant, at, payload) VALUES ($1, $2, $3, $4::jsonb) RETURNING id",
      [kind, tenant, at, JSON.stringify(payload)],
    );
    return { id: Number(row!.id), kind, tenant, at, payload };
  }

  async list(filter: { kind?: EventKind; tenant?: string; from: Date; to: Date; limit?: number }): Promise<StoredEvent[]> {
    const rows = await this.db.query<{ id: string | number; kind: EventKind; tenant: string | null; at: Date | string; payload: Record<string, unknown> }>(
      `SELECT id, kind, tenant, at, payload FROM lo.events
       WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR tenant = $2 OR tenant IS NULL) AND at >= $3 AND at <= $4
       ORDER BY at DESC, id DESC LIMIT $5`,
      [filter.kind ?? null, filter.tenant ?? null, filter.from, filter.to, filter.limit ?? 500],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), at: r.at instanceof Date ? r.at : new Date(r.at) }));
  }

  /** The latest backup event of a kind with a given status, e.g. the last successful base backup. */
  async lastBackup(backupKind: "base" | "wal" | "restore_test", status: "success" | "failure"): Promise<StoredEvent | undefined> {
    const rows = await this.db.query<{ id: string | number; tenant: string | null; at: Date | string; payload: Record<string, unknown> }>(
      `SELECT id, tenant, at, payload FROM lo.events WHERE kind = 'backup' AND payload->>'kind' = $1 AND payload->>'status' = $2
       ORDER BY at DESC LIMIT 1`,
      [backupKind, status],
    );
    const r = rows[0];
    return r && { id: Number(r.id), kind: "backup", tenant: r.tenant, at: r.at instanceof Date ? r.at : new Date(r.at), payload: r.payload };
  }

  /**
   * The latest restore-test event of each test name and status (events pushed without a name are the test `null`);
   * only the names given when `names` is.
   */
  async latestRestoreTests(names?: readonly string[]): Promise<Array<StoredEvent & { name: string | null }>> {
    const rows = await this.db.query<{ id: string | number; tenant: string | null; at: Date | string; payload: Record<string, unknown>; name: string | null }>(
      `SELECT DISTINCT ON (payload->>'name', payload->>'status') id, tenant, at, payload, payload->>'name' AS name
       FROM lo.events WHERE kind = 'backup' AND payload->>'kind' = 'restore_test' AND ($1::text[] IS NULL OR payload->>'name' = ANY($1::text[]))
       ORDER BY payload->>'name', payload->>'status', at DESC, id DESC`,
      [names ?? null],
    );
    return rows.map((r) => ({ id: Number(r.id), kind: "backup", tenant: r.tenant, at: r.at instanceof Date ? r.at : new Date(r.at), payload: r.payload, name: r.name }));
  }
}
