import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planLeases, preferredHolder } from "../../server/cluster/share.ts";

const tenants = Array.from({ length: 300 }, (_, i) => `tenant:t${i}`);

describe("leases of several backends", () => {
  test("tenants spread evenly over the live instances, and every instance computes the same holder", () => {
    const live = ["a", "b", "c"];
    const counts = new Map(live.map((i) => [i, 0]));
    for (const t of tenants) counts.set(preferredHolder(t, live)!, counts.get(preferredHolder(t, live)!)! + 1);
    for (const n of counts.values()) assert.ok(n > 70 && n < 130, JSON.stringify([...counts]));
    assert.equal(preferredHolder("tenant:t1", ["c", "a", "b"]), preferredHolder("tenant:t1", live), "the order of the list does not matter");
  });

  test("an instance gone: only its tenants move; one joining: each gives up only what the newcomer should hold", () => {
    const before = new Map(tenants.map((t) => [t, preferredHolder(t, ["a", "b", "c"])!]));
    const after = new Map(tenants.map((t) => [t, preferredHolder(t, ["a", "b"])!]));
    assert.ok(tenants.every((t) => before.get(t) === "c" || after.get(t) === before.get(t)), "a's and b's tenants stay put");
    const holders = new Map(tenants.map((t) => [t, preferredHolder(t, ["a", "b"])!]));
    const a = planLeases(tenants, holders, "a", ["a", "b", "c"]);
    assert.ok(a.release.every((t) => preferredHolder(t, ["a", "b", "c"]) === "c"), "a releases only what c should hold");
    assert.ok(a.release.length > 40);
    const c = planLeases(tenants, holders, "c", ["a", "b", "c"]);
    assert.equal(c.release.length, 0);
    assert.deepEqual(new Set(c.claim), new Set(tenants.filter((t) => preferredHolder(t, ["a", "b", "c"]) === "c")));
  });
});
