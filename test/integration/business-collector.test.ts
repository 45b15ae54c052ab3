import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BusinessCollector, MAX_RPCS_PER_CYCLE } from "../../server/collectors/business/index.ts";
import { Secret } from "../../server/config/secret.ts";
import { startDemoOdoo } from "../../server/demo/server.ts";
import { BUSINESS_SLIS } from "../../server/sli/catalog.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

/** The business collector against the demo Odoo: its published cost per cycle holds, with and without the addon. */
for (const addon of [false, true]) {
  describe(`business collector on the demo Odoo ${addon ? "with" : "without"} the addon`, () => {
    let demo: Awaited<ReturnType<typeof startDemoOdoo>>;
    let store: Store;
    let collector: BusinessCollector;
    before(async () => {
      demo = await startDemoOdoo({ seed: 5, labelEvents: addon });
      store = await openStore({ inMemory: true });
      const tenant = { name: "d", url: demo.url, db: demo.db, user: demo.user, credential: new Secret(demo.password), credentialKind: "password" as const, timezone: "UTC", timeoutMs: 5000, demo: true };
      collector = new BusinessCollector(tenant, store, { windowSeconds: 86_400 });
    });
    after(async () => {
      await store.close();
      await demo.close();
    });

    test(`every cycle stays within ${addon ? 3 : MAX_RPCS_PER_CYCLE} RPCs, and every business SLI is read`, async () => {
      for (let cycle = 0; cycle < 3; cycle++) {
        const before = collector.rpcCount;
        const readings = await collector.collect({ now: new Date(), signal: new AbortController().signal });
        // The first cycle also logs in and detects the installed modules (3 more calls); later ones log in again
        // (1 call), so that a revoked key is noticed.
        const budget = (addon ? 3 : MAX_RPCS_PER_CYCLE) + (cycle === 0 ? 3 : 1);
        assert.ok(collector.rpcCount - before <= budget, `cycle ${cycle}: ${collector.rpcCount - before} RPCs`);
        assert.deepEqual([...new Set(readings.map((r) => r.sli))].sort(), [...BUSINESS_SLIS.map((d) => d.id), "cron_due_jobs"].sort());
      }
    });
  });
}
