import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sliDefinition } from "../../server/sli/catalog.ts";
import { Objectives, sanitizeSettings } from "../../server/sli/objectives.ts";

const late = sliDefinition("late_open_deliveries")!;
const labels = sliDefinition("label_failure_ratio")!;

describe("objectives and SLOs per tenant", () => {
  test("Odoo's settings page wins over the config, which wins over the catalogue; per-SLI config targets win over Odoo's", () => {
    const o = new Objectives({ late_open_deliveries: 20 }, { target: 0.99, windowDays: 28, slis: { label_failure_ratio: { target: 0.999 } } });
    o.setTenant("eu", { objectives: { late_open_deliveries: 25 }, slo: { target: 0.995, windowDays: 7 } });
    assert.equal(o.objective("eu", late), 25);
    assert.equal(o.objective("us", late), 20);
    assert.equal(o.objective("us", labels), 0.01, "the catalogue's default");
    assert.deepEqual(o.slo("eu", late), { objective: 25, better: "lower", target: 0.995, windowSeconds: 7 * 86_400 });
    assert.equal(o.slo("eu", labels).target, 0.999);
    assert.deepEqual(o.slo("us", late), { objective: 20, better: "lower", target: 0.99, windowSeconds: 28 * 86_400 });
  });

  test("settings from Odoo outside sense are left out and named", () => {
    const { settings, rejected } = sanitizeSettings(
      { objectives: { late_open_deliveries: 12, no_such_sli: 3, ready_backlog: "many" }, slo: { target: 1.5, windowDays: 14 } },
      (id) => sliDefinition(id) !== undefined,
    );
    assert.deepEqual(settings, { objectives: { late_open_deliveries: 12 }, slo: { windowDays: 14 } });
    assert.deepEqual(rejected, ["objectives.no_such_sli=3", 'objectives.ready_backlog="many"', "slo.target=1.5"]);
  });
});
