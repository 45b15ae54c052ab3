import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { Config, Tenant } from "../config/load.ts";
import type { PostgresDetails } from "../collectors/postgres/collector.ts";
import type { Runner } from "../collectors/runner.ts";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../metrics/registry.ts";
import { alertingOf, SEASONAL_SLIS, SLI_CATALOG, sliDefinition } from "../sli/catalog.ts";
import { objectiveOf, statusOf } from "../sli/status.ts";
import type { Store } from "../store/store.ts";
import { Authenticator, bearerCheck, principalOf, reaches, tenantFor } from "./auth.ts";
import { eventsRouter } from "./events.ts";
import { incidentsRouter } from "./incidents.ts";
import { silencesRouter } from "./silences.ts";
import { sloRouter } from "./slos.ts";
import type { SloTracker } from "../slo/tracker.ts";
import type { CalendarRule } from "../detect/seasonal.ts";
import { BAD_TEXT, BadRequest, Forbidden, parseQuery, seriesQuery } from "./params.ts";
import { z } from "zod";
import { tokensRouter } from "./tokens.ts";
import { reportsRouter } from "./reports.ts";
import { Objectives } from "../sli/objectives.ts";
import { OPENAPI } from "./openapi.ts";
import { auditRouter } from "./audit.ts";
import type { CapacityReport } from "../capacity/report.ts";
import { restoreTestsRouter } from "./restore-tests.ts";
import { statusRoutes } from "./status.ts";
import type { RestoreTests } from "../restore/schedule.ts";

export interface ApiDeps {
  config: Pick<Config, "apiToken" | "targets" | "tenants" | "sampling"> & Partial<Pick<Config, "metricsToken" | "slo" | "statusPage">>;
  store: Store;
  runner: Runner;
  metrics: Metrics;
  log: Logger;
  /** Filled in by main once connections exist: the Odoo version each tenant answered with. */
  serverVersion?: (tenant: string) => string | undefined;
  /** Blocking chains and top statements of the last PostgreSQL cycle, when that source is configured. */
  postgresDetails?: () => PostgresDetails | undefined;
  /** The scheduler's progress (monotonic ms): readiness fails when cycles stop. */
  scheduler?: () => { lastCycleAt: number | undefined; intervalMs: number };
  /** SLO ledgers and seasonal baselines (the alerting's view), with the tenants' local time for the calendar. */
  /** `freshen`: brings the ledgers of tenants another backend holds up to date before an answer (several backends). */
  slo?: { tracker: SloTracker; calendar: readonly CalendarRule[]; offsetMinutes: (tenant: string, at: number) => number; freshen?: (tenant: string | undefined) => Promise<void> };
  /** Capacity and cost of every tenant from the store (the capacity collector's report). */
  capacity?: (now: Date) => Promise<CapacityReport>;
  /** The zone whose local days make the weekly digest's weeks (`digest.timeZone`); UTC when absent. */
  digestTimeZone?: string;
  /** The configured restore tests, run on their schedules and on demand (`restoreTests`). */
  restoreTests?: RestoreTests;
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

/** Query parameters are single strings of text: repeated or bracketed ones, and control characters, are refused. */
const refuseBadQuery: RequestHandler = (req, res, next) => {
  for (const [name, value] of Object.entries(req.query)) {
    if (typeof value !== "string") {
      res.status(400).json({ error: `${name}: give it once, as a plain value`, parameter: name });
      return;
    }
    if (value.length > 200 || BAD_TEXT.test(value)) {
      res.status(400).json({ error: `${name}: control characters, invalid UTF-16 or more than 200 characters`, parameter: name });
      return;
    }
  }
  next();
};

const alertsQuery = z.strictObject({
  tenant: z.string().min(1).optional(),
  state: z.enum(["pending", "firing", "resolved"]).optional(),
  sli: z.string().min(1).max(100).optional(),
  severity: z.enum(["page", "ticket"]).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function createApp(deps: ApiDeps): Express {
  const { config, store, runner, metrics } = deps;
  const app = express();
  app.disable("x-powered-by");
  const tenantNames = () => new Set(config.tenants.map((t) => t.name));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    const reasons: string[] = [];
    const unsampled = config.tenants.filter((t) => !runner.health().some((h) => h.tenant === t.name)).map((t) => t.name);
    if (unsampled.length) reasons.push(`not sampled yet: ${unsampled.join(", ")}`);
    let timer: NodeJS.Timeout | undefined;
    const storeState = await Promise.race([
      store.ping().then(() => "ok", (err: Error) => `unreachable (${err.message.slice(0, 120)})`),
      new Promise<string>((r) => (timer = setTimeout(() => r("not answering within 2 s"), 2_000))),
    ]);
    clearTimeout(timer);
    if (storeState !== "ok") reasons.push(`store: ${storeState}`);
    const writes = runner.storeHealth();
    if (!writes.ok) reasons.push(`store: writes failing (${writes.error?.slice(0, 120)}); ${writes.heldRuns} runs held in memory${writes.droppedRuns ? `, ${writes.droppedRuns} dropped` : ""}`);
    const progress = deps.scheduler?.();
    if (progress?.lastCycleAt !== undefined) {
      const idle = performance.now() - progress.lastCycleAt;
      if (idle > 2 * progress.intervalMs + 5_000) reasons.push(`scheduler: no sampling cycle for ${Math.round(idle / 1000)} s (one every ${progress.intervalMs / 1000} s)`);
    }
    for (const h of runner.health()) if (h.error?.startsWith("wedged")) reasons.push(`collector ${h.tenant}/${h.source}: ${h.error}`);
    const ready = reasons.length === 0;
    res.status(ready ? 200 : 503).json({ ready, reasons, store: storeState === "ok" && writes.ok ? "ok" : storeState === "ok" ? "writes failing" : storeState, unsampledTenants: unsampled });
  });

  // One exposition at a time, reused for a second: twenty concurrent scrapes cost one, and /healthz stays quick.
  let exposition: { at: number; text: Promise<string> } | undefined;
  const metricsGuard = config.metricsToken ? bearerCheck(config.metricsToken) : undefined;
  app.get("/metrics", async (req, res) => {
    if (metricsGuard && !metricsGuard(req.get("authorization"))) {
      res.set("www-authenticate", 'Bearer realm="metrics"').status(401).json({ error: "metrics: send Authorization: Bearer <metrics token>" });
      return;
    }
    if (!exposition || Date.now() - exposition.at > 1000) {
      const text = metrics.text();
      exposition = { at: Date.now(), text };
      text.catch(() => (exposition = undefined));
    }
    res.type(metrics.registry.contentType).send(await exposition.text);
  });

  // The API's description: shapes only, no data, so readable without a token (generators fetch it before they have one).
  app.get("/api/v1/openapi.json", (_req, res) => {
    res.json(OPENAPI);
  });

  const api = express.Router();
  api.use(refuseBadQuery);
  const auth = config.apiToken ? new Authenticator(config.apiToken, store.tokens) : undefined;
  if (auth) api.use(auth.middleware());

  // Who this token is: an Odoo checks it holds its own tenant's token, not the operator's.
  api.get("/token", (_req, res) => {
    const p = principalOf(res);
    res.json({ operator: p.tokenId === null, id: p.tokenId, tenant: p.tenant, scopes: [...p.scopes] });
  });

  api.get("/tenants", (_req, res) => {
    res.json({ tenants: config.tenants.filter((t) => reaches(res, t.name)).map((t) => publicTenant(t, deps)) });
  });

  api.get("/slis/current", async (req, res) => {
    const requested = typeof req.query.tenant === "string" ? req.query.tenant : undefined;
    if (requested !== undefined && !tenantNames().has(requested)) throw new BadRequest("tenant", `unknown tenant "${requested}"`);
    const tenant = tenantFor(res, requested);
    // A token bound to a tenant sees its readings and the shared infrastructure's, as its Odoo's dashboard does.
    const rows = requested === undefined && tenant !== undefined ? [...(await store.latest(tenant)), ...(await store.latest("global"))] : await store.latest(tenant);
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
    tenantFor(res, q.tenant);
    if (!sliDefinition(q.sli)) throw new BadRequest("sli", `unknown SLI "${q.sli}"; one of ${SLI_CATALOG.map((d) => d.id).join(", ")}`);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
    if (from > to) throw new BadRequest("from", "must not be after to");
    const points = await store.series(q.tenant, q.sli, from, to);
    res.json({ tenant: q.tenant, sli: q.sli, from, to, points: points.map(({ at, labels, value, missing }) => ({ at, labels, value, missing })) });
  });

  api.get("/catalog", (_req, res) => {
    // slo: the target and window in force where neither the SLI's configuration nor a tenant's Odoo settings set one.
    res.json({
      slis: SLI_CATALOG.map((d) => ({ ...d, objective: objectiveOf(d, config.targets), alerting: alertingOf(d), seasonal: SEASONAL_SLIS.has(d.id) })),
      slo: config.slo && { target: config.slo.target, windowDays: config.slo.windowDays },
    });
  });

  api.get("/postgres", (_req, res) => {
    // Statements and sessions of every database on the server: not for a token bound to one tenant.
    if (principalOf(res).tenant !== null) throw new Forbidden("tenant", `this token is bound to tenant "${principalOf(res).tenant}"; the PostgreSQL server is shared`);
    const details = deps.postgresDetails?.();
    if (!details) {
      res.status(404).json({ error: "no PostgreSQL source configured, or not sampled yet (sources.postgres)" });
      return;
    }
    res.json(details);
  });

  api.get("/alerts", async (req, res) => {
    const q = parseQuery(alertsQuery, req);
    const tenant = tenantFor(res, q.tenant);
    // One more than the page: whether there is a next one, without counting them all.
    const page = await store.alerts.list({ tenant, state: q.state, sli: q.sli, severity: q.severity, limit: q.limit + 1, offset: q.offset });
    const alerts = page.slice(0, q.limit);
    res.json({
      alerts: alerts.map((a) => ({ ...a, since: new Date(a.since), firedAt: a.firedAt && new Date(a.firedAt), resolvedAt: a.resolvedAt && new Date(a.resolvedAt) })),
      nextOffset: page.length > q.limit ? q.offset + q.limit : null,
    });
  });

  api.get("/collectors", (_req, res) => {
    res.json({ collectors: runner.health().filter((h) => reaches(res, h.tenant, { allowGlobal: true })) });
  });

  api.use(eventsRouter(store, tenantNames));
  api.use(silencesRouter(store));
  api.use(auditRouter(store));
  if (deps.capacity) {
    const report = deps.capacity;
    api.get("/capacity", async (req, res) => {
      const q = parseQuery(z.strictObject({ tenant: z.string().min(1).optional() }), req);
      if (q.tenant !== undefined && !tenantNames().has(q.tenant)) throw new BadRequest("tenant", `unknown tenant "${q.tenant}"`);
      const tenant = tenantFor(res, q.tenant);
      const full = await report(new Date());
      // A tenant's token sees its own figures and the shared host's, never another tenant's.
      res.json(tenant === undefined ? full : { ...full, tenants: full.tenants.filter((t) => t.tenant === tenant), hints: full.hints.filter((h) => h.scope === tenant || h.scope === "host") });
    });
  }
  api.use(restoreTestsRouter(deps.restoreTests, store));
  api.use(incidentsRouter(store));
  if (auth) api.use(tokensRouter(store, auth, tenantNames));
  const objectives = deps.slo?.tracker.objectives ?? new Objectives(config.targets, { target: 0.99, windowDays: 28, slis: {} });
  api.use(reportsRouter({ store, objectives, capacity: deps.capacity }, { tenantNames, timeZone: deps.digestTimeZone ?? "UTC" }));
  // The status page: public pages outside /api/v1 (no token), the detailed answer inside it.
  const status = statusRoutes({ store, objective: (tenant, def) => objectives.objective(tenant, def), page: config.statusPage ?? { title: "Service status", publicTenants: [] }, tenantNames });
  api.use(status.api);
  app.use(status.pages);
  if (deps.slo) api.use(sloRouter(deps.slo.tracker, tenantNames, deps.slo.offsetMinutes, deps.slo.calendar, deps.slo.freshen));
  app.use("/api/v1", api);
  app.use("/api/v1", (req, res) => {
    res.status(404).json({ error: `no such endpoint: ${req.method} ${req.originalUrl.split("?")[0]}` });
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (err?.type === "entity.parse.failed") {
      res.status(400).json({ error: "body: not valid JSON", parameter: "body" });
      return;
    }
    // The body parser's own refusals (too large, unknown charset or encoding, bad gzip, shorter than announced),
    // and undecodable paths (%ff): the client's fault, said as such.
    const status = Number(err?.status ?? err?.statusCode);
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: `${err?.type ? "body" : "request"}: ${String(err?.message ?? "bad request").slice(0, 200)}`, parameter: err?.type ? "body" : "path" });
      return;
    }
    if (err?.code === "Z_DATA_ERROR" || err?.code === "Z_BUF_ERROR" || err?.errno === -3) {
      res.status(400).json({ error: "body: not valid gzip or deflate data", parameter: "body" });
      return;
    }
    if (err instanceof BadRequest) {
      res.status(400).json({ error: err.message, parameter: err.parameter });
      return;
    }
    if (err instanceof Forbidden) {
      res.status(403).json({ error: err.message, parameter: err.parameter });
      return;
    }
    if (storeUnavailable(err)) {
      res.status(503).set("retry-after", "10").json({ error: "store unavailable: try again shortly" });
      return;
    }
    deps.log.error({ err: String(err) }, "API request failed");
    res.status(500).json({ error: "internal error" });
  };
  app.use(onError);
  return app;
}

/** Errors of a store that is down, restarting or not answering: the API says 503, not "internal error". */
function storeUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return /^(08|57P0|53)/.test(e?.code ?? "") || ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"].includes(e?.code ?? "") ||
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connect ECONNREFUSED|Client has encountered a connection error/.test(e?.message ?? "");
}
