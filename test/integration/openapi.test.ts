import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { createApp } from "../../server/api/app.ts";
import { OPENAPI } from "../../server/api/openapi.ts";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { Runner } from "../../server/collectors/runner.ts";
import { CapacityCollector } from "../../server/collectors/capacity.ts";
import { capacitySchema } from "../../server/config/capacity-schema.ts";
import { loadConfig } from "../../server/config/load.ts";
import { Secret } from "../../server/config/secret.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { Metrics } from "../../server/metrics/registry.ts";
import { Objectives } from "../../server/sli/objectives.ts";
import { SloTracker } from "../../server/slo/tracker.ts";
import { openStore } from "../../server/store/open.ts";

// ajv-formats is CommonJS: its default export is the plugin, under .default when imported from ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

type Operation = { parameters?: Array<{ name: string; in: string; required?: boolean }>; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
const paths = OPENAPI.paths as unknown as Record<string, Record<string, Operation>>;

/** A pointer into the document, as JSON Pointer escapes it. */
const pointer = (...parts: string[]) => `openapi.json#/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

/**
 * The OpenAPI 3.1 document against the API it describes: every documented GET of a demo backend (with alerts,
 * incidents, a silence, a token and events in it) answers a status the document lists, with a body its schema
 * (JSON Schema 2020-12, ajv) accepts; so do the writes and the error answers; and every route Express serves is
 * in the document.
 */
describe("OpenAPI document", () => {
  const TOKEN = "openapi-api-token-012345";
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(OPENAPI, "openapi.json");
  let dir: string;
  let backend: Backend;
  let validated = 0;
  const checked = new Set<string>();

  let anonymous = 0;
  /**
   * A GET without a token, from a loopback address of its own each time: twenty failed authentications from one
   * address earn a 429, and the document has more routes than that to answer 401 on.
   */
  const callWithoutToken = (path: string) =>
    new Promise<{ status: number; type: string; body: unknown }>((resolve, reject) => {
      const req = httpGet({ host: "127.0.0.1", port: backend.port, path, localAddress: `127.0.0.${2 + (anonymous++ % 250)}` }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const type = res.headers["content-type"] ?? "";
          resolve({ status: res.statusCode!, type, body: text && type.includes("json") ? (JSON.parse(text) as unknown) : text });
        });
      });
      req.on("error", reject);
    });

  const call = async (method: string, path: string, init: { token?: string | null; body?: unknown } = {}) => {
    const token = init.token === undefined ? TOKEN : init.token;
    if (token === null && method === "GET") return callWithoutToken(path);
    const res = await fetch(`http://127.0.0.1:${backend.port}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(init.body !== undefined && { "content-type": "application/json" }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: text && res.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as unknown) : text };
  };

  /** Holds an answer to the document: its status is listed for the route, and its body matches that status's schema. */
  const conforms = (template: string, method: string, answer: { status: number; type: string; body: unknown }) => {
    const op = paths[template]?.[method];
    assert.ok(op, `${method.toUpperCase()} ${template} is documented`);
    const response = op.responses[String(answer.status)];
    assert.ok(response, `${method.toUpperCase()} ${template}: status ${answer.status} is documented (${JSON.stringify(answer.body).slice(0, 200)})`);
    if (!response.content?.["application/json"]) return;
    const validate = ajv.getSchema(pointer("paths", template, method, "responses", String(answer.status), "content", "application/json", "schema"))!;
    assert.ok(validate(answer.body), `${method.toUpperCase()} ${template} ${answer.status}: ${ajv.errorsText(validate.errors)}`);
    validated++;
    checked.add(`${method.toUpperCase()} ${template} ${answer.status}`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lo-openapi-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ port: 0, apiToken: TOKEN, dataDir: dir, alerts: { forSeconds: 0 }, statusPage: { publicTenants: ["demo"] } }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true, schedule: false });
    for (let i = 0; i < 2; i++) for (const c of backend.collectors) await backend.runner.run(c);
  });
  after(async () => {
    await backend?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("every schema of the document compiles as JSON Schema 2020-12", () => {
    for (const name of Object.keys(OPENAPI.components.schemas)) assert.ok(ajv.getSchema(pointer("components", "schemas", name)), name);
    assert.equal(OPENAPI.openapi, "3.1.0");
  });

  test("the writes answer as documented", async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    conforms("/api/v1/silences", "post", await call("POST", "/api/v1/silences", { body: { matchers: { sli: "mail_failed" }, creator: "ops", comment: "known", endsAt: inAnHour } }));
    conforms("/api/v1/tokens", "post", await call("POST", "/api/v1/tokens", { body: { tenant: "demo", scopes: ["read"], label: "Odoo demo" } }));
    conforms("/api/v1/events/deploy", "post", await call("POST", "/api/v1/events/deploy", { body: { tenant: "demo", version: "2026.12.1", author: "ci" } }));
    const finished = new Date(Date.now() - 60_000).toISOString();
    conforms("/api/v1/events/backup", "post", await call("POST", "/api/v1/events/backup", { body: { kind: "base", status: "success", started: finished, finished, size: 1024 } }));
    conforms("/api/v1/silences", "post", await call("POST", "/api/v1/silences", { body: { matchers: {}, creator: "ops", comment: "x", endsAt: inAnHour } }));
  });

  test("every documented GET of a demo backend answers as documented", async () => {
    const { incidents } = (await call("GET", "/api/v1/incidents")).body as { incidents: Array<{ id: number }> };
    assert.ok(incidents.length > 0, "the demo has incidents");
    const params: Record<string, string> = { tenant: "demo", sli: "ready_backlog", id: String(incidents[0]!.id) };
    for (const [template, ops] of Object.entries(paths)) {
      if (!ops.get) continue;
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => params[name]!);
      const required = (ops.get.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=${params[p.name]}`);
      const answer = await call("GET", `${path}${required.length ? `?${required.join("&")}` : ""}`);
      conforms(template, "get", answer);
      if (template.startsWith("/api/v1/") && template !== "/api/v1/openapi.json") {
        // Each with data to validate (the demo has no PostgreSQL source: its 404 is the documented one).
        assert.equal(answer.status, template === "/api/v1/postgres" ? 404 : 200, template);
        // The same route without a token: 401 with the error shape.
        conforms(template, "get", await call("GET", path, { token: null }));
      }
    }
    // Optional filters and the error answers.
    conforms("/api/v1/alerts", "get", await call("GET", "/api/v1/alerts?state=firing&tenant=demo"));
    conforms("/api/v1/alerts", "get", await call("GET", "/api/v1/alerts?state=burning"));
    conforms("/api/v1/incidents", "get", await call("GET", "/api/v1/incidents?state=open&limit=2"));
    conforms("/api/v1/incidents/{id}", "get", await call("GET", "/api/v1/incidents/99999"));
    conforms("/api/v1/events", "get", await call("GET", "/api/v1/events?kind=deploy&tenant=demo"));
    conforms("/api/v1/anomalies", "get", await call("GET", "/api/v1/anomalies?tenant=demo&sli=ready_backlog&hours=24"));
    conforms("/api/v1/scorecard", "get", await call("GET", "/api/v1/scorecard?tenant=demo&days=7"));
    conforms("/api/v1/slis", "get", await call("GET", "/api/v1/slis?tenant=demo&sli=nope"));
    conforms("/readyz", "get", await call("GET", "/readyz"));
  });

  test("deletes answer as documented", async () => {
    const { silences } = (await call("GET", "/api/v1/silences")).body as { silences: Array<{ id: number }> };
    conforms("/api/v1/silences/{id}", "delete", await call("DELETE", `/api/v1/silences/${silences[0]!.id}`));
    conforms("/api/v1/silences/{id}", "delete", await call("DELETE", "/api/v1/silences/99999"));
    const { tokens } = (await call("GET", "/api/v1/tokens")).body as { tokens: Array<{ id: number }> };
    conforms("/api/v1/tokens/{id}", "delete", await call("DELETE", `/api/v1/tokens/${tokens[0]!.id}`));
    conforms("/api/v1/tokens/{id}", "delete", await call("DELETE", `/api/v1/tokens/${tokens[0]!.id}`));
  });

  test("the document is served without a token", async () => {
    const answer = await call("GET", "/api/v1/openapi.json", { token: null });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, JSON.parse(JSON.stringify(OPENAPI)));
  });

  test("every route Express serves is documented, and every documented route is served", async () => {
    const store = await openStore({ inMemory: true });
    try {
      const metrics = new Metrics(() => 0);
      const log = silentLogger();
      // Every optional part of the API present: tokens (an API token), SLOs and anomalies (the tracker).
      const slo = new SloTracker(store.slo, new Objectives({}, { target: 0.99, windowDays: 28, slis: {} }), { calendar: [], offsetMinutes: () => 0 });
      const app = createApp({
        config: { ...loadConfig({}), apiToken: new Secret("x".repeat(20)) },
        store, runner: new Runner(store, metrics, log, 30_000), metrics, log, slo: { tracker: slo, calendar: [], offsetMinutes: () => 0 },
        capacity: (now) => new CapacityCollector(capacitySchema.parse(undefined), [], store).report(now),
      });
      const served = routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack).sort();
      const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
      assert.deepEqual(served, documented);
      console.log(`# OpenAPI: ${served.length} routes served, all documented; ${validated} answers validated against the document (${checked.size} route/status pairs)`);
    } finally {
      await store.close();
    }
  });
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** "METHOD /path/{param}" of every route in an Express 5 router, nested routers included. */
function routesOf(stack: Layer[], prefix = ""): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) return Object.keys(layer.route.methods).filter((m) => m !== "_all").map((m) => `${m.toUpperCase()} ${prefix}${layer.route!.path.replace(/:(\w+)/g, "{$1}")}`);
    if (layer.handle?.stack) return routesOf(layer.handle.stack, prefix + (typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : ""));
    return [];
  });
}
