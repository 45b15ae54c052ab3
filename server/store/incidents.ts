import type { Incident } from "../detect/incidents.ts";
import type { SqlDriver } from "./driver.ts";

const ms = (v: unknown) => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).getTime());
const at = (t: number | null) => (t === null ? null : new Date(t));

type Doc = Pick<Incident, "alerts" | "causes" | "timeline" | "notified">;

function fromRow(r: Record<string, unknown>): Incident {
  const doc = r.doc as Doc;
  return {
    id: Number(r.id),
    scope: String(r.scope),
    tenant: String(r.tenant),
    state: r.state as Incident["state"],
    severity: r.severity as Incident["severity"],
    title: String(r.title),
    openedAt: ms(r.opened_at)!,
    resolvedAt: ms(r.resolved_at),
    firstAbnormalAt: ms(r.first_abnormal_at)!,
    firstNotifiedAt: ms(r.first_notified_at),
    alerts: doc.alerts,
    causes: doc.causes,
    timeline: doc.timeline,
    notified: doc.notified,
  };
}

/** Incidents: the open one of each scope is what every round advances; the rest is history for the API. */
export class IncidentStore {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  async open(): Promise<Incident[]> {
    return (await this.db.query<Record<string, unknown>>("SELECT * FROM lo.incidents WHERE state = 'open'")).map(fromRow);
  }

  async list(filter: { tenant?: string; state?: string; limit?: number } = {}): Promise<Incident[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM lo.incidents WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text IS NULL OR state = $2)
       ORDER BY (state = 'open') DESC, opened_at DESC, id DESC LIMIT $3`,
      [filter.tenant ?? null, filter.state ?? null, filter.limit ?? 100],
    );
    return rows.map(fromRow);
  }

  /** A tenant's incidents opened in [from, to), oldest first: what a digest or scorecard counts. */
  async openedBetween(tenant: string, from: Date, to: Date, limit = 1000): Promise<Incident[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      "SELECT * FROM lo.incidents WHERE tenant = $1 AND opened_at >= $2 AND opened_at < $3 ORDER BY opened_at, id LIMIT $4",
      [tenant, from, to, limit],
    );
    return rows.map(fromRow);
  }

  /** Incidents of these tenants open at some time in [from, to): a status page's history. */
  async overlapping(tenants: readonly string[], from: Date, to: Date, limit = 5000): Promise<Incident[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM lo.incidents WHERE tenant = ANY($1) AND opened_at < $3 AND (resolved_at IS NULL OR resolved_at >= $2)
       ORDER BY opened_at DESC, id DESC LIMIT $4`,
      [tenants, from, to, limit],
    );
    return rows.map(fromRow);
  }

  async get(id: number): Promise<Incident | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>("SELECT * FROM lo.incidents WHERE id = $1", [id]);
    return row && fromRow(row);
  }

  /** Inserts a new incident (returning its id) or updates a known one. */
  async save(i: Incident, now: Date): Promise<number> {
    const doc: Doc = { alerts: i.alerts, causes: i.causes, timeline: i.timeline, notified: i.notified };
    const cols = [i.scope, i.tenant, i.state, i.severity, i.title, at(i.openedAt), at(i.resolvedAt), at(i.firstAbnormalAt), at(i.firstNotifiedAt), JSON.stringify(doc), now];
    if (i.id === null) {
      const [row] = await this.db.query<{ id: string | number }>(
        `INSERT INTO lo.incidents (scope, tenant, state, severity, title, opened_at, resolved_at, first_abnormal_at, first_notified_at, doc, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11) RETURNING id`,
        cols,
      );
      return Number(row!.id);
    }
    await this.db.query(
      `UPDATE lo.incidents SET scope = $1, tenant = $2, state = $3, severity = $4, title = $5, opened_at = $6, resolved_at = $7,
         first_abnormal_at = $8, first_notified_at = $9, doc = $10::jsonb, updated_at = $11 WHERE id = $12`,
      [...cols, i.id],
    );
    return i.id;
  }
}
