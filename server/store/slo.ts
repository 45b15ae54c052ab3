import type { Bucket } from "../detect/slo-ledger.ts";
import type { SqlDriver } from "./driver.ts";
import type { TenantSettings } from "../sli/objectives.ts";

export interface SloReading {
  tenant: string;
  sli: string;
  labelsKey: string;
  labels: Record<string, string>;
  at: Date;
  value: number;
  bad: boolean;
}

export interface SloBucket extends Bucket {
  tenant: string;
  sli: string;
  labelsKey: string;
  labels: Record<string, string>;
  resolution: "minute" | "hour";
  at: Date;
}

const trunc = (at: Date, unitMs: number) => new Date(Math.floor(at.getTime() / unitMs) * unitMs);

/** The SLO ledger's rollups and the tenants' synced settings. */
export class SloStore {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  /** Adds a run's judged readings to their minute and hour buckets: one statement, whatever the number of series. */
  async record(readings: readonly SloReading[]): Promise<void> {
    if (!readings.length) return;
    const rows = readings.flatMap((r) => (["minute", "hour"] as const).map((resolution) => ({ r, resolution, at: trunc(r.at, resolution === "minute" ? 60_000 : 3_600_000) })));
    await this.db.query(
      `INSERT INTO lo.slo_buckets (tenant, sli, labels_key, labels, resolution, at, known, bad, value_sum)
       SELECT tenant, sli, labels_key, labels, resolution, at, 1, bad, value_sum
       FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::timestamptz[], $7::int[], $8::float8[])
         AS u(tenant, sli, labels_key, labels, resolution, at, bad, value_sum)
       ON CONFLICT (tenant, sli, labels_key, resolution, at) DO UPDATE SET known = lo.slo_buckets.known + 1,
         bad = lo.slo_buckets.bad + EXCLUDED.bad, value_sum = lo.slo_buckets.value_sum + EXCLUDED.value_sum`,
      [
        rows.map((x) => x.r.tenant), rows.map((x) => x.r.sli), rows.map((x) => x.r.labelsKey), rows.map((x) => JSON.stringify(x.r.labels)),
        rows.map((x) => x.resolution), rows.map((x) => x.at), rows.map((x) => (x.r.bad ? 1 : 0)), rows.map((x) => x.r.value),
      ],
    );
  }

  async tenants(): Promise<string[]> {
    return (await this.db.query<{ tenant: string }>("SELECT DISTINCT tenant FROM lo.slo_buckets ORDER BY tenant")).map((r) => r.tenant);
  }

  /** Every bucket still inside its horizon: what the in-memory ledger is rebuilt from at start-up. */
  /** One tenant at a time, so that a restart of a large fleet never holds every bucket in memory at once. */
  async load(now: Date, tenant: string): Promise<SloBucket[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT tenant, sli, labels_key, labels, resolution, at, known, bad, value_sum FROM lo.slo_buckets
       WHERE tenant = $3 AND ((resolution = 'minute' AND at > $1) OR (resolution = 'hour' AND at > $2))`,
      [new Date(now.getTime() - 3 * 86_400_000), new Date(now.getTime() - 90 * 86_400_000), tenant],
    );
    return rows.map((r) => ({
      tenant: String(r.tenant),
      sli: String(r.sli),
      labelsKey: String(r.labels_key),
      labels: r.labels as Record<string, string>,
      resolution: r.resolution as SloBucket["resolution"],
      at: r.at instanceof Date ? r.at : new Date(String(r.at)),
      known: Number(r.known),
      bad: Number(r.bad),
      sum: Number(r.value_sum),
    }));
  }

  async prune(now: Date): Promise<void> {
    await this.db.query("DELETE FROM lo.slo_buckets WHERE resolution = 'minute' AND at <= $1", [new Date(now.getTime() - 3 * 86_400_000)]);
    await this.db.query("DELETE FROM lo.slo_buckets WHERE resolution = 'hour' AND at <= $1", [new Date(now.getTime() - 90 * 86_400_000)]);
  }

  async saveSettings(tenant: string, settings: TenantSettings, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO lo.tenant_settings (tenant, settings, synced_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (tenant) DO UPDATE SET settings = EXCLUDED.settings, synced_at = EXCLUDED.synced_at`,
      [tenant, JSON.stringify(settings), at],
    );
  }

  async allSettings(): Promise<Array<{ tenant: string; settings: TenantSettings }>> {
    return (await this.db.query<{ tenant: string; settings: TenantSettings }>("SELECT tenant, settings FROM lo.tenant_settings")).map((r) => ({ tenant: r.tenant, settings: r.settings }));
  }
}
