import type { OdooReader } from "../../odoo/client.ts";
import { many2one, parseOdooDatetime, toOdooDatetime } from "../../odoo/datetime.ts";
import { reading } from "../../sli/sample.ts";
import { secondsBetween } from "../../sli/stats.ts";
import type { Section, SectionEnv } from "./section.ts";

/** A run still marked as started this long after it began was killed (time limit, OOM) or hangs. */
export const STUCK_AFTER_SECONDS = 30 * 60;
/** A job past its nextcall by more than Odoo's one-minute polling is waiting for a free cron thread. */
const DUE_AFTER_SECONDS = 90;

interface CronRow {
  id: number;
  nextcall: string;
  failure_count?: number;
}

/**
 * Crons whose latest run is still marked as started (timed_out_counter > 0) long after it began. Odoo resets the
 * counter when a run ends, so only the latest progress row of each cron tells whether it is stuck now.
 */
async function stuckCrons(client: OdooReader, now: Date): Promise<number> {
  const latest = await client.readGroup(
    "ir.cron.progress",
    [["create_date", ">=", toOdooDatetime(new Date(now.getTime() - 86_400_000))]],
    ["cron_id"],
    { lastId: "id:max" },
  );
  const ids = latest.filter((g) => many2one(g.cron_id)).map((g) => Number(g.lastId));
  if (!ids.length) return 0;
  return client.searchCount("ir.cron.progress", [
    ["id", "in", ids],
    ["timed_out_counter", ">", 0],
    ["create_date", "<", toOdooDatetime(new Date(now.getTime() - STUCK_AFTER_SECONDS * 1000))],
  ]);
}

/**
 * Scheduled jobs: the largest lag past nextcall, jobs failing (failure_count, Odoo 18+), jobs stuck (18+).
 * Odoo 17 has neither failure_count nor ir.cron.progress: those two are "not available" there, not 0.
 */
export const cronsSection: Section = {
  name: "crons",
  slis: ["cron_max_lag_seconds", "cron_failing_jobs", "cron_stuck_jobs", "cron_due_jobs"],
  maxRpcs: 3,
  async run({ client, window }: SectionEnv) {
    const modern = client.version.major >= 18;
    const crons = await client.searchRead<CronRow>("ir.cron", [["active", "=", true]], modern ? ["nextcall", "failure_count"] : ["nextcall"]);
    const lags = crons.map((c) => secondsBetween(parseOdooDatetime(c.nextcall) ?? window.now, window.now));
    const old = `not available on Odoo ${client.version.label} (needs 18+)`;
    return [
      reading("cron_max_lag_seconds", Math.max(0, ...lags), ""),
      // Due for over a minute and not started: jobs waiting for a cron thread (Odoo polls every minute).
      reading("cron_due_jobs", lags.filter((lag) => lag > DUE_AFTER_SECONDS).length, ""),
      reading("cron_failing_jobs", modern ? crons.filter((c) => (c.failure_count ?? 0) > 0).length : undefined, old),
      reading("cron_stuck_jobs", modern ? await stuckCrons(client, window.now) : undefined, old),
    ];
  },
};
