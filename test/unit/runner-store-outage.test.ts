import assert from "node:assert/strict";
import { test } from "node:test";
import type { Collector } from "../../server/collectors/collector.ts";
import { Runner } from "../../server/collectors/runner.ts";
import { silentLogger } from "../../server/log/logger.ts";
import type { Sample } from "../../server/sli/sample.ts";
import type { Store } from "../../server/store/store.ts";

/** A store that is down for a while: runs are held in memory, written in order once it is back, and counted. */
test("runs during a store outage are held and written in order on recovery; readiness sees the outage", async () => {
  const written: Array<{ source: string; at: number }> = [];
  let down = true;
  const store = {
    async recordRun(_owner: string, source: string, samples: readonly Sample[]) {
      if (down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      written.push({ source, at: samples[0]!.at.getTime() });
    },
  } as unknown as Store;
  const runner = new Runner(store, undefined, silentLogger(), 1000);
  const collector = (source: string): Collector => ({ tenant: "t", source, slis: ["ready_backlog"], collect: async () => [{ sli: "ready_backlog", value: 1 }] });
  const a = collector("a");
  const b = collector("b");
  for (let minute = 0; minute < 3; minute++) await Promise.all([runner.run(a, new Date(minute * 60_000)), runner.run(b, new Date(minute * 60_000))]);
  assert.equal(written.length, 0, "nothing reaches a store that is down");
  assert.deepEqual(runner.storeHealth(), { ok: false, error: "connect ECONNREFUSED 127.0.0.1:5432", heldRuns: 6, droppedRuns: 0 });
  down = false;
  await runner.run(a, new Date(3 * 60_000));
  assert.equal(runner.storeHealth().ok, true);
  assert.equal(written.length, 7, "every held run and the new one");
  for (const source of ["a", "b"]) {
    const times = written.filter((w) => w.source === source).map((w) => w.at);
    assert.deepEqual(times, [...times].sort((x, y) => x - y), `${source}: oldest first, so that the latest reading ends right`);
  }
});
