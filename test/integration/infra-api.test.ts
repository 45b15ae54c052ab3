import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { startDemoOdoo } from "../../server/demo/server.ts";
import { silentLogger } from "../../server/log/logger.ts";

/**
 * The infrastructure sources wired into the backend: their series appear in /metrics with bounded labels only,
 * and in /api/v1 beside the business SLIs.
 */
const pgUrl = process.env.TEST_PG_URL;
if (!pgUrl) console.log("# infrastructure API suite: NOT RUN (TEST_PG_URL unset; `npm test` starts a server)");

const ALLOWED_LABELS = new Set(["tenant", "source", "sli", "better", "state", "resource", "router", "service", "endpoint", "queue", "db", "kind", "device", "mount", "carrier", "channel", "failure_type", "window", "severity"]);
const TOKEN = "infra-token-0123456789";

describe("infrastructure series in /metrics and /api/v1", { skip: pgUrl ? false : "TEST_PG_URL unset" }, () => {
  let backend: Backend;
  let demo: Awaited<ReturnType<typeof startDemoOdoo>>;
  before(async () => {
    demo = await startDemoOdoo({ seed: 3 });
    const dir = mkdtempSync(join(tmpdir(), "lo-infra-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: TOKEN, dataDir: dir,
      tenants: [{ name: "demo", url: demo.url, db: demo.db, user: demo.user, password: demo.password }],
      sources: { postgres: { url: pgUrl, tenantDatabases: { postgres: "demo" } }, host: { mounts: ["/"] }, tls: { endpoints: [{ name: "closed", host: "127.0.0.1", port: 1 }], timeoutMs: 1000 } },
    }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true, schedule: false });
    for (let i = 0; i < 2; i++) await Promise.all(backend.collectorsAll.map((c) => backend.runner.run(c)));
  });
  after(async () => {
    await backend.stop();
    await demo.close();
  });

  test("every source ran; PostgreSQL, host and TLS series are in /metrics with bounded labels", async () => {
    const health = backend.runner.health().map((h) => `${h.source}:${h.ok}`).sort();
    assert.deepEqual(health, ["backups:true", "capacity:true", "host:true", "odoo_business:true", "postgres:true", "tls:true"]);
    const text = await (await fetch(`http://127.0.0.1:${backend.port}/metrics`)).text();
    assert.match(text, /^logistics_pg_connections\{tenant="demo",state="active"\} \d+/m);
    assert.match(text, /^logistics_pg_tenant_share\{tenant="demo",resource="connections"\} /m);
    assert.match(text, /^logistics_host_memory_used_ratio\{tenant="global"\} 0\.\d+/m);
    assert.match(text, /^logistics_sli_missing\{tenant="global",sli="tls_leaf_expiry_days"\} 1/m);
    for (const line of text.split("\n").filter((l) => l.startsWith("logistics_") && l.includes("{"))) {
      const names = [...line.slice(line.indexOf("{") + 1, line.lastIndexOf("}")).matchAll(/(\w+)="/g)].map((m) => m[1]!);
      for (const n of names) assert.ok(ALLOWED_LABELS.has(n) || line.startsWith("logistics_process_"), `unbounded label ${n} in ${line}`);
    }
  });

  test("/api/v1/slis/current serves them beside the business SLIs, with objectives and status", async () => {
    const body = (await (await fetch(`http://127.0.0.1:${backend.port}/api/v1/slis/current`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { slis: Array<{ tenant: string; sli: string; status: string; missing: string | null }> };
    const of = (sli: string) => body.slis.filter((s) => s.sli === sli);
    assert.ok(of("pg_connections_used_ratio").some((s) => s.tenant === "global" && s.status === "ok"));
    assert.ok(of("late_open_deliveries").some((s) => s.tenant === "demo"));
    assert.match(of("tls_leaf_expiry_days")[0]!.missing!, /ECONNREFUSED/);
    const pg = await fetch(`http://127.0.0.1:${backend.port}/api/v1/postgres`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(pg.status, 200);
    assert.ok("blocking" in ((await pg.json()) as object));
  });
});
