import type { SymptomReading } from "../report/customer-symptom.ts";
import type { TenantShare } from "../report/scorecard.ts";
import type { LedgerTally } from "../report/service-levels.ts";
import type { SqlDriver } from "./driver.ts";

const ms = (v: unknown) => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).getTime());

/** The reads behind the weekly digest and the scorecard: aggregates, so that a report never loads raw history. */
export class ReportStore {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  /** Per SLI, the sampled and breaching readings of the SLO ledger's hourly buckets in [from, to). */
  async ledgerTallies(tenant: string, from: Date, to: Date): Promise<LedgerTally[]> {
    const rows = await this.db.query<{ sli: string; known: string | number; bad: string | number }>(
      `SELECT sli, sum(known)::bigint AS known, sum(bad)::bigint AS bad FROM lo.slo_buckets
       WHERE tenant = $1 AND resolution = 'hour' AND at >= $2 AND at < $3 GROUP BY sli ORDER BY sli`,
      [tenant, from, to],
    );
    return rows.map((r) => ({ sli: r.sli, known: Number(r.known), bad: Number(r.bad) }));
  }

  /** Readings (not missing) of some SLIs of a tenant in [from, to], oldest first, bounded. */
  async readings(tenant: string, slis: readonly string[], from: Date, to: Date, limit = 20_000): Promise<SymptomReading[]> {
    const rows = await this.db.query<{ sli: string; at: unknown; value: number }>(
      `SELECT sli, at, value FROM lo.samples WHERE tenant = $1 AND sli = ANY($2::text[]) AND at >= $3 AND at <= $4 AND value IS NOT NULL
       ORDER BY at LIMIT $5`,
      [tenant, [...slis], from, to, limit],
    );
    return rows.map((r) => ({ sli: r.sli, at: ms(r.at)!, value: Number(r.value) }));
  }

  /** The last successful and failed restore tests at or before `to`, and how many ran in [from, to]. */
  async restoreTests(from: Date, to: Date): Promise<{ lastSuccessAt: number | null; lastFailureAt: number | null; inPeriod: number; failedInPeriod: number }> {
    const [r] = await this.db.query<Record<string, unknown>>(
      `SELECT max(at) FILTER (WHERE payload->>'status' = 'success') AS last_success,
              max(at) FILTER (WHERE payload->>'status' = 'failure') AS last_failure,
              count(*) FILTER (WHERE at >= $1)::int AS in_period,
              count(*) FILTER (WHERE at >= $1 AND payload->>'status' = 'failure')::int AS failed_in_period
       FROM lo.events WHERE kind = 'backup' AND payload->>'kind' = 'restore_test' AND at <= $2`,
      [from, to],
    );
    return { lastSuccessAt: ms(r?.last_success), lastFailureAt: ms(r?.last_failure), inPeriod: Number(r?.in_period ?? 0), failedInPeriod: Number(r?.failed_in_period ?? 0) };
  }

  /** A tenant's mean and peak share of each database resource (pg_tenant_share) in [from, to]. */
  async tenantShares(tenant: string, from: Date, to: Date): Promise<TenantShare[]> {
    const rows = await this.db.query<{ resource: string; mean: number; max: number; readings: number }>(
      `SELECT labels->>'resource' AS resource, avg(value) AS mean, max(value) AS max, count(*)::int AS readings FROM lo.samples
       WHERE tenant = $1 AND sli = 'pg_tenant_share' AND at >= $2 AND at <= $3 AND value IS NOT NULL GROUP BY 1 ORDER BY 1`,
      [tenant, from, to],
    );
    return rows.map((r) => ({ resource: r.resource, mean: Number(r.mean), max: Number(r.max), readings: Number(r.readings) }));
  }
}
