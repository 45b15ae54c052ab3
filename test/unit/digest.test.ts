import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Incident } from "../../server/detect/incidents.ts";
import { weeklyDigest } from "../../server/report/digest.ts";
import { digestMail } from "../../server/report/digest-mail.ts";
import { isReportable, summarise, incidentLine, topCauses } from "../../server/report/incident-figures.ts";
import { serviceLevels } from "../../server/report/service-levels.ts";
import { incident } from "../support/incident.ts";
import { addDays, dueDigest, lastCompleteWeek, localTime, previousWeek, weekdayOf, weekEnding } from "../../server/report/week.ts";

const at = (iso: string) => Date.parse(iso);

describe("the reporting calendar", () => {
  test("a week is seven local days, midnight to midnight in the zone", () => {
    const w = weekEnding("2026-12-06", "Europe/Brussels");
    assert.equal(w.weekStart, "2026-11-30");
    assert.equal(new Date(w.from).toISOString(), "2026-11-29T23:00:00.000Z");
    assert.equal(new Date(w.to).toISOString(), "2026-12-06T23:00:00.000Z");
  });
  test("a week across the end of summer time (25 October 2026) is 169 hours long", () => {
    const w = weekEnding("2026-10-24", "Europe/Brussels");
    assert.equal((w.to - w.from) / 3_600_000, 168);
    const across = weekEnding("2026-10-25", "Europe/Brussels");
    assert.equal((across.to - across.from) / 3_600_000, 169);
  });
  test("the week before ends the day before this one starts", () => {
    const w = weekEnding("2026-12-06", "UTC");
    const p = previousWeek(w, "UTC");
    assert.deepEqual([p.weekStart, p.weekEnd, p.to], ["2026-11-23", "2026-11-29", w.from]);
  });
  const cases: Array<[string, string, number]> = [["Monday", "2026-11-30", 1], ["Sunday", "2026-12-06", 7], ["leap day", "2028-02-29", 2]];
  for (const [name, date, day] of cases) test(`weekday of a ${name}`, () => assert.equal(weekdayOf(date), day));
  test("adding days crosses months and years", () => assert.equal(addDays("2026-12-30", 3), "2027-01-02"));
  test("the last complete week ends yesterday, local time", () => {
    // 23:30 UTC on Sunday is already Monday in Brussels: last week is Monday to Sunday, complete.
    assert.equal(lastCompleteWeek(at("2026-12-06T23:30:00Z"), "Europe/Brussels").weekEnd, "2026-12-06");
    assert.equal(lastCompleteWeek(at("2026-12-06T23:30:00Z"), "UTC").weekEnd, "2026-12-05");
  });
  test("a wall-clock time in a zone", () => assert.equal(new Date(localTime("2026-07-01", 8, "America/New_York")).toISOString(), "2026-07-01T12:00:00.000Z"));

  describe("when the digest is due (Mondays at 08:00, Brussels)", () => {
    const s = { weekday: 1, hour: 8, timezone: "Europe/Brussels" };
    const cases: Array<[string, string, string, string]> = [
      ["Monday 08:00 local: this Monday's, for last week", "2026-12-07T07:00:00Z", "2026-12-07T07:00:00.000Z", "2026-12-06"],
      ["Monday 07:59 local: still the Monday before", "2026-12-07T06:59:00Z", "2026-11-30T07:00:00.000Z", "2026-11-29"],
      ["Wednesday: this Monday's", "2026-12-09T12:00:00Z", "2026-12-07T07:00:00.000Z", "2026-12-06"],
      ["Sunday night: the Monday before", "2026-12-13T22:00:00Z", "2026-12-07T07:00:00.000Z", "2026-12-06"],
    ];
    for (const [name, now, sendAt, weekEnd] of cases) {
      test(name, () => {
        const due = dueDigest(at(now), s);
        assert.equal(new Date(due.sendAt).toISOString(), sendAt);
        assert.equal(due.week.weekEnd, weekEnd);
      });
    }
  });
});

describe("service levels of a week", () => {
  const target = () => 0.99;
  test("shares from the ledger, pooled over series, worst first, counted against the SLO", () => {
    const s = serviceLevels(
      [{ sli: "on_time_delivery_ratio", known: 1000, bad: 50 }, { sli: "label_failure_ratio", known: 2000, bad: 2 }, { sli: "late_open_deliveries", known: 1000, bad: 0 }],
      [{ sli: "on_time_delivery_ratio", known: 1000, bad: 5 }, { sli: "label_failure_ratio", known: 1000, bad: 20 }],
      target,
    );
    assert.deepEqual(s.slis.map((l) => [l.sli, l.share, l.lastWeekShare, l.met, l.metLastWeek]), [
      ["on_time_delivery_ratio", 0.95, 0.995, false, true],
      ["label_failure_ratio", 0.999, 0.98, true, false],
      ["late_open_deliveries", 1, null, true, null],
    ]);
    assert.deepEqual([s.measured, s.met, s.lastWeek], [3, 2, { measured: 2, met: 1 }]);
  });
  test("an SLI not sampled is neither met nor missed; an unknown id is dropped", () => {
    const s = serviceLevels([{ sli: "ready_backlog", known: 0, bad: 0 }, { sli: "no_such_sli", known: 5, bad: 0 }], [], target);
    assert.deepEqual(s.slis.map((l) => [l.sli, l.met]), [["ready_backlog", null]]);
    assert.equal(s.measured, 0);
  });
});

describe("incident figures", () => {
  test("MTTD from the first abnormal signal to the first notification; MTTR to resolution", () => {
    const l = incidentLine(incident({ causeLayer: "database" }));
    assert.deepEqual([l.mttdSeconds, l.mttrSeconds, l.causeLayer], [120, 32 * 60, "database"]);
    assert.match(l.cause!, /the database thing \(x 0 -> 3\)/);
  });
  test("a summary: count, pages, means, with a cause; an incident resolved after the period is open at its end", () => {
    const end = at("2026-12-01T00:00:00Z");
    const lines = [
      incident({ causeLayer: "integration" }),
      incident({ severity: "ticket", firstNotifiedAt: at("2026-11-30T10:04:00Z") }),
      incident({ openedAt: at("2026-11-30T23:00:00Z"), resolvedAt: at("2026-12-01T01:00:00Z") }),
    ].map(incidentLine);
    const s = summarise(lines, end);
    assert.deepEqual(s, { count: 3, pages: 2, open: 1, meanMttdSeconds: (120 + 360 + 120) / 3, meanMttrSeconds: 32 * 60, withCause: 1 });
  });
  test("top causes by layer, unknown included, beside last week", () => {
    const now = [incident({ causeLayer: "database" }), incident({ causeLayer: "database" }), incident()].map(incidentLine);
    const before = [incident({ causeLayer: "database" }), incident({ causeLayer: "change" })].map(incidentLine);
    assert.deepEqual(topCauses(now, before), [{ layer: "database", count: 2, lastWeek: 1 }, { layer: "unknown", count: 1, lastWeek: 0 }]);
  });
  const reportable: Array<[string, Partial<Incident>, boolean]> = [
    ["a tenant's incident", {}, true],
    ["the monitor's own failure", { scope: "eu|monitoring:odoo_business" }, false],
    ["an incident whose alerts all moved to their cause's", { alerts: [] }, false],
  ];
  for (const [name, over, expected] of reportable) test(`reportable: ${name}`, () => assert.equal(isReportable(incident(over)), expected));
});

describe("the weekly digest", () => {
  const week = weekEnding("2026-12-06", "Europe/Brussels");
  const input = {
    tenant: "eu",
    timezone: "Europe/Brussels",
    week,
    previous: previousWeek(week, "Europe/Brussels"),
    now: at("2026-12-07T07:00:00Z"),
    ledger: { thisWeek: [{ sli: "on_time_delivery_ratio", known: 1000, bad: 50 }, { sli: "late_open_deliveries", known: 1000, bad: 0 }], lastWeek: [{ sli: "on_time_delivery_ratio", known: 1000, bad: 0 }, { sli: "late_open_deliveries", known: 1000, bad: 0 }] },
    sloTarget: () => 0.99,
    incidents: {
      thisWeek: [incident({ causeLayer: "integration", title: "Carrier label failures (dhl)" }), incident({ openedAt: at("2026-12-02T14:00:00Z"), severity: "ticket" })],
      lastWeek: [incident({ openedAt: at("2026-11-24T10:00:00Z"), firstAbnormalAt: at("2026-11-24T09:50:00Z"), causeLayer: "database" })],
    },
  };
  const d = weeklyDigest(input);
  const row = (key: string) => d.kpis.find((k) => k.key === key)!;
  const cases: Array<[string, number | null, number | null, string | null]> = [
    ["service_levels_met", 1, 2, "worse"],
    ["incidents", 2, 1, "worse"],
    ["pages", 1, 1, "same"],
    ["mttd", 120, 600, "better"],
    ["mttr", 32 * 60, 40 * 60, "better"],
    ["incidents_with_cause", 1, 1, "worse"],
  ];
  for (const [key, thisWeek, lastWeek, trend] of cases) {
    test(`KPI ${key}: ${thisWeek} against ${lastWeek}, ${trend}`, () => assert.deepEqual([row(key).thisWeek, row(key).lastWeek, row(key).trend], [thisWeek, lastWeek, trend]));
  }
  test("the period is the local week and it is complete once over", () => {
    assert.deepEqual([d.weekStart, d.weekEnd, d.from, d.complete], ["2026-11-30", "2026-12-06", "2026-11-29T23:00:00.000Z", true]);
    assert.equal(weeklyDigest({ ...input, now: at("2026-12-05T12:00:00Z") }).complete, false);
  });

  test("the mail: subject, KPI rows this week and last, service levels, incidents in local time, causes", () => {
    const m = digestMail(d, "https://odoo.example.com/odoo/action-x");
    assert.equal(m.subject, "Logistics Health weekly digest: eu, 2026-11-30 to 2026-12-06: 1 of 2 service levels met, 2 incidents");
    assert.match(m.text, /^Service levels met\s+1 of 2\s+2 of 2\s+worse$/m);
    assert.match(m.text, /^Incidents\s+2\s+1\s+worse$/m);
    assert.match(m.text, /^Mean time to detect \(MTTD\)\s+\S+ min\s+\S+ min\s+better$/m);
    assert.match(m.text, /On-time deliveries \(Odoo On Time %\): 95\.0% \(last week 100\.0%\); target 99\.0% - MISSED/);
    // 10:00 UTC is 11:00 in Brussels in winter.
    assert.match(m.text, /Mon 30 Nov, 11:00\s+\[page\] Carrier label failures \(dhl\)/);
    assert.match(m.text, /integration: the integration thing/);
    assert.match(m.text, /^ {2}integration: 1 \(last week 0\)$/m);
    assert.match(m.html, /<td[^>]*>Service levels met<\/td><td[^>]*>1 of 2<\/td><td[^>]*>2 of 2<\/td>/);
    assert.match(m.html, /href="https:\/\/odoo\.example\.com\/odoo\/action-x"/);
  });
  test("the HTML escapes what came from elsewhere", () => {
    const m = digestMail(weeklyDigest({ ...input, incidents: { thisWeek: [incident({ title: "<script>x</script>" })], lastWeek: [] } }));
    assert.doesNotMatch(m.html, /<script>/);
    assert.match(m.html, /&#60;script&#62;/);
  });
});
