import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createApp } from "../../server/api/app.ts";
import type { Collector } from "../../server/collectors/collector.ts";
import { Runner } from "../../server/collectors/runner.ts";
import { Secret } from "../../server/config/secret.ts";
import type { Tenant } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { Metrics } from "../../server/metrics/registry.ts";
import { OdooError } from "../../server/odoo/errors.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

const TOKEN = "test-token-0123456789";
const tenant = (name: string): Tenant => ({ name, url: "http://odoo.invalid:8069/odoo?db=x", db: name, user: "u", credential: new Secret("pw-" + name), credentialKind: "password", timezone: "UTC", timeoutMs: 1000, demo: false });

function collector(name: string, behaviour: "ok" | "auth" | "hang"): Collector {
  return {
    tenant: name,
    source: "odoo_business",
    slis: ["late_open_deliveries", "ready_backlog"],
    async collect() {
      if (behaviour === "auth") throw new OdooError("auth", `login refused for user "u" on database "${name}"`);
      if (behaviour === "hang") await new Promise((r) => setTimeout(r, 2_000));
      return [{ sli: "late_open_deliveries", value: 3 }, { sli: "ready_backlog", value: 12 }];
    },
  };
}

describe("runner and API", () => {
  let store: Store;
  let runner: Runner;
  let metrics: Metrics;
  let base: string;
  let close: () => void;

  before(async () => {
    store = await openStore({ inMemory: true });
    metrics = new Metrics((d) => d.target);
    runner = new Runner(store, metrics, silentLogger(), 300);
    const app = createApp({ config: { apiToken: new Secret(TOKEN), targets: { ready_backlog: 10 }, tenants: [tenant("good"), tenant("bad"), tenant("slow")], sampling: { intervalSeconds: 60, timeoutSeconds: 1, windowHours: 24, credentialCheckCycles: 1, maxConcurrentRuns: 32 } }, store, runner, metrics, log: silentLogger() });
    const server = app.listen(0);
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(async () => {
    close();
    await store.close();
  });

  const get = (path: string, token: string | null = TOKEN) => fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test("/readyz is 503 until every tenant was sampled", async () => {
    assert.equal((await get("/readyz", null)).status, 503);
  });

  test("a failing and a hanging tenant do not stop the good one; their SLIs are missing with the reason", async () => {
    const reports = await Promise.all([runner.run(collector("good", "ok")), runner.run(collector("bad", "auth")), runner.run(collector("slow", "hang"))]);
    assert.deepEqual(reports.map((r) => r!.ok), [true, false, false]);
    const current = (await (await get("/api/v1/slis/current")).json()) as { slis: Array<Record<string, unknown>> };
    const of = (t: string, sli: string) => current.slis.find((s) => s.tenant === t && s.sli === sli)!;
    assert.equal(of("good", "ready_backlog").value, 12);
    assert.equal(of("good", "ready_backlog").status, "breach", "the config objective (10) overrides the catalogue's");
    assert.equal(of("good", "late_open_deliveries").status, "ok");
    assert.equal(of("bad", "ready_backlog").value, null);
    assert.match(String(of("bad", "ready_backlog").missing), /odoo_business failed: login refused for user "u" on database "bad"/);
    assert.match(String(of("slow", "ready_backlog").missing), /no result within 0.3 s/);
    assert.equal((await get("/readyz", null)).status, 200);
  });

  test("a run still in flight is not started twice: the next cycle reports the collector wedged", async () => {
    const slow = collector("slow", "hang");
    const first = runner.run(slow);
    const second = await runner.run(slow);
    assert.equal(second.ok, false);
    assert.match(runner.healthOf("slow", slow.source)!.error!, /^wedged: the run started at \d\d:\d\d:\d\d UTC has not finished$/);
    assert.deepEqual(second.samples.map((s) => [s.sli, s.value]), [["sampling_up", 0]], "only the monitor's own reading: the last readings stay");
    await first;
  });

  test("/metrics has the SLIs with bounded labels and the sampler's own health", async () => {
    const text = await (await get("/metrics", null)).text();
    assert.match(text, /logistics_ready_backlog\{tenant="good"\} 12/);
    assert.match(text, /logistics_sli_missing\{tenant="bad",sli="ready_backlog"\} 1/);
    assert.match(text, /logistics_collector_success\{tenant="bad",source="odoo_business"\} 0/);
    assert.match(text, /logistics_collector_success\{tenant="good",source="odoo_business"\} 1/);
    assert.match(text, /logistics_collector_last_success_timestamp_seconds\{tenant="good",source="odoo_business"\} \d+/);
    assert.doesNotMatch(text, /logistics_ready_backlog\{tenant="bad"/, "a missing reading is no series, never 0");
    assert.ok(!text.includes("pw-"), "no credential in metrics");
  });

  test("/api/v1 requires the bearer token", async () => {
    assert.equal((await get("/api/v1/tenants", null)).status, 401);
    assert.equal((await get("/api/v1/tenants", "wrong-token")).status, 401);
    const ok = await get("/api/v1/tenants");
    assert.equal(ok.status, 200);
    const body = await ok.text();
    assert.ok(!body.includes("pw-"), "no credential in API responses");
    assert.match(body, /"url":"http:\/\/odoo.invalid:8069"/, "only the origin of the tenant URL is shown");
  });

  const badRequests: Array<[string, string, RegExp]> = [
    ["/api/v1/slis?sli=ready_backlog", "tenant", /tenant: required/],
    ["/api/v1/slis?tenant=good", "sli", /sli: required/],
    ["/api/v1/slis?tenant=nope&sli=ready_backlog", "tenant", /unknown tenant "nope"/],
    ["/api/v1/slis?tenant=good&sli=nope", "sli", /unknown SLI "nope"/],
    ["/api/v1/slis?tenant=good&sli=ready_backlog&from=yesterday", "from", /from: an ISO 8601 time/],
    ["/api/v1/slis?tenant=good&sli=ready_backlog&from=2026-11-29T10:00:00Z&to=2026-11-28T10:00:00Z", "from", /must not be after to/],
    ["/api/v1/slis?tenant=good&sli=ready_backlog&colour=red", "colour", /colour: unknown parameter/],
    ["/api/v1/slis/current?tenant=nope", "tenant", /unknown tenant/],
  ];
  for (const [path, parameter, message] of badRequests) {
    test(`400 naming the parameter: ${path.split("?")[1]}`, async () => {
      const res = await get(path);
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; parameter: string };
      assert.equal(body.parameter, parameter);
      assert.match(body.error, message);
    });
  }

  test("series returns the stored points in the range", async () => {
    const res = await get(`/api/v1/slis?tenant=good&sli=ready_backlog&from=2000-01-02T00:00:00Z`);
    const body = (await res.json()) as { points: Array<{ value: number }> };
    assert.deepEqual(body.points.map((p) => p.value), [12]);
  });
});
