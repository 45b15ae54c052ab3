import type { AlertStatus } from "../detect/lifecycle.ts";
import type { SqlDriver } from "./driver.ts";

export type AlertKind = "threshold" | "burn_rate" | "anomaly";

export interface AlertRecord extends AlertStatus {
  fingerprint: string;
  /** What judged it: a threshold with a for-duration, the SLO's burn rates, or the seasonal baseline. */
  kind: AlertKind;
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  severity: "page" | "ticket";
  value: number | null;
  objective: number;
  /** The silence that mutes its notifications, if any. */
  silencedBy: number | null;
  /** Why its notifications are inhibited (an upstream failure explains it), if they are. */
  inhibitedBy: string | null;
  /** Budget, burn rates, anomaly score and band: what the notification and the API explain it with. */
  details: Record<string, unknown>;
  /** When the last notification of this episode was written (fired, repeat); drives the repeat interval. */
  lastNotifiedAt: number | null;
  repeats: number;
  /** The incident this episode belongs to, once it fired. */
  incidentId?: number | null;
}

const ms = (v: unknown) => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).getTime());

const toRecord = (r: Record<string, unknown>): AlertRecord => ({
  fingerprint: String(r.fingerprint),
  tenant: String(r.tenant),
  sli: String(r.sli),
  labels: r.labels as Record<string, string>,
  severity: r.severity as AlertRecord["severity"],
  state: r.state as AlertRecord["state"],
  since: ms(r.since)!,
  firedAt: ms(r.fired_at),
  resolvedAt: ms(r.resolved_at),
  clearSince: ms(r.clear_since),
  value: r.value == null ? null : Number(r.value),
  objective: Number(r.objective),
  silencedBy: r.silenced_by == null ? null : Number(r.silenced_by),
  inhibitedBy: (r.inhibited_by as string | null) ?? null,
  kind: r.kind as AlertKind,
  details: (r.details as Record<string, unknown>) ?? {},
  lastNotifiedAt: ms(r.last_notified_at),
  repeats: Number(r.repeats ?? 0),
  incidentId: r.incident_id == null ? null : Number(r.incident_id),
});

/** Alert episodes by fingerprint (tenant/sli/labels). */
export class AlertStore {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  /** Firing first, then the newest; a page of `limit` from `offset` when asked (the API pages, the evaluator does not). */
  /** Every alert of these tenants, in one statement: a shared collector's run reports hundreds of tenants. */
  async ofTenants(tenants: readonly string[]): Promise<AlertRecord[]> {
    if (!tenants.length) return [];
    const rows = await this.db.query<Record<string, unknown>>("SELECT * FROM lo.alerts WHERE tenant = ANY($1)", [tenants]);
    return rows.map(toRecord);
  }

  async list(filter: { tenant?: string; state?: string; sli?: string; severity?: string; limit?: number; offset?: number } = {}): Promise<AlertRecord[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM lo.alerts WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text IS NULL OR state = $2)
         AND ($3::text IS NULL OR sli = $3) AND ($4::text IS NULL OR severity = $4)
       ORDER BY (state = 'firing') DESC, since DESC, fingerprint LIMIT $5 OFFSET $6`,
      [filter.tenant ?? null, filter.state ?? null, filter.sli ?? null, filter.severity ?? null, filter.limit ?? null, filter.offset ?? 0],
    );
    return rows.map(toRecord);
  }

  async upsert(a: AlertRecord, now: Date): Promise<void> {
    const at = (t: number | null) => (t === null ? null : new Date(t));
    await this.db.query(
      `INSERT INTO lo.alerts (fingerprint, tenant, sli, labels, severity, state, since, fired_at, resolved_at, value, objective, updated_at, silenced_by, inhibited_by, kind, details, last_notified_at, repeats, clear_since, incident_id)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17, $18, $19, $20)
       ON CONFLICT (fingerprint) DO UPDATE SET severity = EXCLUDED.severity, state = EXCLUDED.state, since = EXCLUDED.since,
         fired_at = EXCLUDED.fired_at, resolved_at = EXCLUDED.resolved_at, value = EXCLUDED.value, objective = EXCLUDED.objective,
         updated_at = EXCLUDED.updated_at, silenced_by = EXCLUDED.silenced_by, inhibited_by = EXCLUDED.inhibited_by,
         kind = EXCLUDED.kind, details = EXCLUDED.details, last_notified_at = EXCLUDED.last_notified_at, repeats = EXCLUDED.repeats,
         clear_since = EXCLUDED.clear_since, incident_id = EXCLUDED.incident_id`,
      [a.fingerprint, a.tenant, a.sli, JSON.stringify(a.labels), a.severity, a.state, at(a.since), at(a.firedAt), at(a.resolvedAt), a.value, a.objective, now, a.silencedBy, a.inhibitedBy,
        a.kind, JSON.stringify(a.details), at(a.lastNotifiedAt), a.repeats, at(a.clearSince ?? null), a.incidentId ?? null],
    );
  }

  /** Only what silences and inhibition decide, so that it never overwrites a concurrent state change. */
  async setMuting(fingerprint: string, silencedBy: number | null, inhibitedBy: string | null): Promise<void> {
    await this.db.query("UPDATE lo.alerts SET silenced_by = $2, inhibited_by = $3 WHERE fingerprint = $1", [fingerprint, silencedBy, inhibitedBy]);
  }

  async remove(fingerprint: string): Promise<void> {
    await this.db.query("DELETE FROM lo.alerts WHERE fingerprint = $1", [fingerprint]);
  }
}
