import express, { type Router } from "express";
import { z } from "zod";
import type { SloTracker } from "../slo/tracker.ts";
import { baseline, expectedBand, seasonalIndex } from "../detect/seasonal.ts";
import { SEASONAL_SLIS, sliDefinition } from "../sli/catalog.ts";
import { BadRequest, parseQuery } from "./params.ts";
import { tenantFor } from "./auth.ts";

const tenantQuery = z.strictObject({ tenant: z.string().min(1).optional() });
const anomalyQuery = z.strictObject({
  tenant: z.string().min(1, "required"),
  sli: z.string().optional(),
  hours: z.coerce.number().int().min(1, "1 to 336").max(336, "1 to 336").default(48),
});

const HOUR = 3_600_000;

/**
 * GET /slos: each SLO's objective, target, window, remaining error budget and burn rate per window.
 * GET /anomalies: each seasonal series' hourly means with the expected value and band of each hour, and the
 * anomaly score of the last one, so that a chart can draw the band behind the line.
 */
export function sloRouter(slo: SloTracker, tenantNames: () => Set<string>, calendarOffset: (tenant: string, at: number) => number, calendar: Parameters<typeof baseline>[2], freshen: (tenant: string | undefined) => Promise<void> = async () => {}): Router {
  const router = express.Router();
  const known = (tenant: string | undefined) => {
    if (tenant !== undefined && !tenantNames().has(tenant)) throw new BadRequest("tenant", `unknown tenant "${tenant}"`);
  };

  router.get("/slos", async (req, res) => {
    const tenant = tenantFor(res, parseQuery(tenantQuery, req).tenant);
    known(tenant);
    await freshen(tenant);
    const now = Date.now();
    res.json({
      slos: slo.all(now, tenant).map((s) => ({
        tenant: s.tenant,
        sli: s.sli,
        labels: s.labels,
        title: sliDefinition(s.sli)?.title,
        objective: s.slo.objective,
        better: s.slo.better,
        target: s.slo.target,
        windowDays: s.slo.windowSeconds / 86_400,
        errorBudgetRemaining: s.budgetRemaining,
        burnRates: s.burnRates,
        burnAlert: s.verdict.severity,
      })),
    });
  });

  router.get("/anomalies", async (req, res) => {
    const q = parseQuery(anomalyQuery, req);
    known(q.tenant);
    tenantFor(res, q.tenant);
    await freshen(q.tenant);
    if (q.sli !== undefined && !SEASONAL_SLIS.has(q.sli)) throw new BadRequest("sli", `not a seasonal SLI; one of ${[...SEASONAL_SLIS].join(", ")}`);
    const now = Date.now();
    const from = Math.floor(now / HOUR) * HOUR - (q.hours - 1) * HOUR;
    const series = slo.seasonalSeries(q.tenant).filter((s) => q.sli === undefined || s.sli === q.sli);
    res.json({
      tenant: q.tenant,
      series: series.map((s) => {
        const offset = (at: number) => calendarOffset(q.tenant, at);
        const index = seasonalIndex(s.hourlyMeans, calendar, offset);
        const hours = s.hourlyMeans
          .filter((p) => p.at >= from)
          .map((p) => {
            const b = baseline(index, p.at, calendar, offset);
            const band = b && expectedBand(b);
            return { at: new Date(p.at), value: p.value, expected: b?.median ?? null, low: band?.low ?? null, high: band?.high ?? null, score: b ? (p.value - b.median) / b.spread : null, baseline: b?.source ?? null };
          });
        return { sli: s.sli, labels: s.labels, hours, score: hours.at(-1)?.score ?? null };
      }),
    });
  });
  return router;
}
