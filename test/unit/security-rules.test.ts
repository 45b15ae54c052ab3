import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checksOf } from "../../server/alerts/rules.ts";
import { sliDefinition } from "../../server/sli/catalog.ts";
import { Objectives } from "../../server/sli/objectives.ts";
import type { SloTracker } from "../../server/slo/tracker.ts";

const slo = { objectives: new Objectives({}, { target: 0.99, windowDays: 28, slis: {} }), seasonalStatus: () => undefined } as unknown as SloTracker;
const opts = { forSeconds: 60, intervalSeconds: 60, anomalyThreshold: 5 };
const check = (sli: string, value: number, labels: Record<string, string> = {}) =>
  checksOf({ tenant: "eu", source: "odoo_business", sli, labels, at: new Date(), value, missing: null }, sliDefinition(sli)!, slo, opts, undefined, 0);

describe("how the new signals alert", () => {
  const cases: Array<[string, number, Record<string, string>, "page" | "ticket", number]> = [
    ["security_privilege_grants", 1, {}, "page", 0],
    ["security_login_bursts", 1, {}, "page", 0],
    ["security_credential_stuffing_sources", 1, {}, "page", 0],
    ["security_unusual_exporters", 1, {}, "ticket", 0],
    ["journey_failed_step", 1, { journey: "warehouse", step: "login" }, "page", 48],
    ["cron_threads_saturation_ratio", 3, {}, "ticket", 60],
  ];
  for (const [sli, value, labels, severity, forSeconds] of cases) {
    test(`${sli}: ${severity}, after ${forSeconds} s`, () => {
      const [c] = check(sli, value, labels);
      assert.equal(c!.breaching, true);
      assert.equal(c!.severity, severity);
      assert.equal(c!.forSeconds, forSeconds);
    });
  }
  test("a tenant's share of the server never alerts on its own", () => assert.deepEqual(check("pg_tenant_share", 1, { resource: "connections" }), []));
});
