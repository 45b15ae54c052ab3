import express, { type ErrorRequestHandler, type Express } from "express";
import type { Config, Tenant } from "../config/load.ts";
import type { PostgresDetails } from "../collectors/postgres/collector.ts";
import type { Runner } from "../collectors/runner.ts";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../metrics/registry.ts";
import { alertingOf, SEASONAL_SLIS, SLI_CATALOG, sliDefinition } from "../sli/catalog.ts";
import { objectiveOf, statusOf } from "../sli/status.ts";
import type { Store } from "../store/store.ts";
import { requireBearer } from "./auth.ts";
import { eventsRouter } from "./events.ts";
import { incidentsRouter } from "./incidents.ts";
import { silencesRouter } from "./silences.ts";
import { sloRouter } from "./slos.ts";
import type { SloTracker } from "../slo/tracker.ts";
import type { CalendarRule } from "../detect/seasonal.ts";
import { BadRequest, parseQuery, seriesQuery } from "./params.ts";

export interface ApiDeps {
  config: Pick<Config, "apiToken" | "targets" | "tenants" | "sampling">;
  store: Store;
  runner: Runner;
  metrics: Metrics;
  log: Logger;
  /** Filled in by main once connections exist: the Odoo version each tenant answered with. */
  serverVersion?: (tenant: string) => string | undefined;
  /** Blocking chains and top statements of the last PostgreSQL cycle, when that source is configured. */
  postgresDetails?: () => PostgresDetails | undefined;
  /** SLO ledgers and seasonal baselines (the alerting's view), with the tenants' local time for the calendar. */
  slo?: { tracker: SloTracker; calendar: readonly CalendarRule[]; offsetMinutes: (tenant: string, at: number) => number };
}

const DAY_MS = 86_400_000;

/** A tenant as the API shows it: where it is, never how to log in. */
function publicTenant(t: Tenant, deps: ApiDeps) {
  return {
    name: t.name,
    demo: t.demo,
    url: new URL(t.url).origin,
    db: t.db,
    serverVersion: deps.serverVersion?.(t.name) ?? null,
    collectors: deps.runner.health().filter((h) => h.tenant === t.name),
  };
}

export function createApp(deps: ApiDeps): Express {
  const { config, store, runner, metrics } = deps;
  const app = express();
  app.disable("x-powered-by");
  const tenantNames = () => new Set(config.tenants.map((t) => t.name));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    const unsampled = config.tenants.filter((t) => !runner.health().some((h) => h.tenant === t.name)).map((t) => t.name);
    let storeOk = true;
    try {
      await store.ping();
    } catch {
      storeOk = false;
    }
    const ready = storeOk && unsampled.length === 0;
    res.status(ready ? 200 : 503).json({ ready, store: storeOk ? "ok" : "unreachable", unsampledTenants: unsampled });
  });

  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.text());
  });

  const api = express.Router();
  if (config.apiToken) api.use(requireBearer(config.apiToken));

  api.get("/tenants", (_req, res) => {
    res.json({ tenants: config.tenants.map((t) => publicTenant(t, deps)) });
  });

  api.get("/slis/current", async (req, res) => {
    const tenant = typeof req.query.tenant === "string" ? req.query.tenant : undefined;
    if (tenant !== undefined && !tenantNames().has(tenant)) throw new BadRequest("tenant", `unknown tenant "${tenant}"`);
    const rows = await store.latest(tenant);
    const slis = rows.flatMap((r) => {
      const def = sliDefinition(r.sli);
      if (!def) return [];
      const objective = deps.slo?.tracker.objectives.objective(r.tenant, def) ?? objectiveOf(def, config.targets);
      return [{ ...r, title: def.title, unit: def.unit, better: def.better, objective, status: statusOf(r.value, def, objective) }];
    });
    res.json({ slis });
  });

  api.get("/slis", async (req, res) => {
    const q = parseQuery(seriesQuery, req);
    if (!tenantNames().has(q.tenant)) throw new BadRequest("tenant", `unknown tenant "${q.tenant}"`);
    if (!sliDefinition(q.sli)) throw new BadRequest("sli", `unknown SLI "${q.sli}"; one of ${SLI_CATALOG.map((d) => d.id).join(", ")}`);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
    if (from > to) throw new BadRequest("from", "must not be after to");
    const points = await store.series(q.tenant, q.sli, from, to);
    res.json({ tenant: q.tenant, sli: q.sli, from, to, points: points.map(({ at, labels, value, missing }) => ({ at, labels, value, missing })) });
  });

  api.get("/catalog", (_req, res) => {
    res.json({ slis: SLI_CATALOG.map((d) => ({ ...d, objective: objectiveOf(d, config.targets), alerting: alertingOf(d), seasonal: SEASONAL_SLIS.has(d.id) })) });
  });

  api.get("/postgres", (_req, res) => {
    const details = deps.postgresDetails?.();
    if (!details) {
      res.status(404).json({ error: "no PostgreSQL source configured, or not sampled yet (sources.postgres)" });
      return;
    }
    res.json(details);
  });

  api.get("/alerts", async (req, res) => {
    const state = typeof req.query.state === "string" ? req.query.state : undefined;
    if (state !== undefined && !["pending", "firing", "resolved"].includes(state)) throw new BadRequest("state", "one of pending, firing, resolved");
    const tenant = typeof req.query.tenant === "string" ? req.query.tenant : undefined;
    const alerts = await store.alerts.list({ tenant, state });
    res.json({ alerts: alerts.map((a) => ({ ...a, since: new Date(a.since), firedAt: a.firedAt && new Date(a.firedAt), resolvedAt: a.resolvedAt && new Date(a.resolvedAt) })) });
  });

  api.get("/collectors", (_req, res) => {
    res.json({ collectors: runner.health() });
  });

  api.use(eventsRouter(store, tenantNames));
  api.use(silencesRouter(store));
  api.use(incidentsRouter(store));
  if (deps.slo) api.use(sloRouter(deps.slo.tracker, tenantNames, deps.slo.offsetMinutes, deps.slo.calendar));
  app.use("/api/v1", api);
  app.use("/api/v1", (req, res) => {
    res.status(404).json({ error: `no such endpoint: ${req.method} ${req.originalUrl.split("?")[0]}` });
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (err?.type === "entity.parse.failed") {
      res.status(400).json({ error: "body: not valid JSON", parameter: "body" });
      return;
    }
    if (err instanceof BadRequest) {
      res.status(400).json({ error: err.message, parameter: err.parameter });
      return;
    }
    deps.log.error({ err: String(err) }, "API request failed");
    res.status(500).json({ error: "internal error" });
  };
  app.use(onError);
  return app;
}
