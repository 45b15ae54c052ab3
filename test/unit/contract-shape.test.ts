import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { kindOf, shapeDiff } from "../contract/exchange.ts";

describe("contract shape comparison (the comparison itself must be able to fail)", () => {
  const kinds: Array<[unknown, string]> = [
    [false, "false"], ["2026-11-29 08:00:00", "datetime"], ["2026-11-29", "date"], [[3, "WH/OUT/0003"], "many2one"], [2, "int"], [2.5, "float"], ["x", "string"], [[1, 2, 3], "list"],
  ];
  for (const [v, k] of kinds) test(`kind of ${JSON.stringify(v)} is ${k}`, () => assert.equal(kindOf(v), k));

  const diffs: Array<[string, unknown, unknown, string[]]> = [
    ["same shape", [{ id: 1, d: "2026-11-29 08:00:00" }], [{ id: 9, d: false }], []],
    ["ISO datetime instead of Odoo's", [{ d: "2026-11-29 08:00:00" }], [{ d: "2026-11-29T08:00:00Z" }], ["result[0].d: real is datetime, simulator gives string"]],
    ["missing key", [{ id: 1, __count: 2 }], [{ id: 1 }], ["result[0].__count: missing in simulator"]],
    ["extra key", [{ id: 1 }], [{ id: 1, extra: 2 }], ["result[0].extra: not in the real answer"]],
    ["many2one as a bare id", [{ sale_id: [3, "S0003"] }], [{ sale_id: 3 }], ["result[0].sale_id: real is many2one, simulator gives int"]],
  ];
  for (const [name, real, sim, expected] of diffs) test(name, () => assert.deepEqual(shapeDiff(real, sim), expected));
});
