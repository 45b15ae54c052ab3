import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { DetailedStatus, PublicStatus } from "../../server/status/view.ts";
import { startStatusBackend, type StatusBackend } from "../support/status-backend.ts";

/**
 * The status page of a tenant whose Odoo is down (its port closed, sampled for real every 5 s), over a history
 * written through the store: public without a token for the public tenant only, nothing of the configuration in
 * it, and the detailed answer for the operator's token and the tenant's own.
 */
describe("status page, with the tenant's Odoo down", () => {
  let s: StatusBackend;
  const tokens: Record<string, string> = {};
  const get = (path: string, token?: string) => fetch(`${s.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  before(async () => {
    s = await startStatusBackend();
    for (const tenant of ["eu", "us"]) {
      const res = await fetch(`${s.base}/api/v1/tokens`, {
        method: "POST", headers: { authorization: `Bearer ${s.operatorToken}`, "content-type": "application/json" }, body: JSON.stringify({ tenant, scopes: ["read"], label: `${tenant} status` }),
      });
      assert.equal(res.status, 201);
      tokens[tenant] = ((await res.json()) as { token: string }).token;
    }
  });
  after(async () => s?.stop());

  const noSecretIn = (text: string, where: string) => {
    for (const [what, secret] of Object.entries({ ...s.secrets, port: `:${s.secrets.hostPort.split(":")[1]}` })) assert.ok(!text.includes(secret), `${where} shows the tenant's ${what} (${secret})`);
    for (const detail of ["ECONNREFUSED", "Secret Carrier", "row locks", "Sessions waiting on a lock", "inventory_overview", "tenant us", s.operatorToken]) assert.ok(!text.includes(detail), `${where} shows ${detail}`);
  };

  test("public JSON: the Odoo components are an outage because Odoo cannot be reached; the database keeps its own state", async () => {
    const res = await get("/status/eu.json");
    assert.equal(res.status, 200);
    const view = (await res.json()) as PublicStatus;
    const byId = new Map(view.components.map((c) => [c.id, c]));
    for (const id of ["odoo", "orders", "deliveries", "waves", "carriers", "jobs", "journeys"]) {
      assert.equal(byId.get(id as never)?.state, "outage", id);
      assert.equal(byId.get(id as never)?.reason, "odoo_unreachable", id);
      assert.ok(byId.get(id as never)?.since, id);
    }
    assert.equal(byId.get("database")?.state, "degraded", "its open ticket");
    assert.equal(view.overall, "outage");
    assert.equal(view.title, "Acme logistics");
    assert.ok(view.incidents.some((i) => i.state === "outage" && i.components.some((c) => c.id === "odoo")), "Odoo unreachable is a current incident");
    assert.ok(view.incidents.some((i) => i.state === "degraded" && i.components.some((c) => c.id === "database")));
    // 90 days: nothing before the first reading 20 days ago; the page three days ago and the ticket ten days ago.
    const deliveries = byId.get("deliveries")!;
    assert.equal(deliveries.days.length, 90);
    assert.ok(deliveries.days.slice(0, 69).every((d) => d === "no_data"), "before the first reading");
    assert.equal(deliveries.days[86], "outage", "three days ago");
    assert.equal(byId.get("carriers")!.days[79], "degraded", "ten days ago");
    assert.ok(deliveries.uptime !== null && deliveries.uptime > 0.99 && deliveries.uptime < 1, `uptime ${deliveries.uptime}`);
    noSecretIn(JSON.stringify(view), "public JSON");
  });

  test("public HTML: the same in words, self-contained, nothing of the configuration", async () => {
    const res = await get("/status/eu");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'; script-src 'sha256-/);
    const html = await res.text();
    assert.match(html, /<h1>Acme logistics: eu<\/h1>/);
    assert.match(html, /Deliveries<\/h3><span class="badge s-outage">Outage<\/span>/);
    assert.match(html, /Outage: Odoo cannot be reached since <time datetime="[^"]+">[^<]+ UTC<\/time>/);
    assert.match(html, /Database<\/h3><span class="badge s-degraded">Degraded<\/span>/);
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i, "nothing loaded from elsewhere");
    assert.doesNotMatch(html, /https?:\/\//, "no address at all");
    noSecretIn(html, "public HTML");
  });

  test("a tenant that is not public and one that does not exist get the same 404", async () => {
    for (const suffix of ["", ".json"]) {
      const [notPublic, unknown] = [await get(`/status/us${suffix}`), await get(`/status/nosuch${suffix}`)];
      assert.equal(notPublic.status, 404);
      assert.equal(unknown.status, 404);
      assert.equal(await notPublic.text(), await unknown.text());
    }
  });

  test("the detailed page is a shell for any tenant name: it holds no data", async () => {
    const [eu, us] = [await get("/status/eu/detail"), await get("/status/us/detail")];
    assert.equal(eu.status, 200);
    assert.equal(us.status, 200);
    const html = await eu.text();
    assert.match(html, /<input id="token" type="password"/);
    assert.doesNotMatch(html, /<input[^>]+name=/, "a token typed is never sent as a form field");
    assert.match(html, /<div id="status"><\/div>/, "empty until the script has loaded the data with a token");
    assert.doesNotMatch(html, /id="status-data"/);
  });

  test("the detailed API: 401 without a token, 403 with another tenant's, the details with the tenant's own", async () => {
    assert.equal((await get("/api/v1/status?tenant=eu")).status, 401);
    const other = await get("/api/v1/status?tenant=eu", tokens.us);
    assert.equal(other.status, 403);
    assert.match(((await other.json()) as { error: string }).error, /bound to tenant "us"/);
    const res = await get("/api/v1/status?tenant=eu", tokens.eu);
    assert.equal(res.status, 200);
    const view = (await res.json()) as DetailedStatus;
    const database = view.components.find((c) => c.id === "database")!;
    assert.deepEqual(database.slis.map((x) => [x.sli, x.value, x.status, x.shared]).sort(), [
      ["pg_cache_hit_ratio", 0.998, "ok", false], ["pg_connections_used_ratio", 0.42, "ok", true], ["pg_lock_waiting_sessions", 7, "breach", false],
    ]);
    const orders = view.components.find((c) => c.id === "orders")!;
    assert.ok(orders.slis.length > 0 && orders.slis.every((x) => x.value === null && x.status === "missing"), "no stale value while Odoo is down");
    const locks = view.incidents.find((i) => !i.shared && i.components.some((c) => c.id === "database"))!;
    assert.equal(locks.probableCause?.subject, "row locks in eu's database");
    assert.deepEqual(view.journeys.map((j) => [j.journey, j.ok, j.failedStep, j.steps.length, j.skipped.length]), [["warehouse", false, "inventory_overview", 2, 2]]);
    // The shared server's incident: the tenant's token without what may name other tenants, the operator's with it.
    const shared = view.incidents.find((i) => i.shared)!;
    assert.deepEqual([shared.title, shared.probableCause, shared.components.map((c) => c.id)], ["Incident of the shared database server", null, ["database"]]);
    assert.ok(!JSON.stringify(view).includes("tenant us"));
    const operator = await get("/api/v1/status?tenant=eu", s.operatorToken);
    assert.equal(operator.status, 200, "the operator's token reaches every tenant");
    assert.equal(((await operator.json()) as DetailedStatus).incidents.find((i) => i.shared)?.probableCause?.subject, "connections of tenant us");
    assert.equal((await get("/api/v1/status?tenant=nosuch", s.operatorToken)).status, 400);
  });
});
