import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { dashboardExprs } from "../../scripts/prometheus/dashboards.ts";
import { ruleGroups } from "../../scripts/prometheus/rules.ts";

/**
 * Every metric a generated rule or a Grafana panel reads exists in the /metrics of a backend sampling the demo
 * tenant: a renamed gauge breaks this test, not a dashboard in production. Names recorded by the rules count as
 * existing when a rule records them; `up` and `ALERTS` are Prometheus' own.
 */
const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"]);
const PROMETHEUS_OWN = new Set(["up", "ALERTS"]);

/** Metric names in a PromQL expression (or a Grafana label_values() query). */
export function metricNames(expr: string): string[] {
  const e = expr
    .replace(/label_values\(([^,)]+)(,[^)]*)?\)/g, "$1")
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "")
    .replace(/\boffset\s+\w+/g, "");
  return [...new Set([...e.matchAll(/(?<![\w:$])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]!).filter((n) => !KEYWORDS.has(n.toLowerCase())))];
}

describe("metric names of the rules and dashboards", () => {
  let backend: Backend;
  let exposition = "";
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "lo-prom-names-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ port: 0, apiToken: "prom-names-token-0123456789", dataDir: dir }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true, schedule: false });
    for (let i = 0; i < 2; i++) for (const c of backend.collectorsAll) await backend.runner.run(c);
    exposition = await (await fetch(`http://127.0.0.1:${backend.port}/metrics`)).text();
  });
  after(async () => backend.stop());

  test("the name extraction reads PromQL as Prometheus does", () => {
    assert.deepEqual(metricNames('max without (window) (a:b:c{window="1h"} >= 3 and ignoring (window) x_y[5m] offset 5m) or vector(0)'), ["a:b:c", "x_y"]);
    assert.deepEqual(metricNames("label_values(logistics_sampling_up, tenant)"), ["logistics_sampling_up"]);
  });

  /** Journeys log in through Odoo's web client, which the demo Odoo (JSON-RPC only) does not serve. */
  const NEEDS_A_WEB_CLIENT = new Set(["logistics_journey_success", "logistics_journey_duration_seconds"]);

  test("every name a rule or panel reads is in the demo's /metrics (the rules' with series)", () => {
    const declared = new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const withSeries = new Set([...exposition.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1]!));
    const rules = ruleGroups().flatMap((g) => g.rules);
    const recorded = new Set(rules.flatMap((r) => r.record ?? []));
    const ruleNames = new Set(rules.flatMap((r) => metricNames(r.expr)));
    const panelNames = new Set(dashboardExprs().flatMap(metricNames));
    const unknown: string[] = [];
    for (const n of new Set([...ruleNames, ...panelNames])) {
      if (recorded.has(n) || PROMETHEUS_OWN.has(n)) continue;
      if (!declared.has(n)) unknown.push(n);
      else if (ruleNames.has(n) && !withSeries.has(n) && !NEEDS_A_WEB_CLIENT.has(n)) unknown.push(`${n} (declared, no series on the demo)`);
    }
    console.log(`# ${ruleNames.size} names in the rules, ${panelNames.size} in the dashboards; ${declared.size} families in the demo's /metrics`);
    assert.deepEqual(unknown, []);
    for (const n of [...ruleNames, ...panelNames].filter((x) => x.includes(":"))) assert.ok(recorded.has(n), `${n} is read but no rule records it`);
  });
});
