import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lateDeliveriesDomain } from "../../server/collectors/business/backlog.ts";
import { Database, type Rec } from "../../server/demo/database.ts";
import { compileDomain } from "../../server/demo/domain.ts";
import { OdooFault } from "../../server/demo/faults.ts";
import { inDispatchWindow } from "../../server/demo/profile.ts";
import { readGroup, type ReadGroupSpec } from "../../server/demo/read-group.ts";
import { filterRecords, searchRecords } from "../../server/demo/search.ts";
import { dispatchRpc } from "../../server/demo/services.ts";
import { DemoWorld } from "../../server/demo/world.ts";

/** Two carriers and four deliveries: enough for every NULL rule of Odoo's domains. */
function fixture(): Database {
  const db = new Database({ apps: true, queueJob: false, labelEvents: false }, 0);
  db.create("delivery.carrier", { name: "UPS", sequence: 2, active: true }, 0);
  db.create("delivery.carrier", { name: "DHL", sequence: 1, active: true }, 0);
  const picking = (state: string, carrier: number | false, done: string | false, issue: boolean) =>
    db.create("stock.picking", { name: `WH/OUT/${db.count("stock.picking") + 1}`, picking_type_code: "outgoing", state, carrier_id: carrier, date_done: done, has_deadline_issue: issue }, 0);
  picking("done", 1, "2026-01-01 10:00:00", false); // 1
  picking("done", 2, "2026-01-02 09:30:00", true); //  2
  picking("assigned", false, false, false); //          3
  picking("cancel", 2, false, false); //                4
  return db;
}

const matching = (db: Database, domain: unknown) => filterRecords(db, "stock.picking", domain).map((r) => r.id);

describe("demo Odoo: domains are evaluated as Odoo 18 evaluates them", () => {
  const cases: Array<[string, unknown, number[]]> = [
    ["the empty domain matches everything", [], [1, 2, 3, 4]],
    ["= on a selection", [["state", "=", "done"]], [1, 2]],
    ["implicit & between terms", [["state", "=", "done"], ["carrier_id", "=", 2]], [2]],
    ["| in prefix notation", ["|", ["state", "=", "assigned"], ["state", "=", "cancel"]], [3, 4]],
    ["! negates the next term", ["!", ["state", "=", "done"]], [3, 4]],
    ["= false matches an empty many2one", [["carrier_id", "=", false]], [3]],
    ["!= false matches a set many2one", [["carrier_id", "!=", false]], [1, 2, 4]],
    ["!= a value also matches empty (Odoo adds OR IS NULL)", [["carrier_id", "!=", 1]], [2, 3, 4]],
    ["not in also matches empty", [["carrier_id", "not in", [1]]], [2, 3, 4]],
    ["in with false matches empty", [["carrier_id", "in", [1, false]]], [1, 3]],
    ["in an empty list matches nothing", [["id", "in", []]], []],
    ["a comparison never matches empty", [["date_done", "<", "2026-01-02 00:00:00"]], [1]],
    ["a date operand means midnight", [["date_done", ">=", "2026-01-02"]], [2]],
    ["boolean = false matches false", [["has_deadline_issue", "=", false]], [1, 3, 4]],
    ["boolean != true matches false", [["has_deadline_issue", "!=", true]], [1, 3, 4]],
    ["a path follows the many2one", [["carrier_id.name", "=", "DHL"]], [2, 4]],
    ["a string on a many2one searches its name", [["carrier_id", "ilike", "dh"]], [2, 4]],
    ["the always-true leaf", [[1, "=", 1]], [1, 2, 3, 4]],
  ];
  for (const [name, domain, ids] of cases) {
    test(name, () => assert.deepEqual(matching(fixture(), domain), ids));
  }

  const errors: Array<[string, unknown, string, string]> = [
    ["an unknown field", [["nofield", "=", 1]], "builtins.ValueError", "Invalid field stock.picking.nofield in leaf ('nofield', '=', 1)"],
    ["an unknown field, Python values", [["nofield", "in", ["a", false, null]]], "builtins.ValueError", "Invalid field stock.picking.nofield in leaf ('nofield', 'in', ['a', False, None])"],
    ["an unknown operator", [["state", "~", "x"]], "builtins.ValueError", "Invalid leaf ('state', '~', 'x')"],
    ["a missing operand", ["&", ["state", "=", "done"]], "builtins.ValueError", "Domain ['&', ['state', '=', 'done']] is syntactically not correct."],
    ["not a list", "bad", "builtins.AssertionError", "Domains to normalize must have a 'domain' form: a list or tuple of domain components"],
  ];
  for (const [name, domain, exception, message] of errors) {
    test(`refuses ${name} with Odoo's error`, () => {
      assert.throws(() => compileDomain(fixture(), "stock.picking", domain), (err: unknown) => {
        assert.ok(err instanceof OdooFault);
        assert.equal(err.exception, exception);
        assert.equal(err.message, message);
        return true;
      });
    });
  }

  test("search_read orders like PostgreSQL: NULLs last ascending, first descending, ties by id", () => {
    const db = fixture();
    assert.deepEqual(searchRecords(db, "stock.picking", { order: "date_done asc" }).map((r) => r.id), [1, 2, 3, 4]);
    assert.deepEqual(searchRecords(db, "stock.picking", { order: "date_done desc" }).map((r) => r.id), [3, 4, 2, 1]);
    // A many2one sorts by its comodel's order: DHL has the lower sequence.
    assert.deepEqual(searchRecords(db, "stock.picking", { order: "carrier_id asc, id desc", limit: 2, offset: 1 }).map((r) => r.id), [2, 1]);
  });
});

describe("demo Odoo: read_group answers in Odoo 18's shape", () => {
  const domain = [["picking_type_code", "=", "outgoing"]];
  const cases: Array<[string, Partial<ReadGroupSpec>, unknown[]]> = [
    ["no groupby over nothing still gives one row, aggregates false", { domain: [["id", "=", -1]], fields: ["oldest:min(date_done)", "n:count(id)"], groupby: [] },
      [{ __count: 0, oldest: false, n: 0, __domain: [["id", "=", -1]] }]],
    ["many2one groups as [id, name] in the comodel's order, empty last, __domain ANDed", { fields: ["last:max(date_done)"], groupby: ["carrier_id"] }, [
      { carrier_id: [2, "DHL"], __count: 2, last: "2026-01-02 09:30:00", __domain: ["&", ["picking_type_code", "=", "outgoing"], ["carrier_id", "=", 2]] },
      { carrier_id: [1, "UPS"], __count: 1, last: "2026-01-01 10:00:00", __domain: ["&", ["picking_type_code", "=", "outgoing"], ["carrier_id", "=", 1]] },
      { carrier_id: false, __count: 1, last: false, __domain: ["&", ["picking_type_code", "=", "outgoing"], ["carrier_id", "=", false]] },
    ]],
    ["two groupbys, ordered by value, empty selection values false", { domain: [["state", "=", "done"]], fields: [], groupby: ["state", "has_deadline_issue"] }, [
      { state: "done", has_deadline_issue: false, __count: 1, __domain: ["&", "&", ["state", "=", "done"], ["state", "=", "done"], ["has_deadline_issue", "=", false]] },
      { state: "done", has_deadline_issue: true, __count: 1, __domain: ["&", "&", ["state", "=", "done"], ["state", "=", "done"], ["has_deadline_issue", "=", true]] },
    ]],
    ["datetime granularity: label, range and a range domain", { domain: [["state", "=", "done"]], fields: [], groupby: ["date_done:day"], limit: 1 }, [
      { "date_done:day": "01 Jan 2026", __count: 1,
        __domain: ["&", ["state", "=", "done"], "&", ["date_done", ">=", "2026-01-01 00:00:00"], ["date_done", "<", "2026-01-02 00:00:00"]],
        __range: { "date_done:day": { from: "2026-01-01 00:00:00", to: "2026-01-02 00:00:00" } } },
    ]],
    ["lazy: first groupby only, <field>_count, the rest in __context", { domain: [], fields: [], groupby: ["state", "carrier_id"], lazy: true, orderby: "state_count desc", limit: 1 }, [
      { state: "done", state_count: 2, __domain: [["state", "=", "done"]], __context: { group_by: ["carrier_id"] } },
    ]],
  ];
  for (const [name, spec, rows] of cases) {
    test(name, () => assert.deepEqual(readGroup(fixture(), "stock.picking", { domain, lazy: false, ...spec } as ReadGroupSpec), rows));
  }

  test("an aggregate on an unknown field is refused with Odoo's message", () => {
    assert.throws(() => readGroup(fixture(), "stock.picking", { domain: [], fields: ["x:max(nofield)"], groupby: [], lazy: false }),
      { message: "Invalid field 'nofield' on model 'stock.picking' for 'nofield:max'." });
  });
});

describe("demo Odoo: the simulated world over one weekday", () => {
  // Wednesday 25 November 2026, after a day of history.
  const dayStart = Date.parse("2026-11-25T00:00:00Z");
  const world = new DemoWorld({ now: new Date(dayStart), backfillHours: 24, seed: 3 });
  const flakyCron = () => [...world.db.records("ir.cron")].find((c) => c.cron_name === "Carrier: Update tracking status")!;
  const cronSamples: Array<{ failures: number; first: unknown }> = [];
  for (let h = 1; h <= 24; h++) {
    world.advanceTo(new Date(dayStart + h * 3_600_000));
    cronSamples.push({ failures: Number(flakyCron().failure_count), first: flakyCron().first_failure_date });
  }
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  const ofTheDay = (r: Rec) => String(r.create_date) >= stamp(dayStart) && String(r.create_date) < stamp(dayStart + 86_400_000);

  test("about 300 quotations, with the peaks in the dispatch windows", () => {
    const perHour = Array<number>(24).fill(0);
    for (const o of world.db.records("sale.order")) if (ofTheDay(o)) perHour[Number(String(o.create_date).slice(11, 13))]!++;
    const total = perHour.reduce((a, b) => a + b, 0);
    assert.ok(total > 220 && total < 380, `quotations in the day: ${total}`);
    const windows = perHour.filter((_, h) => inDispatchWindow(dayStart + h * 3_600_000));
    const others = perHour.filter((_, h) => !inDispatchWindow(dayStart + h * 3_600_000));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(windows) > 3 * mean(others), `per hour: ${perHour.join(" ")}`);
    assert.ok(inDispatchWindow(dayStart + perHour.indexOf(Math.max(...perHour)) * 3_600_000), `busiest hour outside the windows: ${perHour.join(" ")}`);
    assert.ok(perHour.slice(0, 6).every((n) => n <= 3), "nights are quiet");
  });

  test("late open deliveries by Odoo's Late filter, some scheduled days ago", () => {
    const now = world.clock;
    assert.ok(filterRecords(world.db, "stock.picking", lateDeliveriesDomain(now, "UTC")).length > 0);
    const daysAgo = stamp(now.getTime() - 2 * 86_400_000);
    const old = filterRecords(world.db, "stock.picking", [["picking_type_code", "=", "outgoing"], ["state", "in", ["confirmed", "assigned"]], ["scheduled_date", "<", daysAgo]]);
    assert.ok(old.length > 0, "no open delivery scheduled more than two days ago");
  });

  test("a cron fails, its failure_count growing, while the others run on time", () => {
    assert.ok(cronSamples.some((s) => s.failures > 0 && s.first), "the flaky cron never failed");
    assert.ok(cronSamples.some((s, i) => i > 0 && s.failures > cronSamples[i - 1]!.failures && cronSamples[i - 1]!.failures > 0), "failure_count never grew");
    const healthy = [...world.db.records("ir.cron")].filter((c) => c.cron_name !== "Carrier: Update tracking status");
    assert.equal(healthy.length, 8);
    for (const c of healthy) {
      assert.equal(c.failure_count, 0);
      assert.ok(String(c.nextcall) >= stamp(world.clock.getTime() - 120_000), `${c.cron_name} lags: ${c.nextcall}`);
    }
  });

  test("label failures come from one carrier, about 3%, each retried 30 minutes later", () => {
    const events = [...world.db.records("logistics.label.event")].filter(ofTheDay);
    const carrier = (e: Rec) => String(e.carrier_name);
    const failed = events.filter((e) => !e.success);
    assert.ok(events.length > 150 && failed.length > 0, `${events.length} events, ${failed.length} failed`);
    const dhl = events.filter((e) => carrier(e) === "DHL Express");
    const ratio = dhl.filter((e) => !e.success).length / dhl.length;
    assert.ok(ratio > 0.005 && ratio < 0.1, `DHL failure ratio ${ratio}`);
    assert.ok(failed.filter((e) => carrier(e) === "DHL Express").length >= failed.length / 2);
    const retried = failed.filter((f) => events.some((e) => e.picking_ref === f.picking_ref && Number(e.id) > Number(f.id)));
    assert.ok(retried.length >= failed.length - 2, "failed label requests are retried");
  });

  test("waves every two hours, one of them done after its scheduled date; mail in exception", () => {
    const waves = [...world.db.records("stock.picking.batch")].filter(ofTheDay);
    assert.ok(waves.length >= 10 && waves.every((w) => w.is_wave), `${waves.length} waves`);
    const lateDone = waves.filter((w) => {
      const last = filterRecords(world.db, "stock.picking", [["batch_id", "=", w.id]]).map((p) => String(p.date_done)).sort().pop();
      return w.state === "done" && last! > String(w.scheduled_date);
    });
    assert.ok(lateDone.length > 0, "no wave done late");
    assert.ok(filterRecords(world.db, "mail.mail", [["state", "=", "exception"], ["failure_type", "=", "mail_smtp"]]).length > 0);
  });

  test("the same seed gives the same world", () => {
    const again = new DemoWorld({ now: world.clock, backfillHours: 48, seed: 3, labelIncidentAt: new Date(dayStart) });
    const digest = (w: DemoWorld) => [...w.db.records("stock.picking")].map((p) => `${p.id}:${p.state}:${p.date_done}`).join();
    assert.equal(digest(again), digest(world));
  });
});

describe("demo Odoo: optional modules", () => {
  const account = { db: "demo", login: "admin", password: "demo", uid: 2 };
  const call = (w: DemoWorld, model: string, method: string, kwargs: object) => dispatchRpc(w.db, account, "object", "execute_kw", ["demo", 2, "demo", model, method, [], kwargs]);
  const models = (w: DemoWorld) => (call(w, "ir.model", "search_read", { domain: [], fields: ["model"] }) as Array<{ model: string }>).map((r) => r.model);

  test("without queue_job and the addon, ir.model omits them and calling them fails as in Odoo", () => {
    const w = new DemoWorld({ now: new Date("2026-11-25T12:00:00Z"), backfillHours: 2, queueJob: false, labelEvents: false });
    assert.ok(!models(w).includes("queue.job") && !models(w).includes("logistics.label.event") && models(w).includes("stock.picking"));
    assert.throws(() => call(w, "queue.job", "search_count", { domain: [] }), { exception: "odoo.exceptions.UserError", message: "Object queue.job doesn't exist" });
  });

  test("without the apps, there is no sale or stock at all", () => {
    const w = new DemoWorld({ now: new Date("2026-11-25T12:00:00Z"), backfillHours: 2, apps: false });
    assert.deepEqual(models(w).filter((m) => /^(sale|stock|delivery|logistics)\./.test(m)), []);
    assert.throws(() => call(w, "sale.order", "search_count", { domain: [] }), { message: "Object sale.order doesn't exist" });
    assert.ok(models(w).includes("queue.job"));
  });
});
