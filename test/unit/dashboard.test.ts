import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { BUNDLE, bundleText } from "../../scripts/build.ts";
import { bandAlong, budgetOf, formatDuration, formatObjective, formatValue, statusText, tiles, type SliView, type SloView } from "../../web_components/dashboard/format.ts";
import { DashboardModel, isBusiness } from "../../web_components/dashboard/model.ts";

describe("dashboard bundle", () => {
  test("the committed bundle is what the sources build to (run npm run build)", async () => {
    assert.equal(readFileSync(BUNDLE, "utf8"), await bundleText());
  });
  test("it is an Odoo module that leaves Odoo's own modules external", () => {
    const text = readFileSync(BUNDLE, "utf8");
    assert.match(text, /^\/\*\* @odoo-module \*\*\//);
    assert.match(text, /from "@odoo\/owl"/);
    assert.match(text, /registry\.category\("actions"\)\.add\("logistics_observability\.dashboard"/);
    assert.doesNotMatch(text, /^export /m, "no exports: Odoo registers the action by side effect");
  });
});

describe("formatting for people", () => {
  test("the dashboard reads values through the product's one formatter", () => {
    assert.equal(formatValue(3 * 86400, "seconds"), "3 days");
    assert.equal(formatValue(0.953, "ratio", "fr-FR").replace(/\s/g, " "), "95,3 %");
    assert.equal(formatDuration(-120), "-2 min", "negative durations (early) keep their sign");
  });
  test("objective reads as a bound", () => assert.equal(formatObjective({ better: "higher", objective: 0.95, unit: "ratio" }), "≥ 95%"));
  test("a tile's state in a manager's words", () => assert.deepEqual((["ok", "breach", "missing"] as const).map(statusText), ["Within objective", "Objective missed", "No data"]));
});

const sli = (s: Partial<SliView>): SliView => ({ tenant: "demo", sli: "x", title: "X", unit: "count", better: "lower", objective: 1, labels: {}, value: 0, missing: null, status: "ok", at: "2026-11-29T10:00:00Z", ...s });

describe("tiles and the model", () => {
  test("carriers fold into one tile showing the worst", () => {
    const t = tiles([sli({ sli: "label_failure_ratio", labels: { carrier: "UPS" }, value: 0.01 }), sli({ sli: "label_failure_ratio", labels: { carrier: "DHL" }, value: 0.04, status: "breach" })]);
    assert.equal(t.length, 1);
    assert.equal(t[0]!.value, 0.04);
    assert.equal(t[0]!.detail, "worst of 2 (carrier: DHL)");
  });
  test("tiles follow the catalogue's order", () => {
    const t = tiles([sli({ sli: "b" }), sli({ sli: "a" }), sli({ sli: "c" })], ["c", "a"]);
    assert.deepEqual(t.map((x) => x.sli), ["c", "a", "b"]);
  });
  test("infrastructure signals stay out of the manager's tiles", () => {
    assert.deepEqual(["late_open_deliveries", "pg_connections", "redis_keys", "sampling_up", "wave_delay_p95_seconds"].filter(isBusiness), ["late_open_deliveries", "wave_delay_p95_seconds"]);
  });
  test("an unreachable backend sets the error and keeps the time of the last data", async () => {
    const memory = new Map<string, string>();
    const storage = { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v) };
    let up = true;
    const model = new DashboardModel(async (path) => {
      if (!up) throw new Error("The backend cannot be reached (ConnectionError).");
      if (path === "catalog") return { slis: [{ id: "late_open_deliveries" }] };
      return path === "slis/current" ? { slis: [sli({ sli: "late_open_deliveries", at: "2026-11-29T10:00:00Z" })] } : { points: [] };
    }, storage);
    await model.load();
    assert.equal(model.error, null);
    up = false;
    await model.load();
    assert.match(model.error!, /cannot be reached/);
    assert.equal(new DashboardModel(async () => ({}), storage).lastDataAt, "2026-11-29T10:00:00Z", "remembered across reloads");
  });
});

describe("error budgets, alerts and the expected band", () => {
  const slo = (s: Partial<SloView>): SloView => ({ tenant: "demo", sli: "label_failure_ratio", labels: {}, target: 0.99, windowDays: 28, errorBudgetRemaining: 0.5, burnRates: {}, ...s });

  test("a tile's budget is the carrier that spends fastest, with its 1 h burn when it burns", () => {
    const b = budgetOf([slo({ labels: { carrier: "UPS" }, errorBudgetRemaining: 0.9 }), slo({ labels: { carrier: "DHL" }, errorBudgetRemaining: 0.42, burnRates: { "1h": 14.4 } })], "demo", "label_failure_ratio");
    assert.deepEqual(b, { left: 0.42, text: "58% of this month's allowance used · at this pace, used up in 20 hr", window: 28 });
    assert.equal(budgetOf([slo({ errorBudgetRemaining: -3 })], "demo", "label_failure_ratio")!.text, "This period's allowance of misses is used up");
    assert.equal(budgetOf([slo({ errorBudgetRemaining: 0.98, windowDays: 7 })], "demo", "label_failure_ratio")!.text, "2% of the 7-day allowance used");
    assert.equal(budgetOf([slo({ errorBudgetRemaining: null })], "demo", "label_failure_ratio"), null, "no readings yet: no budget shown");
  });

  test("the band is aligned with the points by hour, empty where the detector is silent", () => {
    const points = [{ at: "2026-11-29T10:05:00Z" }, { at: "2026-11-29T10:55:00Z" }, { at: "2026-11-29T11:10:00Z" }, { at: "2026-11-29T12:00:00Z" }];
    const hours = [{ at: "2026-11-29T10:00:00Z", low: 1, high: 9 }, { at: "2026-11-29T11:00:00Z", low: 2, high: 20 }, { at: "2026-11-29T12:00:00Z", low: null, high: null }];
    assert.deepEqual(bandAlong(points, hours), { low: [1, 1, 2, null], high: [9, 9, 20, null] });
  });

  test("the model loads budgets, firing business alerts and, for a seasonal SLI, its band; a backend without them still fills the tiles", async () => {
    const asked: string[] = [];
    const answers: Record<string, unknown> = {
      "slis/current": { slis: [sli({ sli: "ready_backlog", value: 150 })] },
      catalog: { slis: [{ id: "ready_backlog", title: "Deliveries ready to ship", seasonal: true }] },
      slos: { slos: [slo({ sli: "ready_backlog", errorBudgetRemaining: 0.8 })] },
      alerts: { alerts: [{ sli: "ready_backlog", kind: "anomaly" }, { sli: "pg_connections", kind: "threshold" }] },
      slis: { points: [{ at: "2026-11-29T10:00:00Z", value: 150, labels: {} }] },
      anomalies: { series: [{ labels: {}, hours: [{ at: "2026-11-29T10:00:00Z", low: 80, high: 120 }] }] },
    };
    const model = new DashboardModel(async (path, params) => {
      asked.push(`${path}${params ? `?${new URLSearchParams(params)}` : ""}`.replace(/from=[^&]+/, "from=…"));
      return answers[path];
    }, undefined);
    model.selectedSli = "ready_backlog";
    await model.load();
    assert.equal(model.tiles[0]!.budget, "20% of this month's allowance used");
    assert.deepEqual(model.alerts.map((a) => a.sli), ["ready_backlog"], "infrastructure alerts stay in the backend's views");
    assert.deepEqual(model.band, [{ at: "2026-11-29T10:00:00Z", low: 80, high: 120 }]);
    assert.ok(asked.includes("alerts?state=firing") && asked.includes("anomalies?tenant=demo&sli=ready_backlog&hours=24"), asked.join(" "));

    const old = new DashboardModel(async (path) => {
      if (path === "slos" || path === "alerts" || path === "incidents") throw new Error("HTTP 404");
      return answers[path];
    }, undefined);
    await old.load();
    assert.equal(old.error, null);
    assert.equal(old.tiles[0]!.budget, null);
  });
});
