import type { AuditCategory, AuditEvent } from "../security/audit-event.ts";
import type { SqlDriver } from "./driver.ts";

/** An audit trail outlives the samples: "who made this user administrator last spring" is asked a year later. */
const AUDIT_RETENTION_DAYS = 400;

export interface AuditFilter {
  tenant?: string;
  category?: AuditCategory;
  actor?: string;
  from: Date;
  to: Date;
  limit: number;
  offset?: number;
}

interface Row {
  tenant: string;
  odoo_id: string | number;
  at: Date | string;
  category: AuditCategory;
  action: string;
  actor: string | null;
  login: string | null;
  remote_addr: string | null;
  target_model: string | null;
  target_id: string | number | null;
  target_name: string | null;
  detail: string | null;
  rows: number | null;
}

const COLUMNS = "tenant, odoo_id, at, category, action, actor, login, remote_addr, target_model, target_id, target_name, detail, rows";

const toEvent = (r: Row): AuditEvent & { tenant: string } => ({
  tenant: r.tenant, odooId: Number(r.odoo_id), at: r.at instanceof Date ? r.at : new Date(r.at), category: r.category, action: r.action, actor: r.actor,
  login: r.login, remoteAddr: r.remote_addr, targetModel: r.target_model, targetId: r.target_id === null ? null : Number(r.target_id),
  targetName: r.target_name, detail: r.detail, rows: r.rows,
});

/** The tenants' audit trails as copied from their Odoo; a row is copied once (tenant, odoo_id). */
export class AuditLog {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  async append(tenant: string, events: readonly AuditEvent[]): Promise<number> {
    if (!events.length) return 0;
    const rows = events.map((e) => ({
      odoo_id: e.odooId, at: e.at.toISOString(), category: e.category, action: e.action, actor: e.actor, login: e.login, remote_addr: e.remoteAddr,
      target_model: e.targetModel, target_id: e.targetId, target_name: e.targetName, detail: e.detail, rows: e.rows,
    }));
    const done = await this.db.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO lo.audit_events (${COLUMNS})
         SELECT $1, x.odoo_id, x.at, x.category, x.action, x.actor, x.login, x.remote_addr, x.target_model, x.target_id, x.target_name, x.detail, x.rows
         FROM jsonb_to_recordset($2::jsonb) AS x(odoo_id bigint, at timestamptz, category text, action text, actor text, login text, remote_addr text,
           target_model text, target_id bigint, target_name text, detail text, rows integer)
         ON CONFLICT (tenant, odoo_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [tenant, JSON.stringify(rows)],
    );
    return done[0]?.n ?? 0;
  }

  /** The newest copied row's id in the tenant's Odoo (0 before the first). */
  async lastOdooId(tenant: string): Promise<number> {
    const [row] = await this.db.query<{ id: string | number | null }>("SELECT max(odoo_id) AS id FROM lo.audit_events WHERE tenant = $1", [tenant]);
    return Number(row?.id ?? 0);
  }

  async list(f: AuditFilter): Promise<Array<AuditEvent & { tenant: string }>> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM lo.audit_events
       WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text IS NULL OR category = $2) AND ($3::text IS NULL OR actor = $3) AND at >= $4 AND at <= $5
       ORDER BY at DESC, odoo_id DESC LIMIT $6 OFFSET $7`,
      [f.tenant ?? null, f.category ?? null, f.actor ?? null, f.from, f.to, f.limit, f.offset ?? 0],
    );
    return rows.map(toEvent);
  }

  /**
   * What the security judge reads: the last day's events, but failed logins of the last hour only (a brute force
   * leaves hundreds of thousands a day, and the judge looks at an hour of them).
   */
  async recent(tenant: string, now: Date): Promise<Array<AuditEvent & { tenant: string }>> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM lo.audit_events
       WHERE tenant = $1 AND at >= $2 AND at <= $4 AND (category <> 'login_failed' OR at >= $3) ORDER BY at DESC LIMIT 200000`,
      [tenant, new Date(now.getTime() - 86_400_000), new Date(now.getTime() - 3_600_000), now],
    );
    return rows.map(toEvent);
  }

  /** Events of a tenant in a period by category and action: the scorecard's "are changes governed". */
  async countsByCategory(tenant: string, from: Date, to: Date): Promise<Array<{ category: string; action: string; n: number }>> {
    const rows = await this.db.query<{ category: string; action: string; n: number }>(
      "SELECT category, action, count(*)::int AS n FROM lo.audit_events WHERE tenant = $1 AND at >= $2 AND at <= $3 GROUP BY category, action ORDER BY category, action",
      [tenant, from, to],
    );
    return rows;
  }

  /** Rows exported per user and hour since `from`: the baselines of unusual egress. */
  async exportedRowsByHour(tenant: string, from: Date): Promise<Array<{ actor: string; hour: Date; rows: number }>> {
    const rows = await this.db.query<{ actor: string; hour: Date | string; rows: string | number }>(
      `SELECT coalesce(actor, '?') AS actor, date_trunc('hour', at) AS hour, sum(coalesce(rows, 0)) AS rows FROM lo.audit_events
       WHERE tenant = $1 AND category = 'export' AND at >= $2 GROUP BY 1, 2`,
      [tenant, from],
    );
    return rows.map((r) => ({ actor: r.actor, hour: r.hour instanceof Date ? r.hour : new Date(r.hour), rows: Number(r.rows) }));
  }

  async prune(samplesOlderThan: Date): Promise<void> {
    const cutoff = Math.min(samplesOlderThan.getTime(), Date.now() - AUDIT_RETENTION_DAYS * 86_400_000);
    await this.db.query("DELETE FROM lo.audit_events WHERE at < $1", [new Date(cutoff)]);
  }
}
