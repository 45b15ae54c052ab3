import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";

const TOKEN = "paging-token-0123456789";

/** /api/v1/alerts a page at a time, filtered: 500 tenants' alerts are not one 1.7 MB answer. */
describe("alerts, paged and filtered", () => {
  let backend: Backend;
  const get = async (query: string) => {
    const res = await fetch(`http://127.0.0.1:${backend.port}/api/v1/alerts${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: res.status, body: (await res.json()) as { alerts: Array<{ fingerprint: string; severity: string; sli: string }>; nextOffset: number | null; error?: string } };
  };
  before(async () => {
    backend = await startBackend(loadConfig({ API_TOKEN: TOKEN, PORT: "0", SAMPLE_INTERVAL_SECONDS: "60" }), silentLogger(), { inMemoryStore: true, schedule: false });
    for (let i = 0; i < 3; i++) for (const c of backend.collectorsAll) await backend.runner.run(c);
  });
  after(() => backend?.stop());

  test("pages follow one another without overlap; the last says there is no next; filters narrow it", async () => {
    const all = (await get("")).body;
    assert.ok(all.alerts.length >= 2, `the demo raises several alerts (${all.alerts.length})`);
    assert.equal(all.nextOffset, null);
    const first = (await get("?limit=1")).body;
    const second = (await get(`?limit=1&offset=${first.nextOffset}`)).body;
    assert.equal(first.nextOffset, 1);
    assert.deepEqual([first.alerts[0]!.fingerprint, second.alerts[0]!.fingerprint], all.alerts.slice(0, 2).map((a) => a.fingerprint));
    const sli = all.alerts[0]!.sli;
    assert.ok((await get(`?sli=${sli}`)).body.alerts.every((a) => a.sli === sli));
    const bad = await get("?severity=urgent&limit=0");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error!, /severity|limit/);
  });
});
