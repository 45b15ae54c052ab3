import assert from "node:assert/strict";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo, type DemoOdoo } from "../../server/demo/server.ts";
import { silentLogger } from "../../server/log/logger.ts";

const OPERATOR = "operator-token-0123456789";
const METRICS = "metrics-token-0123456789";

/**
 * Tokens bound to a tenant, with scopes, stored hashed, revocable: what an Odoo holds reaches its own tenant only.
 * Two tenants on one backend (the embedded store on disk, so that its files' modes are checked too).
 */
describe("API access: tenant-bound tokens, scopes, throttling, the metrics token", () => {
  let demo: DemoOdoo;
  let backend: Backend;
  let base = "";
  let dir = "";
  const call = (path: string, token: string | null, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
  const post = (path: string, token: string, body: unknown) => call(path, token, { method: "POST", body: JSON.stringify(body) });
  const tokenFor = async (tenant: string | undefined, scopes: string[]) => {
    const res = await post("/api/v1/tokens", OPERATOR, { tenant, scopes, label: `odoo ${tenant ?? "all"}` });
    assert.equal(res.status, 201);
    return (await res.json()) as { id: number; token: string };
  };

  before(async () => {
    demo = await startDemoOdoo({ seed: 21 });
    dir = mkdtempSync(join(tmpdir(), "lo-access-"));
    const file = join(dir, "config.json");
    const tenant = (name: string) => ({ name, url: demo.url, db: demo.db, user: demo.user, password: demo.password });
    writeFileSync(file, JSON.stringify({ port: 0, apiToken: OPERATOR, metricsToken: METRICS, dataDir: join(dir, "data"), tenants: [tenant("eu"), tenant("us")] }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { schedule: false });
    base = `http://127.0.0.1:${backend.port}`;
    for (let i = 0; i < 2; i++) for (const c of backend.collectorsAll) await backend.runner.run(c);
  });
  after(async () => {
    await backend?.stop();
    await demo?.close();
  });

  test("one tenant's token is refused on another tenant's data (403), and sees only its own", async () => {
    const eu = await tokenFor("eu", ["read"]);
    for (const path of ["/api/v1/alerts?tenant=us", "/api/v1/slis/current?tenant=us", "/api/v1/slos?tenant=us", "/api/v1/incidents?tenant=us", "/api/v1/events?tenant=us", "/api/v1/postgres"]) {
      const res = await call(path, eu.token);
      assert.equal(res.status, 403, path);
      assert.match(((await res.json()) as { error: string }).error, /bound to tenant "eu"/, path);
    }
    const current = (await (await call("/api/v1/slis/current", eu.token)).json()) as { slis: Array<{ tenant: string }> };
    assert.ok(current.slis.length > 0);
    assert.deepEqual([...new Set(current.slis.map((s) => s.tenant))].sort(), ["eu", "global"].filter((t) => current.slis.some((s) => s.tenant === t)));
    assert.deepEqual(await (await call("/api/v1/token", eu.token)).json(), { operator: false, id: eu.id, tenant: "eu", scopes: ["read"] });
    assert.equal(((await (await call("/api/v1/token", OPERATOR)).json()) as { operator: boolean }).operator, true);
    const tenants = (await (await call("/api/v1/tenants", eu.token)).json()) as { tenants: Array<{ name: string }> };
    assert.deepEqual(tenants.tenants.map((t) => t.name), ["eu"]);
    const alerts = (await (await call("/api/v1/alerts", eu.token)).json()) as { alerts: Array<{ tenant: string }> };
    assert.ok(alerts.alerts.every((a) => a.tenant === "eu"));
    const us = (await backend.store.incidents.list({ tenant: "us" }))[0];
    if (us) assert.equal((await call(`/api/v1/incidents/${us.id}`, eu.token)).status, 403, "another tenant's incident by number");
  });

  test("scopes: a read token writes nothing; a write token silences its own tenant only; backups and tokens are the operator's", async () => {
    const reader = await tokenFor("eu", ["read"]);
    const writer = await tokenFor("us", ["read", "write"]);
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const silence = { matchers: { sli: "mail_failed" }, creator: "ops", comment: "relay", endsAt };
    assert.equal((await post("/api/v1/silences", reader.token, silence)).status, 403);
    assert.equal((await post("/api/v1/silences", writer.token, { ...silence, matchers: { tenant: "eu", sli: "mail_failed" } })).status, 403);
    const created = await post("/api/v1/silences", writer.token, silence);
    assert.equal(created.status, 201);
    assert.deepEqual(((await created.json()) as { matchers: Record<string, string> }).matchers, { sli: "mail_failed", tenant: "us" }, "pinned to its tenant");
    const euSilence = (await (await post("/api/v1/silences", OPERATOR, { ...silence, matchers: { tenant: "eu" } })).json()) as { id: number };
    assert.equal((await call(`/api/v1/silences/${euSilence.id}`, writer.token, { method: "DELETE" })).status, 403, "another tenant's silence stays");
    const backup = { kind: "base", status: "success", started: new Date(Date.now() - 60_000).toISOString(), finished: new Date().toISOString() };
    assert.equal((await post("/api/v1/events/backup", writer.token, backup)).status, 403);
    assert.equal((await post("/api/v1/events/deploy", writer.token, { tenant: "eu", version: "1", author: "x" })).status, 403);
    assert.equal((await post("/api/v1/events/deploy", writer.token, { version: "stock 18.0.1.1", author: "ci" })).status, 201);
    assert.equal((await post("/api/v1/tokens", writer.token, { scopes: ["read"], label: "more" })).status, 403);
    assert.equal((await call("/api/v1/tokens", writer.token)).status, 403);
  });

  test("tokens are kept hashed, listed without secrets, and refused as soon as revoked", async () => {
    const t = await tokenFor("eu", ["read"]);
    assert.match(t.token, /^lot_[A-Za-z0-9_-]{32}$/);
    const listed = await (await call("/api/v1/tokens", OPERATOR)).text();
    assert.ok(!listed.includes(t.token) && !listed.includes(t.token.slice(4, 20)), "no token in the list");
    const stored = JSON.stringify(await backend.store.tokens.list());
    assert.ok(!stored.includes(t.token));
    assert.equal((await call("/api/v1/alerts", t.token)).status, 200);
    assert.equal((await call(`/api/v1/tokens/${t.id}`, OPERATOR, { method: "DELETE" })).status, 204);
    assert.equal((await call("/api/v1/alerts", t.token)).status, 401);
  });

  test("silences are capped in length and event times cannot be in the future", async () => {
    const long = await post("/api/v1/silences", OPERATOR, { matchers: { tenant: "eu" }, creator: "x", comment: "y", endsAt: "2099-01-01T00:00:00Z" });
    assert.equal(long.status, 400);
    assert.match(((await long.json()) as { error: string }).error, /^endsAt: at most 30 days ahead/);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const res = await post("/api/v1/events/backup", OPERATOR, { kind: "base", status: "success", started: future, finished: future });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /^finished: .* is in the future/);
  });

  test("/metrics answers only with its token; the data directory is the owner's only", async () => {
    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    assert.equal((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } })).status, 401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /logistics_collector_success/);
    assert.equal(statSync(join(dir, "data")).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, "data", "pglite")).mode & 0o777, 0o700);
  });

  test("failed authentications are throttled per address", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 30; i++) codes.push((await call("/api/v1/tenants", `wrong-${i}`)).status);
    // 20 failures a minute per address (the revoked token above was one of them), then 429 for the rest of it.
    const first = codes.indexOf(429);
    assert.ok(first >= 15 && first <= 20, `throttled from attempt ${first + 1}`);
    assert.ok(codes.slice(0, first).every((c) => c === 401) && codes.slice(first).every((c) => c === 429), codes.join(","));
    const blocked = await call("/api/v1/tenants", OPERATOR);
    assert.equal(blocked.status, 429, "the address waits, whatever it sends");
    assert.ok(Number(blocked.headers.get("retry-after")) > 0);
  });
});
