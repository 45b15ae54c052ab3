import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { BUNDLE, bundleText } from "../../scripts/build.ts";
import { formatDuration, formatObjective, formatValue, tiles, type SliView } from "../../web_components/dashboard/format.ts";
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
  const cases: Array<[number | null, string, string]> = [
    [null, "seconds", "—"], [42, "seconds", "42 s"], [5400, "seconds", "1.5 h"], [3 * 86400, "seconds", "3.0 d"],
    [0.953, "ratio", "95.3 %"], [1, "ratio", "100 %"], [12, "count", "12"], [1536, "bytes", "1.5 KiB"],
  ];
  for (const [v, unit, want] of cases) test(`${v} ${unit} -> ${want}`, () => assert.equal(formatValue(v, unit), want));
  test("negative durations (early) keep their sign", () => assert.equal(formatDuration(-120), "-2 min"));
  test("objective reads as a bound", () => assert.equal(formatObjective({ better: "higher", objective: 0.95, unit: "ratio" }), "≥ 95.0 %"));
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
    assert.deepEqual(["late_open_deliveries", "pg_connections", "redis_keys", "wave_delay_p95_seconds"].filter(isBusiness), ["late_open_deliveries", "wave_delay_p95_seconds"]);
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
