import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";
import type { Sample } from "../../server/sli/sample.ts";

const at = new Date("2026-11-29T10:00:00Z");
const sample = (sli: string, value: number | null, labels: Record<string, string> = {}, when = at): Sample => ({
  tenant: "t1", source: "odoo_business", sli, labels, at: when, value, missing: value === null ? "odoo unreachable" : null,
});

/** A fresh database per run on the test server, so runs never see each other's rows. */
async function freshPostgres(url: string): Promise<string> {
  const name = `lo_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const backends: Array<[string, () => Promise<Store>]> = [["PGlite (embedded default)", () => openStore({ inMemory: true })]];
if (process.env.TEST_PG_URL) backends.push(["PostgreSQL server", async () => openStore({ url: await freshPostgres(process.env.TEST_PG_URL!) })]);
else console.log("# store on a PostgreSQL server: NOT RUN (TEST_PG_URL unset; `npm test` starts one)");

for (const [name, open] of backends) {
  describe(`store on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => store.close());

    test("migrations are applied once and are idempotent", async () => {
      assert.equal(await store.migrate(), 0);
    });

    test("a run's samples become the latest, replacing the source's previous set", async () => {
      await store.recordRun("t1", "odoo_business", [sample("ready_backlog", 4), sample("label_failure_ratio", 0.1, { carrier: "ups" })]);
      await store.recordRun("t1", "odoo_business", [sample("ready_backlog", 6, {}, new Date(at.getTime() + 60_000))]);
      const latest = await store.latest("t1");
      assert.deepEqual(latest.map((s) => [s.sli, s.value]), [["ready_backlog", 6]], "the carrier that left the window left the latest set too");
      assert.equal((await store.series("t1", "ready_backlog", new Date(0), new Date("2030-01-01"))).length, 2);
    });

    test("a missing reading keeps its reason and has no value", async () => {
      await store.recordRun("t1", "odoo_business", [sample("late_open_deliveries", null)]);
      const [row] = await store.latest("t1");
      assert.equal(row!.value, null);
      assert.equal(row!.missing, "odoo unreachable");
    });

    test("a sample with both a value and a reason is refused by the schema", async () => {
      await assert.rejects(store.recordRun("t1", "odoo_business", [{ ...sample("ready_backlog", 1), missing: "x" }]));
      assert.equal((await store.latest("t1"))[0]!.sli, "late_open_deliveries", "the failed run rolled back whole");
    });

    test("facts upsert by id and read back by window", async () => {
      const d = (id: number, done: string) => ({ pickingId: id, createdAt: new Date("2026-11-28T00:00:00Z"), scheduledAt: new Date("2026-11-28T06:00:00Z"), deadlineAt: null, doneAt: new Date(done), labelCarrier: "ups", labelMissing: false });
      await store.upsertDeliveries("t1", [d(1, "2026-11-28T07:00:00Z"), d(2, "2026-11-29T07:00:00Z")]);
      await store.upsertDeliveries("t1", [{ ...d(2, "2026-11-29T08:00:00Z"), labelMissing: true }]);
      const since = await store.deliveriesSince("t1", new Date("2026-11-29T00:00:00Z"));
      assert.deepEqual(since.map((x) => [x.pickingId, x.doneAt.toISOString(), x.labelMissing]), [[2, "2026-11-29T08:00:00.000Z", true]]);
    });

    test("cursors round-trip as JSON", async () => {
      await store.setCursor("t1", "sale.order", { at: "2026-11-29 10:00:00", ids: [1, 2] });
      assert.deepEqual(await store.getCursor("t1", "sale.order"), { at: "2026-11-29 10:00:00", ids: [1, 2] });
      assert.equal(await store.getCursor("t1", "nothing"), undefined);
    });

    test("retention deletes old samples only", async () => {
      await store.recordRun("t2", "odoo_business", [{ ...sample("ready_backlog", 1, {}, new Date("2020-01-01T00:00:00Z")), tenant: "t2" }]);
      const deleted = await store.prune(new Date("2021-01-01T00:00:00Z"));
      assert.equal(deleted, 1);
      assert.ok((await store.series("t1", "ready_backlog", new Date(0), new Date("2030-01-01"))).length >= 2);
    });
  });
}
