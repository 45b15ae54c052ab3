/**
 * The OpenAPI 3.1 description of the HTTP API, kept beside the routes it describes and served at
 * GET /api/v1/openapi.json. It describes shapes only (no tenant, no data), so it is readable without a token:
 * generators and API consoles fetch it before they hold one. test/integration/openapi.test.ts holds every
 * documented answer of a demo backend to it, and every route Express serves to being documented.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: "string" };
const num: Schema = { type: "number" };
const int: Schema = { type: "integer" };
const bool: Schema = { type: "boolean" };
const time: Schema = { type: "string", format: "date-time" };
const nullable = (s: Schema): Schema => ({ oneOf: [s, { type: "null" }] });
const labels: Schema = { type: "object", additionalProperties: { type: "string" }, description: "Label set of a series (carrier, channel, failure_type, source...)" };
/** An object whose listed properties are all required and no other is allowed. */
const closed = (properties: Record<string, Schema>, optional: readonly string[] = []): Schema => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});
/** An object with these required properties; it may carry more (reports whose figures grow). */
const open = (properties: Record<string, Schema>): Schema => ({ type: "object", properties, required: Object.keys(properties) });

const query = (name: string, schema: Schema, description: string, required = false) => ({ name, in: "query", required, schema, description });
const pathId = (what: string) => ({ name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[1-9][0-9]{0,15}$" }, description: `The ${what}'s id` });
const tenantQuery = query("tenant", str, "A configured tenant; a token bound to a tenant may only name its own");

const json = (schema: Schema, description: string) => ({ description, content: { "application/json": { schema } } });
const error = (description: string) => json(ref("Error"), description);
/** The answers every authenticated route may give besides its own. */
const common = {
  "400": error("A bad parameter or body: `parameter` names it"),
  "401": error("No bearer token, or not a valid one"),
  "403": error("Another tenant's data, or a scope this token lacks"),
  "429": error("Twenty failed authentications from this address in a minute"),
  "503": error("The store is unavailable: try again shortly"),
};
const get = (summary: string, ok: Schema, parameters: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  get: { summary, parameters, responses: { "200": json(ok, "OK"), ...common, ...extra } },
});
const body = (schema: Schema) => ({ required: true, content: { "application/json": { schema } } });

const collectorHealth = closed({
  tenant: str, source: str, ok: bool, lastRunAt: nullable(time), lastSuccessAt: nullable(time), durationSeconds: nullable(num), error: nullable(str), runs: int,
}, ["lastSuccessAt", "durationSeconds"]);

const componentState: Schema = { enum: ["operational", "degraded", "outage", "no_data"] };
/** A status-page component as the public page shows it: state, since when and why, 90 days of history. */
const statusComponent = {
  id: { enum: ["odoo", "orders", "deliveries", "waves", "carriers", "jobs", "database", "journeys"] }, name: str, state: componentState, since: nullable(time),
  reason: { enum: ["odoo_unreachable", "incident", "journey_failed", "objective_missed", null], description: "Why it is in its state; null when operational or without data" },
  uptime: { ...nullable({ type: "number", minimum: 0, maximum: 1 }), description: "Share of the observed part of the window without a page on it" },
  days: { type: "array", items: componentState, description: "The worst state of each UTC day from firstDay, oldest first; the last is today so far" },
};
const statusIncident = { components: { type: "array", items: closed({ id: str, name: str }) }, state: { enum: ["outage", "degraded"] }, since: time };
const statusHead = { tenant: str, title: str, generatedAt: time, overall: componentState, historyDays: int, firstDay: { type: "string", format: "date" } };

const tokenProperties = { id: int, tenant: nullable(str), scopes: { type: "array", items: { enum: ["read", "write"] } }, label: str, createdAt: time, revokedAt: nullable(time), lastUsedAt: nullable(time) };

const schemas: Record<string, Schema> = {
  Error: closed({ error: str, parameter: str }, ["parameter"]),
  CollectorHealth: collectorHealth,
  Tenant: closed({ name: str, demo: bool, url: { type: "string", format: "uri" }, db: str, serverVersion: nullable(str), collectors: { type: "array", items: ref("CollectorHealth") } }),
  SliReading: closed({
    tenant: str, source: str, sli: str, labels, at: time, value: nullable(num), missing: nullable(str),
    title: str, unit: str, better: { enum: ["higher", "lower"] }, objective: num, status: { enum: ["ok", "breach", "missing"] },
  }),
  SeriesPoint: closed({ at: time, labels, value: nullable(num), missing: nullable(str) }),
  CatalogEntry: {
    type: "object",
    required: ["id", "title", "unit", "better", "objective", "alerting", "seasonal"],
    properties: { id: str, title: str, unit: str, better: { enum: ["higher", "lower"] }, objective: num, alerting: { enum: ["slo", "threshold"] }, seasonal: bool, layer: str, labels: { type: "array", items: str } },
  },
  Cause: {
    type: "object",
    required: ["rank", "layer", "subject", "evidence", "confidence"],
    properties: { rank: int, layer: str, subject: str, evidence: str, confidence: { type: "number", minimum: 0, maximum: 1 }, signal: nullable({ type: "object", properties: { tenant: str, sli: str, labels } }) },
  },
  Alert: closed({
    fingerprint: str, tenant: str, sli: str, labels, kind: { enum: ["threshold", "burn_rate", "anomaly"] }, severity: { enum: ["page", "ticket"] },
    state: { enum: ["pending", "firing", "resolved"] }, since: time, firedAt: nullable(time), resolvedAt: nullable(time), clearSince: nullable(num),
    value: nullable(num), objective: num, silencedBy: nullable(int), inhibitedBy: nullable(str), lastNotifiedAt: nullable(num), repeats: int, incidentId: nullable(int),
    details: { type: "object", description: "Budget, burn rates, band and score, ranked causes (`causes`), `probableCause`: what the alert is explained with" },
  }, ["clearSince", "incidentId"]),
  IncidentAlert: {
    type: "object",
    required: ["ref", "fingerprint", "sli", "title", "labels", "kind", "severity", "state", "since", "value", "objective", "muted"],
    properties: {
      ref: str, fingerprint: str, sli: str, title: str, labels, kind: str, severity: { enum: ["page", "ticket"] }, state: { enum: ["pending", "firing", "resolved"] },
      since: time, value: nullable(num), objective: num, muted: bool, facts: { type: "array", items: str },
    },
  },
  Incident: closed({
    id: int, ref: { type: "string", description: "the incident's identity outside this store: logistics.incident's incident_ref in Odoo" },
    tenant: str, state: { enum: ["open", "resolved"] }, severity: { enum: ["page", "ticket"] }, title: str, openedAt: time, resolvedAt: nullable(time),
    firstAbnormalAt: time, firstNotifiedAt: nullable(time), mttdSeconds: nullable(num), mttrSeconds: nullable(num),
    causes: { type: "array", items: ref("Cause") }, alerts: { type: "array", items: ref("IncidentAlert") },
    timeline: { type: "array", items: closed({ at: time, kind: str, text: str }) },
  }),
  Silence: closed({ id: int, matchers: labels, creator: str, comment: str, startsAt: time, endsAt: time, active: bool }),
  /** As POST answers it: times in epoch milliseconds (GET gives ISO 8601 and whether it is active). */
  SilenceCreated: closed({ id: int, matchers: labels, creator: str, comment: str, startsAt: { ...int, description: "epoch ms" }, endsAt: { ...int, description: "epoch ms" } }),
  Event: closed({ id: int, kind: { enum: ["backup", "deploy"] }, tenant: nullable(str), at: time, payload: { type: "object" } }),
  RestoreCheck: closed({ name: str, ok: bool, expected: nullable(int), actual: nullable(int), detail: str }),
  RestoreResult: closed({
    kind: { const: "restore_test" }, status: { enum: ["success", "failure"] }, name: str, tenant: nullable(str), tool: { const: "pg_restore" },
    archive: { ...nullable(str), description: "The archive's file name only" }, archiveSizeBytes: nullable(int), backupTakenAt: nullable(time), started: time, finished: time,
    durationSeconds: { ...nullable(num), description: "Creating the scratch database and pg_restore: what the recovery time objective is about" },
    checkSeconds: nullable(num), recoveryObjectiveSeconds: int,
    withinObjective: { ...nullable(bool), description: "null when the restore did not complete" }, objectiveRatio: nullable(num),
    checks: { type: "array", items: ref("RestoreCheck") },
    note: { type: "string", description: "\"no row counts recorded at backup time\" when the archive has no counts file" }, error: str,
  }, ["note", "error"]),
  RestoreTest: closed({
    name: str, tenant: nullable(str), schedule: { ...str, description: "cron expression" }, timeZone: str, recoveryObjectiveSeconds: int, keyTables: { type: "array", items: str },
    running: bool, last: { ...nullable(ref("RestoreResult")), description: "The last run's result" }, lastSuccessAt: nullable(time),
  }),
  Token: closed(tokenProperties),
  TokenCreated: closed({ ...tokenProperties, token: { type: "string", description: "The token's secret: in this answer only" } }),
  PublicStatus: closed({
    ...statusHead, components: { type: "array", items: closed(statusComponent) }, incidents: { type: "array", items: closed(statusIncident) },
  }),
  DetailedStatus: closed({
    ...statusHead,
    components: { type: "array", items: closed({ ...statusComponent, slis: { type: "array", items: closed({
      sli: str, title: str, labels, unit: str, better: { enum: ["higher", "lower"] }, value: nullable(num), missing: nullable(str), objective: num,
      status: { enum: ["ok", "breach", "missing"] }, at: time, shared: { ...bool, description: "A reading of the shared database server, not of the tenant's own" },
    }) } }) },
    incidents: { type: "array", items: closed({
      ...statusIncident, id: int, shared: { ...bool, description: "An incident of the shared database server: a tenant's token gets it without title and cause" },
      severity: { enum: ["page", "ticket"] }, title: str, openedAt: time,
      probableCause: nullable(closed({ subject: str, evidence: str, confidence: { type: "number", minimum: 0, maximum: 1 }, layer: str })),
    }) },
    journeys: { type: "array", items: closed({
      journey: str, at: time, ok: bool, seconds: num, failedStep: nullable(str), error: nullable(str),
      steps: { type: "array", items: closed({ step: str, ok: bool, seconds: num, error: str }, ["error"]) }, skipped: { type: "array", items: str },
    }) },
  }),
  Readiness: closed({ ready: bool, reasons: { type: "array", items: str }, store: str, unsampledTenants: { type: "array", items: str } }),
  Slo: {
    type: "object",
    required: ["tenant", "sli", "labels", "title", "objective", "better", "target", "windowDays", "errorBudgetRemaining", "burnRates", "burnAlert"],
    properties: {
      tenant: str, sli: str, labels, title: str, objective: num, better: { enum: ["higher", "lower"] }, target: num, windowDays: int, errorBudgetRemaining: nullable(num),
      burnRates: { type: "object", additionalProperties: nullable(num) }, burnAlert: { enum: ["page", "ticket", null], description: "The burn-rate alert its burn rates raise now, if any" },
    },
  },
};

const silenceBody = closed({
  matchers: { type: "object", additionalProperties: { type: "string", minLength: 1, maxLength: 200 }, minProperties: 1, maxProperties: 10 },
  creator: { type: "string", minLength: 1, maxLength: 100 },
  comment: { type: "string", minLength: 1, maxLength: 500 },
  endsAt: { ...time, description: "In the future, at most 30 days ahead" },
});
const backupBody = closed({
  kind: { enum: ["base", "wal", "restore_test"] }, status: { enum: ["success", "failure"] }, started: time, finished: time,
  size: { type: "integer", minimum: 0 }, tool: { type: "string", maxLength: 40 }, message: { type: "string", maxLength: 500 },
}, ["size", "tool", "message"]);
const deployBody = closed({ tenant: str, version: { type: "string", minLength: 1, maxLength: 100 }, author: { type: "string", minLength: 1, maxLength: 100 }, time, description: { type: "string", maxLength: 500 } }, ["tenant", "time", "description"]);
const tokenBody = closed({ tenant: str, scopes: { type: "array", items: { enum: ["read", "write"] }, minItems: 1 }, label: { type: "string", minLength: 1, maxLength: 100 } }, ["tenant"]);
const created = (schema: Schema) => ({ "201": json(schema, "Created"), ...common });
const gone = (what: string) => ({ "204": { description: `The ${what} ended` }, ...common, "404": error(`No such ${what}`) });

const v1 = (path: string) => `/api/v1${path}`;

const tenantPath = { name: "tenant", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,39}$" }, description: "A tenant's name" };
const html = (description: string) => ({ description, content: { "text/html": { schema: str } } });
const statusPage = (summary: string, extra: Record<string, unknown> = {}) => ({
  get: { summary, security: [], parameters: [tenantPath], responses: { "200": html("The page: self-contained, nothing loaded from elsewhere"), ...extra } },
});

/** The document, as served. */
export const OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Odoo Logistics Observability",
    version: "1",
    description: "Business service levels of Odoo logistics tenants, their SLOs, alerts and incidents with ranked probable causes. Errors are `{error, parameter?}`: a 400 names the parameter.",
    license: { name: "LGPL-3.0-only", identifier: "LGPL-3.0-only" },
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "The configured API token (the operator's), or a token made with POST /api/v1/tokens (bound to one tenant or none, scopes read and write)" },
      metricsBearer: { type: "http", scheme: "bearer", description: "METRICS_TOKEN, when one is configured" },
    },
    schemas,
  },
  paths: {
    "/healthz": { get: { summary: "The process is up", security: [], responses: { "200": json(closed({ status: { const: "ok" } }), "Up") } } },
    "/readyz": {
      get: {
        summary: "Ready to serve: every tenant sampled, the store answering and taking writes, the scheduler running",
        security: [],
        responses: {
          "200": json(ref("Readiness"), "Ready"),
          "503": json(ref("Readiness"), "Not ready: `reasons` says why"),
        },
      },
    },
    "/metrics": {
      get: {
        summary: "Prometheus text exposition",
        security: [{}, { metricsBearer: [] }],
        responses: { "200": { description: "Prometheus text format", content: { "text/plain": { schema: str } } }, "401": error("METRICS_TOKEN is set and was not sent") },
      },
    },
    [v1("/openapi.json")]: { get: { summary: "This document", security: [], responses: { "200": json({ type: "object" }, "The OpenAPI 3.1 document") } } },
    [v1("/token")]: get("Who this token is", closed({ operator: bool, id: nullable(int), tenant: nullable(str), scopes: { type: "array", items: str } })),
    [v1("/tenants")]: get("Tenants, their Odoo version and collector health", closed({ tenants: { type: "array", items: ref("Tenant") } })),
    [v1("/slis/current")]: get("Latest reading per tenant, SLI and label set, with objective and status", closed({ slis: { type: "array", items: ref("SliReading") } }), [tenantQuery]),
    [v1("/slis")]: get("One SLI's series (default: the last 24 h)", closed({ tenant: str, sli: str, from: time, to: time, points: { type: "array", items: ref("SeriesPoint") } }), [
      query("tenant", str, "A configured tenant", true), query("sli", str, "An SLI id of the catalogue", true), query("from", time, "Start (ISO 8601)"), query("to", time, "End (ISO 8601), default now"),
    ]),
    [v1("/catalog")]: get("The SLIs and signals with their objectives, how they alert and whether they are seasonal", { type: "object", required: ["slis"], properties: { slis: { type: "array", items: ref("CatalogEntry") }, slo: closed({ target: num, windowDays: int }) }, additionalProperties: false }),
    [v1("/slos")]: get("Each SLO: objective, target, window, error budget left, burn rates, the burn alert it raises", closed({ slos: { type: "array", items: ref("Slo") } }), [tenantQuery]),
    [v1("/anomalies")]: get("Seasonal SLIs: hourly means with expected value, band and anomaly score", open({ tenant: str, series: { type: "array", items: open({ sli: str, labels, hours: { type: "array", items: open({ at: time, value: nullable(num), expected: nullable(num), low: nullable(num), high: nullable(num), score: nullable(num) }) } }) } }), [
      query("tenant", str, "A configured tenant", true), query("sli", str, "One seasonal SLI"), query("hours", { type: "integer", minimum: 1, maximum: 336, default: 48 }, "Hours back"),
    ]),
    [v1("/alerts")]: get("Alerts, firing first then the newest, a page at a time: pending, firing, resolved, with value, objective, budget or band, ranked causes, incident", closed({ alerts: { type: "array", items: ref("Alert") }, nextOffset: { type: ["integer", "null"], description: "offset of the next page; null on the last" } }), [
      query("state", { enum: ["pending", "firing", "resolved"] }, "Only alerts in this state"), tenantQuery, query("sli", str, "Only this SLI"), query("severity", { enum: ["page", "ticket"] }, "Only this severity"),
      query("limit", { type: "integer", minimum: 1, maximum: 5000, default: 500 }, "Page size"), query("offset", { type: "integer", minimum: 0, default: 0 }, "Alerts skipped"),
    ]),
    [v1("/incidents")]: get("Incidents with ranked causes, alerts, timeline, MTTD and MTTR", closed({ incidents: { type: "array", items: ref("Incident") } }), [
      tenantQuery, query("state", { enum: ["open", "resolved"] }, "Only incidents in this state"), query("limit", { type: "integer", minimum: 1, maximum: 1000 }, "At most this many, newest first"),
    ]),
    [v1("/incidents/{id}")]: get("One incident", ref("Incident"), [pathId("incident")], { "404": error("No such incident") }),
    [v1("/silences")]: {
      ...get("Silences, active and ended", closed({ silences: { type: "array", items: ref("Silence") } })),
      post: { summary: "Mutes the notifications of matching alerts until endsAt (scope write)", requestBody: body(silenceBody), responses: created(ref("SilenceCreated")) },
    },
    [v1("/silences/{id}")]: { delete: { summary: "Ends a silence now (scope write)", parameters: [pathId("silence")], responses: gone("silence") } },
    [v1("/collectors")]: get("Health of every collector: last run, duration, success, error", closed({ collectors: { type: "array", items: ref("CollectorHealth") } })),
    [v1("/postgres")]: get("Blocking chains and top statements of the last PostgreSQL cycle (not for a tenant's token)", open({}), [], { "404": error("No PostgreSQL source configured, or not sampled yet") }),
    [v1("/events")]: get("Backup, restore-test and deploy events", closed({ events: { type: "array", items: ref("Event") } }), [
      query("kind", { enum: ["backup", "deploy"] }, "Only this kind"), tenantQuery, query("from", time, "Start"), query("to", time, "End"),
    ]),
    [v1("/events/backup")]: { post: { summary: "A backup job reports a base backup, a WAL push or a restore test (operator or tenant-free token, scope write)", requestBody: body(backupBody), responses: created(ref("Event")) } },
    [v1("/events/deploy")]: { post: { summary: "A release of one tenant's Odoo, or of the platform without tenant (scope write)", requestBody: body(deployBody), responses: created(ref("Event")) } },
    [v1("/restore-tests")]: get("The configured restore tests with their last result (a tenant's token: its tenant's only)", closed({ restoreTests: { type: "array", items: ref("RestoreTest") } })),
    [v1("/restore-tests/{name}/run")]: {
      post: {
        summary: "Runs a restore test now and answers its result when it is done, success or failure (scope write; the platform's tests not for a tenant's token)",
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,39}$" }, description: "The restore test's name" }],
        responses: { "200": json(ref("RestoreResult"), "The test ran: its result"), ...common, "404": error("No restore test of this name"), "409": error("The test is already running, here or on another backend") },
      },
    },
    [v1("/tokens")]: {
      ...get("Tokens (never their secret; operator only)", closed({ tokens: { type: "array", items: ref("Token") } })),
      post: { summary: "Makes a token; its secret is in this answer only (operator only)", requestBody: body(tokenBody), responses: created(ref("TokenCreated")) },
    },
    [v1("/tokens/{id}")]: { delete: { summary: "Revokes a token at once (operator only)", parameters: [pathId("token")], responses: gone("token") } },
    [v1("/digest")]: get("A week's digest: KPIs this week and last, service levels, incidents, top causes", open({ tenant: str, timezone: str, weekStart: str, weekEnd: str, from: time, to: time, complete: bool, kpis: { type: "array" }, serviceLevels: { type: "object" }, incidents: { type: "object" }, topCauses: { type: "array" } }), [
      tenantQuery, query("week_end", { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, "Last day of the week (YYYY-MM-DD); default the last complete week"),
    ]),
    [v1("/audit")]: get("Who changed what, when, in each tenant's Odoo: failed logins, privilege changes, API keys, configuration, modules, exports (format=csv for a file)", closed({
      events: { type: "array", items: open({ tenant: str, odooId: int, at: time, category: str, action: str, actor: nullable(str), login: nullable(str), remoteAddr: nullable(str), targetModel: nullable(str), targetId: nullable(int), targetName: nullable(str), detail: nullable(str), rows: nullable(int) }) },
      nextOffset: nullable(int),
    }), [
      tenantQuery, query("category", { enum: ["login_failed", "privilege", "user_created", "api_key", "config", "module", "export"] }, "Only this category"),
      query("actor", str, "Only what this login did"), query("from", time, "Start (default 30 days back)"), query("to", time, "End"),
      query("limit", { type: "integer", minimum: 1, maximum: 10000, default: 500 }, "Page size"), query("offset", { type: "integer", minimum: 0, default: 0 }, "Rows to skip"),
      query("format", { enum: ["json", "csv"], default: "json" }, "csv: a file for a spreadsheet"),
    ]),
    [v1("/capacity")]: get("Capacity and cost: workers and cron threads against what was configured, storage with growth and days until the quota or disk is full, a monthly cost estimate, right-sizing hints", open({
      at: time, historyDays: int,
      tenants: { type: "array", items: open({ tenant: str, workers: { type: "object" }, cron: { type: "object" }, storage: { type: "object" }, shares: { type: "object" }, monthlyCost: open({ currency: str, total: { type: "number" } }) }) },
      disk: open({ mount: str, freeBytes: nullable({ type: "number" }), growthBytesPerDay: nullable({ type: "number" }), daysUntilFull: nullable({ type: "number" }) }),
      host: { type: "object" },
      hints: { type: "array", items: open({ scope: str, resource: str, verdict: { enum: ["over-provisioned", "under-provisioned", "running out"] }, advice: str }) },
    }), [tenantQuery]),
    [v1("/journeys")]: get("Runs of a tenant's synthetic journeys, each step with its time and the failing step's error", closed({
      runs: { type: "array", items: open({ tenant: str, journey: str, at: time, ok: bool, seconds: { type: "number" }, failedStep: nullable(str), error: nullable(str), steps: { type: "array" }, skipped: { type: "array" } }) },
    }), [
      query("tenant", str, "Tenant", true), query("journey", { enum: ["warehouse", "portal"] }, "Only this journey"),
      query("from", time, "Start (default a day back)"), query("to", time, "End"), query("limit", { type: "integer", minimum: 1, maximum: 2000, default: 100 }, "Newest runs"),
    ]),
    "/status/{tenant}": statusPage("A tenant's public status page (statusPage.publicTenants): components, their state and since when, current incidents, 90 days of history", {
      "404": html("Not a public tenant, or no such tenant: the same answer"), "503": error("The store is unavailable: try again shortly"),
    }),
    "/status/{tenant}.json": {
      get: {
        summary: "The public status page's data: no values, causes, labels, hosts or logins",
        security: [],
        parameters: [tenantPath],
        responses: { "200": json(ref("PublicStatus"), "OK"), "404": error("Not a public tenant, or no such tenant: the same answer"), "503": error("The store is unavailable: try again shortly") },
      },
    },
    "/status/{tenant}/detail": statusPage("The detailed status page: asks for a token, keeps it in the tab's sessionStorage and loads GET /api/v1/status with it (served for any well-formed name)", {
      "404": html("Not a tenant name"),
    }),
    [v1("/status")]: get("A tenant's status in detail: the public page's components, incidents and history, with each component's SLIs (value, objective, status), the incidents' titles and probable causes, and the journeys' last runs", ref("DetailedStatus"), [
      query("tenant", str, "A configured tenant; a token bound to a tenant may only name its own", true),
    ]),
    [v1("/scorecard")]: get("The five questions with figures, answer and verdict", open({
      tenant: nullable(str), days: int, from: time, to: time,
      answers: { type: "array", items: open({ key: str, question: str, answer: { enum: ["yes", "partly", "no", "unknown"] }, verdict: str, figures: { type: "object" } }) },
    }), [tenantQuery, query("days", { type: "integer", minimum: 1, maximum: 90, default: 30 }, "Days back")]),
  },
};

