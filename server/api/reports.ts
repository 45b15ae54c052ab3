import express, { type Router } from "express";
import { z } from "zod";
import { loadDigest, loadScorecard, type ReportContext } from "../app/reports.ts";
import { addDays, lastCompleteWeek, localDateOf, weekEnding } from "../report/week.ts";
import { tenantFor } from "./auth.ts";
import { BadRequest, parseQuery } from "./params.ts";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date, YYYY-MM-DD").refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "not a calendar date");
const digestQuery = z.strictObject({ tenant: z.string().min(1).optional(), week_end: date.optional() });
const scorecardQuery = z.strictObject({
  tenant: z.string().min(1).optional(),
  days: z.coerce.number({ error: "a whole number of days, 1 to 90" }).int("a whole number of days, 1 to 90").min(1, "1 to 90").max(90, "1 to 90").default(30),
});

/** The SLO ledger's hourly rollups go back 90 days: a week ending earlier would be empty, not good. */
const OLDEST_WEEK_END_DAYS = 83;

export interface ReportOptions {
  tenantNames: () => Set<string>;
  /** The zone whose local days make the digest's weeks (`digest.timeZone`). */
  timeZone: string;
}

/**
 * GET /digest?tenant=&week_end=: a week's digest (the seven local days ending with week_end; by default the last
 * complete week). GET /scorecard?tenant=&days=: the five questions over the last `days` days (30 by default).
 * A token bound to a tenant sees its own; the operator's names one, or the only tenant there is.
 */
export function reportsRouter(ctx: ReportContext, opts: ReportOptions): Router {
  const router = express.Router();
  const tenantOf = (res: express.Response, requested: string | undefined): string => {
    const names = opts.tenantNames();
    if (requested !== undefined && !names.has(requested)) throw new BadRequest("tenant", `unknown tenant "${requested}"`);
    const tenant = tenantFor(res, requested) ?? (names.size === 1 ? [...names][0] : undefined);
    if (tenant === undefined) throw new BadRequest("tenant", `required: one of ${[...names].sort().join(", ")}`);
    return tenant;
  };

  router.get("/digest", async (req, res) => {
    const q = parseQuery(digestQuery, req);
    const tenant = tenantOf(res, q.tenant);
    const now = Date.now();
    let week = lastCompleteWeek(now, opts.timeZone);
    if (q.week_end !== undefined) {
      const today = localDateOf(now, opts.timeZone).date;
      if (q.week_end > today) throw new BadRequest("week_end", `${q.week_end} is in the future (today is ${today} in ${opts.timeZone})`);
      if (q.week_end < addDays(today, -OLDEST_WEEK_END_DAYS)) throw new BadRequest("week_end", `at most ${OLDEST_WEEK_END_DAYS} days ago: service levels are kept 90 days`);
      week = weekEnding(q.week_end, opts.timeZone);
    }
    res.json(await loadDigest(ctx, tenant, week, opts.timeZone, now));
  });

  router.get("/scorecard", async (req, res) => {
    const q = parseQuery(scorecardQuery, req);
    const tenant = tenantOf(res, q.tenant);
    res.json(await loadScorecard(ctx, tenant, q.days, Date.now()));
  });
  return router;
}
