import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alertmanagerPlan, type PlanInput } from "../../server/alerts/alertmanager-alert.ts";
import { sliDefinition } from "../../server/sli/catalog.ts";
import type { AlertRecord } from "../../server/store/alerts.ts";

const def = sliDefinition("label_failure_ratio")!;
const T0 = Date.UTC(2026, 11, 6, 10, 0);
const cause = (layer: string) => [{ rank: 1, layer, subject: "the DHL Express label service", evidence: "failures 0% -> 30%", confidence: 0.8, signal: null, key: layer, score: 1, onset: T0 }];
const alert = (over: Partial<AlertRecord> = {}): AlertRecord => ({
  fingerprint: "eu/label_failure_ratio/carrier=DHL", kind: "burn_rate", tenant: "eu", sli: "label_failure_ratio", labels: { carrier: "DHL" }, severity: "page",
  state: "firing", since: T0, firedAt: T0, resolvedAt: null, clearSince: null, value: 0.3, objective: 0.01, silencedBy: null, inhibitedBy: null,
  details: { causes: cause("integration") }, lastNotifiedAt: null, repeats: 0, incidentId: 7, ...over,
});
const plan = (record: AlertRecord, prev: AlertRecord | undefined, now: number, changed = false) =>
  alertmanagerPlan({ record, prev, def, changed, now, resendMs: 60_000, toleranceMs: 30_000 } satisfies PlanInput);

/** What goes to Alertmanager in each round: a timeline of one alert episode. */
describe("Alertmanager posts of an alert", () => {
  const first = plan(alert(), undefined, T0, true);
  const posted = (p: typeof first) => alert({ details: { causes: cause("integration"), alertmanager: p.posted } });

  test("a firing alert is posted with its labels, and what was posted is remembered", () => {
    assert.deepEqual(first.posts.map((p) => p.state), ["firing"]);
    assert.deepEqual(first.posts[0]!.labels, { alertname: "Logistics_label_failure_ratio", tenant: "eu", sli: "label_failure_ratio", severity: "page", kind: "burn_rate", layer: "business", cause_layer: "integration", incident: "7", carrier: "DHL" });
    assert.equal(first.posted?.at, T0);
  });

  const cases: Array<[string, AlertRecord, number, string[]]> = [
    ["a round 20 s later posts nothing", alert(), T0 + 20_000, []],
    ["a round 45 s later re-posts (within half an interval of the resend)", alert(), T0 + 45_000, ["firing"]],
    ["a round 60 s later re-posts", alert(), T0 + 60_000, ["firing"]],
    ["a page that became a ticket ends the page and posts the ticket", alert({ severity: "ticket" }), T0 + 10_000, ["resolved", "firing"]],
    ["a new cause layer is a new alert there", alert({ details: { causes: cause("database") } }), T0 + 10_000, ["resolved", "firing"]],
    ["silenced: ended", alert({ silencedBy: 3 }), T0 + 10_000, ["resolved"]],
    ["inhibited: ended", alert({ inhibitedBy: "odoo_business of eu cannot be sampled" }), T0 + 10_000, ["resolved"]],
    ["resolved: ended at its resolution", alert({ state: "resolved", resolvedAt: T0 + 5_000 }), T0 + 10_000, ["resolved"]],
  ];
  for (const [name, record, now, states] of cases) {
    test(name, () => {
      const { posts } = plan(record, posted(first), now);
      assert.deepEqual(posts.map((p) => p.state), states);
      if (states[0] === "resolved") assert.deepEqual(posts[0]!.labels, first.posts[0]!.labels, "the old label set is the one ended");
    });
  }

  test("resolved at its resolution time, and forgotten", () => {
    const r = plan(alert({ state: "resolved", resolvedAt: T0 + 5_000 }), posted(first), T0 + 10_000);
    assert.equal(r.posts[0]!.endsAt, T0 + 5_000);
    assert.equal(r.posted, undefined);
  });

  test("pending, or muted before Alertmanager ever had it: nothing", () => {
    assert.deepEqual(plan(alert({ state: "pending" }), undefined, T0).posts, []);
    assert.deepEqual(plan(alert({ silencedBy: 1 }), undefined, T0).posts, []);
  });
});
