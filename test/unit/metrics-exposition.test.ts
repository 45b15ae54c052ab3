import assert from "node:assert/strict";
import { describe, test } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { RunReport } from "../../server/collectors/report.ts";
import { GaugeFamily } from "../../server/metrics/exposition.ts";
import { Metrics } from "../../server/metrics/registry.ts";
import type { Sample } from "../../server/sli/sample.ts";

const at = new Date("2026-12-06T10:00:00Z");
const sample = (tenant: string, source: string, sli: string, value: number | null, labels: Record<string, string> = {}): Sample => ({ tenant, source, sli, labels, at, value, missing: value === null ? "down" : null });
const run = (tenant: string, source: string, samples: Sample[], ok = true): RunReport => ({ tenant, source, ok, durationSeconds: 0.25, finishedAt: at, samples });

describe("/metrics exposition", () => {
  test("names and labels are checked when a family is made; values are escaped; empty label values are left out", () => {
    assert.throws(() => new GaugeFamily("logistics-bad", "x", []), /invalid metric name/);
    assert.throws(() => new GaugeFamily("logistics_ok", "x", ["__reserved"]), /invalid label name/);
    const f = new GaugeFamily("logistics_x", "Help.", ["tenant", "carrier"]);
    assert.equal(f.line({ tenant: 'a"b\\c\nd', carrier: "" }, 1.5), 'logistics_x{tenant="a\\"b\\\\c\\nd"} 1.5\n');
    assert.equal(f.line({}, Infinity), "logistics_x +Inf\n");
    assert.throws(() => f.line({ channel: "root" }, 1), /label channel not declared/);
  });

  test("a run replaces its own series only; every source's sampling_up stays; a missing reading is no series and sli_missing 1", async () => {
    const m = new Metrics((d) => d.target);
    m.observeRun(run("demo", "odoo_business", [sample("demo", "odoo_business", "label_failure_ratio", 0.3, { carrier: "DHL" }), sample("demo", "odoo_business", "sampling_up", 1, { source: "odoo_business" })]));
    m.observeRun(run("demo", "redis", [sample("demo", "redis", "redis_keys", 5, { db: "0" }), sample("demo", "redis", "sampling_up", 1, { source: "redis" })]));
    m.observeRun(run("demo", "odoo_business", [sample("demo", "odoo_business", "label_failure_ratio", null), sample("demo", "odoo_business", "sampling_up", 0, { source: "odoo_business" })], false));
    const text = await m.text();
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    const series = (name: string) => families.get(name)!.metrics.map((s) => [s.labels, Number(s.value)]);
    assert.deepEqual(series("logistics_sampling_up"), [[{ tenant: "demo", source: "odoo_business" }, 0], [{ tenant: "demo", source: "redis" }, 1]]);
    assert.deepEqual(series("logistics_label_failure_ratio"), []);
    assert.deepEqual(series("logistics_redis_keys"), [[{ tenant: "demo", db: "0" }, 5]]);
    assert.deepEqual(series("logistics_sli_missing").filter(([l]) => (l as Record<string, string>).sli === "label_failure_ratio"), [[{ tenant: "demo", sli: "label_failure_ratio" }, 1]]);
    assert.deepEqual(series("logistics_collector_success"), [[{ tenant: "demo", source: "odoo_business" }, 0], [{ tenant: "demo", source: "redis" }, 1]]);
    assert.ok(families.has("process_cpu_user_seconds_total"), "process metrics under their standard names");
    assert.ok(![...families.keys()].some((n) => n.startsWith("logistics_process_")));
    assert.doesNotMatch(text, /=""/);
  });
});
