import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { advanceCursor, cursorDomain } from "../../server/odoo/cursor.ts";
import { parseOdooDatetime, startOfDay, toOdooDatetime } from "../../server/odoo/datetime.ts";

describe("Odoo datetimes (naive UTC strings)", () => {
  test("round trip", () => assert.equal(toOdooDatetime(parseOdooDatetime("2026-11-29 08:05:03")!), "2026-11-29 08:05:03"));
  test("false and junk are null", () => {
    assert.equal(parseOdooDatetime(false), null);
    assert.equal(parseOdooDatetime("not a date"), null);
  });
  const cases: Array<[string, string, string]> = [
    ["UTC", "2026-11-29T15:00:00Z", "2026-11-29T00:00:00.000Z"],
    ["Europe/Brussels", "2026-11-29T15:00:00Z", "2026-11-28T23:00:00.000Z"],
    ["Europe/Brussels, 00:30 local is already the next day", "2026-11-28T23:30:00Z", "2026-11-28T23:00:00.000Z"],
    ["America/New_York", "2026-11-29T03:00:00Z", "2026-11-28T05:00:00.000Z"],
    ["Europe/Brussels on the DST change day", "2026-03-29T12:00:00Z", "2026-03-28T23:00:00.000Z"],
  ];
  for (const [tz, now, expected] of cases) {
    test(`start of today in ${tz}`, () => assert.equal(startOfDay(new Date(now), tz.split(",")[0]!.split(" on ")[0]!).toISOString(), expected));
  }
});

describe("incremental cursor", () => {
  test("advances to the last second and remembers the ids read within it", () => {
    const c = advanceCursor({ at: "2026-11-29 10:00:00", ids: [] }, [
      { id: 5, write_date: "2026-11-29 10:00:01" },
      { id: 3, write_date: "2026-11-29 10:00:02" },
      { id: 4, write_date: "2026-11-29 10:00:02" },
    ], "write_date");
    assert.deepEqual(c, { at: "2026-11-29 10:00:02", ids: [3, 4] });
    assert.deepEqual(cursorDomain("write_date", c), ["|", ["write_date", ">", "2026-11-29 10:00:02"], "&", ["write_date", "=", "2026-11-29 10:00:02"], ["id", "not in", [3, 4]]]);
  });
  test("a bulk write stamping many rows alike does not stall the cursor", () => {
    const first = advanceCursor({ at: "2026-11-29 10:00:00", ids: [] }, [{ id: 1, write_date: "2026-11-29 10:00:00" }, { id: 2, write_date: "2026-11-29 10:00:00" }], "write_date");
    const second = advanceCursor(first, [{ id: 7, write_date: "2026-11-29 10:00:00" }], "write_date");
    assert.deepEqual(second, { at: "2026-11-29 10:00:00", ids: [1, 2, 7] });
  });
  test("an empty page keeps the cursor", () => {
    const c = { at: "2026-11-29 10:00:00", ids: [9] };
    assert.equal(advanceCursor(c, [], "write_date"), c);
  });
});

describe("module deploy detection", async () => {
  const { moduleChanges } = await import("../../server/collectors/business/modules.ts");
  const row = (name: string, v: string | false) => ({ id: 1, name, latest_version: v, write_date: "2026-11-29 10:00:00" });
  const cases: Array<[string, Record<string, string>, ReturnType<typeof row>[], unknown]> = [
    ["a version change is a deploy", { stock: "18.0.1.1" }, [row("stock", "18.0.1.2")], [{ module: "stock", from: "18.0.1.1", to: "18.0.1.2" }]],
    ["a new install is a deploy", { stock: "18.0.1.1" }, [row("queue_job", "18.0.1.0")], [{ module: "queue_job", from: null, to: "18.0.1.0" }]],
    // Update Apps List writes only changed values; a rewritten installed row with its version is a `-u`.
    ["an upgrade of the same version is a deploy", { stock: "18.0.1.1" }, [row("stock", "18.0.1.1")], [{ module: "stock", from: "18.0.1.1", to: "18.0.1.1" }]],
    ["no version, no deploy", {}, [row("x", false)], []],
  ];
  for (const [name, before, rows, want] of cases) test(name, () => assert.deepEqual(moduleChanges(before, rows), want));
});
