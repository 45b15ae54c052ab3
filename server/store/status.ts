import type { SqlDriver } from "./driver.ts";

const HOUR_MS = 3_600_000;
const ms = (v: unknown) => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).getTime());

/** What the status page asks the store beyond the latest readings and the incidents: when things began. */
export class StatusReads {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  /**
   * A tenant's first reading the store still holds: its first sampling run, or, when older samples are gone (kept
   * `store.retentionDays`), its SLO ledger's first hour (kept 90 days).
   */
  async firstDataAt(tenant: string): Promise<number | null> {
    const [row] = await this.db.query<{ samples: unknown; buckets: unknown }>(
      `SELECT (SELECT min(at) FROM lo.samples WHERE tenant = $1 AND sli = 'sampling_up') AS samples,
              (SELECT min(at) FROM lo.slo_buckets WHERE tenant = $1 AND resolution = 'hour') AS buckets`,
      [tenant],
    );
    const [samples, hour] = [ms(row?.samples), ms(row?.buckets)];
    // The ledger's hour starts before the first sample in it: it counts only when the samples of that hour are gone.
    if (hour === null || (samples !== null && hour > samples - HOUR_MS)) return samples;
    return hour;
  }

  /** When a source's current run of failed samplings began (its first failure after its last success); null if none. */
  async failingSince(tenant: string, source: string): Promise<number | null> {
    const [row] = await this.db.query<{ at: unknown }>(
      `SELECT min(at) AS at FROM lo.samples
       WHERE tenant = $1 AND sli = 'sampling_up' AND labels->>'source' = $2 AND value = 0
         AND at > coalesce((SELECT max(at) FROM lo.samples WHERE tenant = $1 AND sli = 'sampling_up' AND labels->>'source' = $2 AND value = 1), '-infinity'::timestamptz)`,
      [tenant, source],
    );
    return ms(row?.at);
  }
}
