import type { SqlDriver } from "./driver.ts";

/**
 * Instances and leases of several backends on one store. Every time is the store's own clock (now()), never an
 * instance's: two hosts whose clocks disagree still agree on who holds what.
 */
export class LeaseStore {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  /** This instance is alive; answers the instances seen within `ttlMs` (this one included), sorted. */
  async beat(instance: string, ttlMs: number): Promise<string[]> {
    await this.db.query(
      `INSERT INTO lo.instances (id, started_at, seen_at) VALUES ($1, now(), now()) ON CONFLICT (id) DO UPDATE SET seen_at = now()`,
      [instance],
    );
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM lo.instances WHERE seen_at > now() - $1 * interval '1 millisecond' ORDER BY id`, [ttlMs]);
    return rows.map((r) => r.id);
  }

  /** The leases still running: resource -> holder. */
  async holders(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ resource: string; holder: string }>(`SELECT resource, holder FROM lo.leases WHERE expires_at > now()`);
    return new Map(rows.map((r) => [r.resource, r.holder]));
  }

  /**
   * Takes or renews leases in one statement; answers those this instance holds now. A live lease of another
   * instance is left alone: it is never held twice.
   */
  async acquire(resources: readonly string[], instance: string, ttlMs: number): Promise<Set<string>> {
    if (!resources.length) return new Set();
    const rows = await this.db.query<{ resource: string }>(
      `INSERT INTO lo.leases (resource, holder, expires_at)
       SELECT r, $2, now() + $3 * interval '1 millisecond' FROM unnest($1::text[]) AS r
       ON CONFLICT (resource) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE lo.leases.holder = EXCLUDED.holder OR lo.leases.expires_at <= now()
       RETURNING resource`,
      [resources, instance, ttlMs],
    );
    return new Set(rows.map((r) => r.resource));
  }

  async release(resources: readonly string[], instance: string): Promise<void> {
    if (resources.length) await this.db.query(`DELETE FROM lo.leases WHERE holder = $1 AND resource = ANY($2)`, [instance, resources]);
  }

  /** A clean stop: the others need not wait for the leases to run out. */
  async leave(instance: string): Promise<void> {
    await this.db.query(`DELETE FROM lo.leases WHERE holder = $1`, [instance]);
    await this.db.query(`DELETE FROM lo.instances WHERE id = $1`, [instance]);
  }
}
