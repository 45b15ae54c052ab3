import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CUSTOMER_VISIBLE_SLIS, firstCustomerBreach } from "../../server/report/customer-symptom.ts";
import { scorecard, type ScorecardInput } from "../../server/report/scorecard.ts";
import { sliDefinition } from "../../server/sli/catalog.ts";
import { incident } from "../support/incident.ts";

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.parse("2026-11-30T10:00:00Z");

describe("the first customer-visible symptom", () => {
  const objectiveOf = (sli: string) => ({ late_open_deliveries: { objective: 10, better: "lower" as const }, on_time_delivery_ratio: { objective: 0.95, better: "higher" as const } })[sli];
  const r = (sli: string, minutes: number, value: number) => ({ sli, at: T0 + minutes * MIN, value });
  const cases: Array<[string, ReturnType<typeof r>[], { sli: string; at: number } | null]> = [
    ["a breach that begins inside the incident", [r("late_open_deliveries", -5, 4), r("late_open_deliveries", 3, 12)], { sli: "late_open_deliveries", at: T0 + 3 * MIN }],
    ["the earliest of several SLIs", [r("late_open_deliveries", 6, 12), r("on_time_delivery_ratio", 4, 0.9)], { sli: "on_time_delivery_ratio", at: T0 + 4 * MIN }],
    ["a breach standing before the incident is an older problem", [r("late_open_deliveries", -5, 14), r("late_open_deliveries", 3, 15)], null],
    ["...unless it recovers and breaches again inside", [r("late_open_deliveries", -5, 14), r("late_open_deliveries", 1, 3), r("late_open_deliveries", 7, 15)], { sli: "late_open_deliveries", at: T0 + 7 * MIN }],
    ["no earlier reading: the first one out of objective counts", [r("late_open_deliveries", 2, 12)], { sli: "late_open_deliveries", at: T0 + 2 * MIN }],
    ["a breach after the incident's end is not its symptom", [r("late_open_deliveries", 0, 1), r("late_open_deliveries", 90, 12)], null],
    ["a service level customers do not see never counts", [r("label_failure_ratio", 2, 0.5)], null],
    ["order of the readings does not matter", [r("late_open_deliveries", 3, 12), r("late_open_deliveries", -5, 4)], { sli: "late_open_deliveries", at: T0 + 3 * MIN }],
  ];
  for (const [name, readings, expected] of cases) test(name, () => assert.deepEqual(firstCustomerBreach(readings, objectiveOf, T0, T0 + 60 * MIN), expected));
  test("every customer-visible SLI is a business SLI of the catalogue", () => {
    for (const id of CUSTOMER_VISIBLE_SLIS) assert.equal(sliDefinition(id)?.layer, "business", id);
  });
});

describe("the scorecard's five questions", () => {
  const base: ScorecardInput = {
    tenant: "eu", days: 30, from: T0 - 20 * DAY, to: T0 + 10 * DAY, incidents: [],
    restoreTests: { lastSuccessAt: null, lastFailureAt: null, inPeriod: 0, failedInPeriod: 0, objectiveSeconds: 8 * 86_400 },
    tenantShares: [], deploys: [], changeWindowMs: 60 * MIN,
  };
  const answer = (over: Partial<ScorecardInput>, key: string) => scorecard({ ...base, ...over }).answers.find((a) => a.key === key)!;
  const symptom = (minutesAfterNotice: number) => ({ sli: "late_open_deliveries", at: T0 + minutesAfterNotice * MIN });

  test("the five questions, in order", () => assert.deepEqual(scorecard(base).answers.map((a) => a.key), ["detection", "isolation", "backups", "tenants", "changes"]));

  test("detection: notified before the first late delivery in 7 of 9, with the median lead", () => {
    const incidents = [
      ...[2, 2, 3, 1, 5].map((m) => ({ incident: incident(), customerSymptom: symptom(m) })),
      ...[0, 0].map(() => ({ incident: incident(), customerSymptom: null })),
      ...[-4, -1].map((m) => ({ incident: incident(), customerSymptom: symptom(m) })),
    ];
    const a = answer({ incidents }, "detection");
    assert.equal(a.answer, "partly");
    assert.equal(a.verdict, "Detected before customers: 7 of 9 incidents; median 2 min before the first late delivery; 2 never reached customers");
    assert.deepEqual([a.figures.detectedBeforeCustomers, a.figures.customersFirst, a.figures.medianLeadSeconds], [7, 2, 120]);
  });
  const detections: Array<[string, ScorecardInput["incidents"], string, RegExp]> = [
    ["no incident: nothing to judge", [], "unknown", /No incident in the last 30 days/],
    ["never notified (silenced) and unseen by customers: nothing to judge", [{ incident: incident({ firstNotifiedAt: null }), customerSymptom: null }], "unknown", /none notified/],
    ["customers first every time", [{ incident: incident(), customerSymptom: symptom(-3) }], "no", /0 of 1 incidents; median 3 min after the first late delivery/],
    ["never notified, but customers saw it", [{ incident: incident({ firstNotifiedAt: null }), customerSymptom: symptom(1) }], "no", /0 of 1/],
    ["always first", [{ incident: incident(), customerSymptom: symptom(10) }], "yes", /1 of 1 incidents; median 10 min before/],
  ];
  for (const [name, incidents, expected, verdict] of detections) {
    test(`detection: ${name}`, () => {
      const a = answer({ incidents }, "detection");
      assert.equal(a.answer, expected);
      assert.match(a.verdict, verdict);
    });
  }

  const isolations: Array<[string, Array<string | undefined>, string, RegExp]> = [
    ["8 of 9 with a cause", [...Array(5).fill("database"), "integration", "integration", "change", undefined], "yes", /Probable cause found for 8 of 9 incidents \(89%\): database 5, integration 2, change 1$/],
    ["half", ["tenant", undefined], "partly", /1 of 2 incidents \(50%\): tenant 1$/],
    ["none", [undefined], "no", /0 of 1 incidents \(0%\)$/],
    ["no incident", [], "unknown", /nothing to judge/],
  ];
  for (const [name, layers, expected, verdict] of isolations) {
    test(`isolation: ${name}`, () => {
      const a = answer({ incidents: layers.map((l) => ({ incident: incident({ causeLayer: l }), customerSymptom: null })) }, "isolation");
      assert.deepEqual([a.answer, a.verdict.match(verdict) !== null], [expected, true], a.verdict);
    });
  }

  const restores: Array<[string, Partial<ScorecardInput["restoreTests"]>, string, RegExp]> = [
    ["tested 3 days ago", { lastSuccessAt: T0 + 7 * DAY, inPeriod: 2 }, "yes", /^Last successful restore test 3(\.0)? days ago \(objective: every 8(\.0)? days\); 2 tests in 30 days, 0 failed$/],
    ["tested too long ago", { lastSuccessAt: T0 - 10 * DAY, inPeriod: 1 }, "no", /restore test 20(\.0)? days ago/],
    ["the last attempt failed", { lastSuccessAt: T0 + 8 * DAY, lastFailureAt: T0 + 9 * DAY, inPeriod: 2, failedInPeriod: 1 }, "partly", /1 failed; the last attempt failed$/],
    ["never", {}, "no", /^No successful restore test reported: the backups are unproven$/],
  ];
  for (const [name, r, expected, verdict] of restores) {
    test(`backups: ${name}`, () => {
      const a = answer({ restoreTests: { ...base.restoreTests, ...r } }, "backups");
      assert.equal(a.answer, expected);
      assert.match(a.verdict, verdict);
    });
  }

  test("tenants: not measured without per-database signals", () => {
    const a = answer({}, "tenants");
    assert.deepEqual([a.answer, a.verdict.startsWith("Not measured")], ["unknown", true]);
  });
  test("tenants: average shares, the peak, and incidents caused by another tenant", () => {
    const tenantShares = [{ resource: "connections", mean: 0.23, max: 0.54, readings: 100 }, { resource: "statement_time", mean: 0.31, max: 0.4, readings: 99 }];
    const a = answer({ tenantShares, incidents: [{ incident: incident({ causeLayer: "tenant" }), customerSymptom: null }] }, "tenants");
    assert.equal(a.answer, "partly");
    assert.equal(a.verdict, "eu used on average 23% of connections, 31% of statement time (peak 54% of connections); 1 incident caused by another tenant");
  });

  test("changes: deploys, those followed by an incident within the window, and incidents blamed on a change", () => {
    const deploys = [{ at: T0 - 30 * MIN }, { at: T0 - 5 * DAY }, { at: T0 + DAY }, { at: T0 + 2 * DAY }, { at: T0 + 3 * DAY }, { at: T0 + 4 * DAY }, { at: T0 + 5 * DAY }];
    const incidents = [{ incident: incident({ causeLayer: "change", firstAbnormalAt: T0 - 10 * MIN }), customerSymptom: null }, { incident: incident({ firstAbnormalAt: T0 - 4 * DAY }), customerSymptom: null }];
    const a = answer({ deploys, incidents }, "changes");
    assert.equal(a.answer, "yes");
    assert.match(a.verdict, /^7 deploys or module upgrades in 30 days; 1 followed by an incident within (60|1) \S+ \(14%\); 1 incident blamed on a change$/);
    assert.deepEqual([a.figures.deploysFollowedByIncident, a.figures.incidentsAfterDeploy, a.figures.incidentsCausedByChange], [1, 1, 1]);
  });
  test("changes and cost: the audit trail's counts, with who and when, and the tenant's estimated monthly cost", () => {
    const audit = [{ category: "privilege", action: "granted", n: 2 }, { category: "privilege", action: "revoked", n: 1 }, { category: "api_key", action: "created", n: 1 }, { category: "config", action: "changed", n: 3 }, { category: "module", action: "install", n: 1 }, { category: "login_failed", action: "failed", n: 12 }];
    const a = answer({ audit }, "changes");
    assert.equal(a.answer, "partly", "audited, though no deploy is recorded");
    assert.match(a.verdict, /; audit trail, each with who and when: 2 administrator grants, 0 internal users created, 1 API key created, 4 configuration changes, 12 failed logins$/);
    const tenantShares = [{ resource: "connections", mean: 0.2, max: 0.3, readings: 10 }];
    assert.match(answer({ tenantShares, monthlyCost: { currency: "EUR", total: 61.5 } }, "tenants").verdict, /; estimated cost 61\.50 EUR a month$/);
  });
  const changes: Array<[string, number, number, string]> = [
    ["no deploy recorded", 0, 0, "unknown"],
    ["half the deploys followed by an incident", 2, 1, "partly"],
    ["every deploy followed by an incident", 1, 1, "no"],
  ];
  for (const [name, n, failing, expected] of changes) {
    test(`changes: ${name}`, () => {
      const deploys = Array.from({ length: n }, (_, i) => ({ at: T0 + i * DAY }));
      const incidents = Array.from({ length: failing }, (_, i) => ({ incident: incident({ firstAbnormalAt: T0 + i * DAY + 10 * MIN }), customerSymptom: null }));
      assert.equal(answer({ deploys, incidents }, "changes").answer, expected);
    });
  }
});
