import type { JourneyResult } from "../journeys/journey.ts";
import type { SqlDriver } from "./driver.ts";

export interface StoredJourneyRun extends JourneyResult {
  tenant: string;
  at: Date;
  failedStep: string | null;
  error: string | null;
}

interface Row {
  tenant: string;
  journey: string;
  at: Date | string;
  ok: boolean;
  seconds: number;
  failed_step: string | null;
  error: string | null;
  steps: { steps: JourneyResult["steps"]; skipped: string[] };
}

/** The runs of the synthetic journeys, each with its steps: what failed where, and since when. */
export class JourneyLog {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  async append(tenant: string, at: Date, r: JourneyResult): Promise<void> {
    const failed = r.steps.find((s) => !s.ok);
    await this.db.query(
      "INSERT INTO lo.journey_runs (tenant, journey, at, ok, seconds, failed_step, error, steps) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
      [tenant, r.journey, at, r.ok, r.seconds, failed?.step ?? null, failed?.error ?? null, JSON.stringify({ steps: r.steps, skipped: r.skipped })],
    );
  }

  /** Runs of a tenant (one journey or all), newest first. */
  async list(filter: { tenant: string; journey?: string; from: Date; to: Date; limit?: number }): Promise<StoredJourneyRun[]> {
    const rows = await this.db.query<Row>(
      `SELECT tenant, journey, at, ok, seconds, failed_step, error, steps FROM lo.journey_runs
       WHERE tenant = $1 AND ($2::text IS NULL OR journey = $2) AND at >= $3 AND at <= $4 ORDER BY at DESC, id DESC LIMIT $5`,
      [filter.tenant, filter.journey ?? null, filter.from, filter.to, filter.limit ?? 200],
    );
    return rows.map((r) => ({
      tenant: r.tenant, journey: r.journey, at: r.at instanceof Date ? r.at : new Date(r.at), ok: r.ok, seconds: Number(r.seconds),
      failedStep: r.failed_step, error: r.error, steps: r.steps.steps, skipped: r.steps.skipped,
    }));
  }

  async prune(olderThan: Date): Promise<void> {
    await this.db.query("DELETE FROM lo.journey_runs WHERE at < $1", [olderThan]);
  }
}
