import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { blockingChains, connectionState, counterRate, shares, tenantOfDatabase } from "../../server/collectors/postgres/analysis.ts";

describe("blocking chains", () => {
  const cases: Array<[string, Parameters<typeof blockingChains>[0], { waiting: number; blockers: number; heads: number[]; depth: number; oldest: number }]> = [
    ["nobody waits", [], { waiting: 0, blockers: 0, heads: [], depth: 0, oldest: 0 }],
    ["one waits on an idle-in-transaction session", [{ pid: 2, datname: "a", blockedBy: [1], waitSeconds: 12 }], { waiting: 1, blockers: 1, heads: [1], depth: 1, oldest: 12 }],
    [
      "a chain 3 -> 2 -> 1 and a second waiter on 1",
      [
        { pid: 2, datname: "a", blockedBy: [1], waitSeconds: 30 },
        { pid: 3, datname: "a", blockedBy: [2], waitSeconds: 5 },
        { pid: 4, datname: "a", blockedBy: [1], waitSeconds: 8 },
      ],
      { waiting: 3, blockers: 2, heads: [1], depth: 2, oldest: 30 },
    ],
    [
      "a deadlock cycle does not loop",
      [
        { pid: 5, datname: "a", blockedBy: [6], waitSeconds: 1 },
        { pid: 6, datname: "a", blockedBy: [5], waitSeconds: 1 },
      ],
      { waiting: 2, blockers: 2, heads: [], depth: 2, oldest: 1 },
    ],
  ];
  for (const [name, waits, want] of cases) {
    test(name, () => {
      const got = blockingChains(waits);
      assert.deepEqual({ waiting: got.waiting, blockers: got.blockers, heads: got.heads, depth: got.depth, oldest: got.oldestWaitSeconds }, want);
    });
  }
});

describe("counter rates", () => {
  const cases: Array<[string, number | undefined, number, number, number | undefined]> = [
    ["first reading has no rate", undefined, 100, 60, undefined],
    ["normal", 100, 160, 60, 1],
    ["reset (restart) is no rate, not negative", 500, 20, 60, undefined],
    ["no time elapsed", 100, 100, 0, undefined],
  ];
  for (const [name, prev, cur, dt, want] of cases) test(name, () => assert.equal(counterRate(prev, cur, dt), want));
});

describe("attribution", () => {
  test("shares sum to 1 and no load is no share", () => {
    assert.deepEqual([...shares(new Map([["a", 7], ["b", 3]]))], [["a", 0.7], ["b", 0.3]]);
    assert.equal(shares(new Map([["a", 0]])).size, 0);
  });
  test("databases map to tenants, the rest to bounded names", () => {
    const map = new Map([["prod_eu", "eu"]]);
    assert.deepEqual(["prod_eu", "postgres", "scratch"].map((d) => tenantOfDatabase(d, map)), ["eu", "system", "other"]);
  });
  test("connection states are bounded", () => {
    assert.deepEqual(["active", "idle", "idle in transaction (aborted)", "fastpath function call"].map(connectionState), ["active", "idle", "idle_in_transaction", "other"]);
  });
});
