import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Collector } from "../../server/collectors/collector.ts";
import type { Runner } from "../../server/collectors/runner.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { jitterSeconds } from "../../server/scheduler/cadence.ts";
import { Scheduler } from "../../server/scheduler/scheduler.ts";

describe("scheduler with many tenants", () => {
  test("the first cycle is spread too, and at most maxConcurrent runs are in flight; the rest wait their turn", async () => {
    const collectors = Array.from({ length: 60 }, (_, i) => ({ tenant: `t${i}`, source: "odoo_business" }) as unknown as Collector);
    let inFlight = 0;
    let most = 0;
    const started: string[] = [];
    const runner = {
      run: async (c: Collector) => {
        started.push(c.tenant);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
      },
    } as unknown as Runner;
    const scheduler = new Scheduler(collectors, runner, { intervalSeconds: 60, jitterSeconds: 0.2, maxConcurrent: 4, owns: (c) => c.tenant !== "t7" }, silentLogger());
    scheduler.start();
    await new Promise((r) => setTimeout(r, 900));
    await scheduler.stop();
    assert.equal(started.length, 59, "every tenant but the one another instance holds");
    assert.ok(!started.includes("t7"));
    assert.equal(most, 4);
    const order = collectors.filter((c) => c.tenant !== "t7").sort((a, b) => jitterSeconds(a.tenant, 0.2) - jitterSeconds(b.tenant, 0.2)).map((c) => c.tenant);
    assert.deepEqual(started.slice(0, 4), order.slice(0, 4), "in the order of their spread, not all at once");
  });
});
