import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SecurityCollector } from "../../server/collectors/security.ts";
import { Secret } from "../../server/config/secret.ts";
import type { Tenant } from "../../server/config/load.ts";
import type { OdooClient } from "../../server/odoo/client.ts";
import { OdooError } from "../../server/odoo/errors.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

/**
 * The security collector over the store (PGlite, the same SQL as PostgreSQL): the trail is copied once, page by page
 * from the last id copied, and judged; Odoo down leaves the signals missing with the reason and the trail read on
 * from where it stopped. Odoo's side is the addon's search_read answer shape (test/odoo/security.test.ts runs it
 * against a real Odoo).
 */
const tenant: Tenant = { name: "eu", url: "http://odoo.invalid", db: "eu", user: "monitor", credential: new Secret("x"), credentialKind: "password", timezone: "UTC", timeoutMs: 1000, demo: false };
const NOW = new Date("2026-12-06T10:30:00Z");
const odooTime = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");

describe("security collector on a store", () => {
  let store: Store;
  const trail: Array<Record<string, unknown> & { id: number }> = [];
  let down = false;
  const asked: number[] = [];
  const client = {
    async searchRead(_model: string, domain: unknown[][], _fields: string[], opts: { limit: number }) {
      if (down) throw new OdooError("unreachable", "cannot connect (ECONNREFUSED)");
      const after = Number(domain[0]![2]);
      asked.push(after);
      return trail.filter((r) => r.id > after).slice(0, opts.limit);
    },
  } as unknown as OdooClient;

  before(async () => {
    store = await openStore({ inMemory: true });
    await store.migrate();
    // 1,500 failed logins of one address on one login in the last minutes: two pages of the addon's answer.
    for (let i = 1; i <= 1500; i++) trail.push({ id: i, occurred_at: odooTime(new Date(NOW.getTime() - 60_000)), category: "login_failed", action: "failed", actor_login: false, login: "anna", remote_addr: "203.0.113.9", target_model: false, target_id: 0, target_name: false, detail: "refused", rows: 0 });
  });
  after(async () => store?.close());

  test("copies the trail page by page from the last id, once, and judges it", async () => {
    const collector = new SecurityCollector(tenant, store, async () => client);
    const readings = await collector.collect({ now: NOW, signal: AbortSignal.timeout(5000) });
    assert.deepEqual(asked, [0, 1000]);
    const value = (sli: string) => readings.find((r) => r.sli === sli)?.value;
    assert.equal(value("security_failed_logins"), 1500);
    assert.equal(value("security_login_bursts"), 2);
    trail.push({ id: 1501, occurred_at: odooTime(NOW), category: "privilege", action: "granted", actor_login: "admin", login: false, remote_addr: false, target_model: "res.users", target_id: 7, target_name: "Administration / Settings", detail: "clerk added to Administration / Settings", rows: 0 });
    const next = await collector.collect({ now: NOW, signal: AbortSignal.timeout(5000) });
    assert.equal(asked.at(-1), 1500, "read on from the last id copied");
    assert.equal(next.find((r) => r.sli === "security_privilege_grants")?.value, 1);
    assert.equal((await store.audit.list({ tenant: "eu", from: new Date(0), to: NOW, limit: 10_000 })).length, 1501, "each row copied once");
  });

  test("Odoo down: every signal missing with the reason, no failed run (the business collector pages for it)", async () => {
    down = true;
    const readings = await new SecurityCollector(tenant, store, async () => client).collect({ now: NOW, signal: AbortSignal.timeout(5000) });
    assert.ok(readings.length > 0 && readings.every((r) => r.value === undefined && /audit trail not read: cannot connect/.test(r.missing!)));
    down = false;
  });
});
