import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { STATUS_SCRIPT_MODULE, statusScriptModule } from "../../scripts/build-status-page.ts";
import { BUSINESS_SLIS, SLI_CATALOG } from "../../server/sli/catalog.ts";
import { COMPONENTS, componentOf, type ComponentId } from "../../server/status/components.ts";
import { componentHistory, spansOn, type DayState, type Span } from "../../server/status/history.ts";
import { renderStatus } from "../../server/status/render.ts";
import { componentStatus, overallState, type StateInputs, type StatusAlert, type StatusIncident, type StatusReading } from "../../server/status/state.ts";
import { detailedStatus, forTenantToken, publicStatus, type StatusFacts } from "../../server/status/view.ts";
import { incident } from "../support/incident.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse("2026-12-06T12:00:00Z");

describe("status page components: which SLI speaks of which", () => {
  const cases: Array<[string, Record<string, string>, "tenant" | "global", ComponentId | undefined]> = [
    ["order_confirm_to_first_ship_p95_seconds", {}, "tenant", "orders"],
    ["on_time_delivery_ratio", {}, "tenant", "deliveries"],
    ["delivery_avg_delay_seconds", {}, "tenant", "deliveries"],
    ["late_open_deliveries", {}, "tenant", "deliveries"],
    ["ready_backlog_oldest_age_seconds", {}, "tenant", "deliveries"],
    ["wave_delay_p95_seconds", {}, "tenant", "waves"],
    ["late_open_waves", {}, "tenant", "waves"],
    ["label_failure_ratio", { carrier: "dhl" }, "tenant", "carriers"],
    ["cron_failing_jobs", {}, "tenant", "jobs"],
    ["queue_job_backlog", { channel: "root" }, "tenant", "jobs"],
    ["mail_outgoing_backlog", {}, "tenant", "jobs"],
    ["pg_lock_waiting_sessions", {}, "tenant", "database"],
    ["pg_connections_used_ratio", {}, "global", "database"],
    ["journey_success", { journey: "warehouse" }, "tenant", "journeys"],
    ["sampling_up", { source: "odoo_business" }, "tenant", "odoo"],
    ["sampling_up", { source: "odoo_journey" }, "tenant", undefined],
    ["security_failed_logins", {}, "tenant", undefined],
    ["host_cpu_used_ratio", {}, "global", undefined],
    ["label_failure_ratio", { carrier: "dhl" }, "global", undefined],
  ];
  for (const [sli, labels, owner, want] of cases) {
    test(`${owner} ${sli}${Object.keys(labels).length ? JSON.stringify(labels) : ""} -> ${want ?? "not shown"}`, () => assert.equal(componentOf(sli, labels, owner), want));
  }
  test("every business SLI of the catalogue has a component", () => {
    assert.deepEqual(BUSINESS_SLIS.filter((d) => componentOf(d.id, {}, "tenant") === undefined).map((d) => d.id), []);
  });
  test("every journey and PostgreSQL signal has one too, but a tenant's share of the server, which is no state", () => {
    const missing = SLI_CATALOG.filter((d) => (d.id.startsWith("journey_") || d.id.startsWith("pg_")) && componentOf(d.id, {}, "tenant") === undefined);
    assert.deepEqual(missing.map((d) => d.id), ["pg_tenant_share"]);
  });
});

const reading = (sli: string, value: number | null, over: Partial<StatusReading> = {}): StatusReading => ({ sli, labels: {}, owner: "tenant", at: NOW - MIN, value, breach: false, ...over });
const alert = (sli: string, severity: "page" | "ticket", since: number, over: Partial<StatusAlert> = {}): StatusAlert => ({ sli, labels: {}, owner: "tenant", severity, state: "firing", since, ...over });
const openIncident = (alerts: StatusAlert[], over: Partial<StatusIncident> = {}): StatusIncident => ({ id: 1, owner: "tenant", state: "open", openedAt: NOW - HOUR, resolvedAt: null, alerts, ...over });
const up = (value: number) => reading("sampling_up", value, { labels: { source: "odoo_business" } });

describe("a component's state now", () => {
  const base: StateInputs = { readings: [], incidents: [], liveAlerts: [], odooDownSince: null, firstDataAt: NOW - 10 * DAY };
  const def = (id: ComponentId) => COMPONENTS.find((c) => c.id === id)!;
  const cases: Array<{ name: string; id: ComponentId; inputs: Partial<StateInputs>; state: string; since: number | null; reason: string | null }> = [
    {
      name: "Odoo unreachable: every Odoo component with readings is an outage since the first failed run, whatever else holds",
      id: "deliveries", inputs: { readings: [up(0), reading("late_open_deliveries", null)], odooDownSince: NOW - 30 * MIN, incidents: [openIncident([alert("late_open_deliveries", "ticket", NOW - 2 * HOUR)])] },
      state: "outage", since: NOW - 30 * MIN, reason: "odoo_unreachable",
    },
    { name: "Odoo unreachable: the reachability component itself", id: "odoo", inputs: { readings: [up(0)], odooDownSince: NOW - 5 * MIN }, state: "outage", since: NOW - 5 * MIN, reason: "odoo_unreachable" },
    { name: "Odoo unreachable, start unknown: since the failed reading", id: "odoo", inputs: { readings: [up(0)] }, state: "outage", since: NOW - MIN, reason: "odoo_unreachable" },
    { name: "Odoo unreachable: the database (read from PostgreSQL) keeps its own state", id: "database", inputs: { readings: [up(0), reading("pg_lock_waiting_sessions", 0)] }, state: "operational", since: NOW - 10 * DAY, reason: null },
    { name: "Odoo unreachable: a component never sampled still has no data", id: "journeys", inputs: { readings: [up(0)] }, state: "no_data", since: null, reason: null },
    { name: "Odoo answers: reachable", id: "odoo", inputs: { readings: [up(1)] }, state: "operational", since: NOW - 10 * DAY, reason: null },
    {
      name: "a firing page on one of its SLIs: outage since the alert began",
      id: "carriers", inputs: { readings: [up(1), reading("label_failure_ratio", 0.4, { labels: { carrier: "dhl" }, breach: true })], incidents: [openIncident([alert("label_failure_ratio", "page", NOW - 20 * MIN, { labels: { carrier: "dhl" } })])] },
      state: "outage", since: NOW - 20 * MIN, reason: "incident",
    },
    {
      name: "a page of the same incident on another component does not make this one an outage",
      id: "jobs", inputs: { readings: [up(1), reading("mail_outgoing_backlog", 300, { breach: true })], incidents: [openIncident([alert("label_failure_ratio", "page", NOW - 20 * MIN), alert("mail_outgoing_backlog", "ticket", NOW - 10 * MIN)], { openedAt: NOW - 20 * MIN })] },
      state: "degraded", since: NOW - 10 * MIN, reason: "incident",
    },
    {
      name: "a resolved alert inside an open incident no longer counts",
      id: "waves", inputs: { readings: [up(1), reading("late_open_waves", 0)], incidents: [openIncident([alert("late_open_waves", "page", NOW - 50 * MIN, { state: "resolved" })])] },
      state: "operational", since: NOW - 10 * DAY, reason: null,
    },
    {
      name: "the shared database server's page reaches every tenant's database component",
      id: "database", inputs: { readings: [reading("pg_connections_used_ratio", 0.97, { owner: "global", breach: true })], incidents: [openIncident([alert("pg_connections_used_ratio", "page", NOW - 3 * MIN, { owner: "global" })], { owner: "global" })] },
      state: "outage", since: NOW - 3 * MIN, reason: "incident",
    },
    {
      name: "the latest journey run failed: outage, since its alert began",
      id: "journeys", inputs: { readings: [up(1), reading("journey_success", 0, { labels: { journey: "warehouse" }, breach: true })], liveAlerts: [alert("journey_success", "page", NOW - 4 * MIN, { labels: { journey: "warehouse" }, state: "pending" })] },
      state: "outage", since: NOW - 4 * MIN, reason: "journey_failed",
    },
    {
      name: "a ticket: degraded",
      id: "deliveries", inputs: { readings: [up(1), reading("late_open_deliveries", 14, { breach: true })], incidents: [openIncident([alert("late_open_deliveries", "ticket", NOW - 90 * MIN)])] },
      state: "degraded", since: NOW - 90 * MIN, reason: "incident",
    },
    {
      name: "an objective missed, no incident yet: degraded since its pending alert",
      id: "orders", inputs: { readings: [up(1), reading("order_confirm_to_first_ship_p95_seconds", 30 * HOUR, { breach: true })], liveAlerts: [alert("order_confirm_to_first_ship_p95_seconds", "ticket", NOW - 2 * MIN, { state: "pending" })] },
      state: "degraded", since: NOW - 2 * MIN, reason: "objective_missed",
    },
    {
      name: "an objective missed, not judged yet: degraded, start unknown",
      id: "orders", inputs: { readings: [up(1), reading("order_confirm_to_first_ship_p95_seconds", 30 * HOUR, { breach: true })], liveAlerts: [alert("order_confirm_to_first_ship_p95_seconds", "ticket", NOW - 2 * MIN, { labels: { other: "series" } })] },
      state: "degraded", since: null, reason: "objective_missed",
    },
    { name: "only missing readings: no data", id: "waves", inputs: { readings: [up(1), reading("wave_delay_p95_seconds", null)] }, state: "no_data", since: null, reason: null },
    {
      name: "operational since Odoo last became reachable again",
      id: "waves", inputs: { readings: [up(1), reading("late_open_waves", 0)], incidents: [openIncident([alert("sampling_up", "page", NOW - 5 * HOUR, { labels: { source: "odoo_business" }, state: "resolved" })], { state: "resolved", openedAt: NOW - 5 * HOUR, resolvedAt: NOW - 4 * HOUR })] },
      state: "operational", since: NOW - 4 * HOUR, reason: null,
    },
    {
      name: "operational since its last incident ended",
      id: "deliveries", inputs: { readings: [up(1), reading("late_open_deliveries", 2)], incidents: [openIncident([alert("late_open_deliveries", "ticket", NOW - 5 * HOUR, { state: "resolved" })], { state: "resolved", openedAt: NOW - 5 * HOUR, resolvedAt: NOW - 3 * HOUR })] },
      state: "operational", since: NOW - 3 * HOUR, reason: null,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = componentStatus(def(c.id), { ...base, ...c.inputs });
      assert.deepEqual({ state: got.state, since: got.since, reason: got.reason }, { state: c.state, since: c.since, reason: c.reason });
    });
  }
  test("the headline is the worst component; no data only when nothing has any", () => {
    const of = (...states: string[]) => overallState(states.map((state) => ({ state }) as never));
    assert.equal(of("operational", "no_data", "degraded"), "degraded");
    assert.equal(of("degraded", "outage", "operational"), "outage");
    assert.equal(of("no_data", "operational"), "operational");
    assert.equal(of("no_data", "no_data"), "no_data");
  });
});

describe("90 days of history", () => {
  const days = (spans: Span[], firstDataAt: number | null, n = 5) => componentHistory(spans, firstDataAt, NOW, n);
  const today = Date.parse("2026-12-06T00:00:00Z");
  const cases: Array<{ name: string; spans: Span[]; firstDataAt: number | null; want: DayState[]; uptime: number | null }> = [
    { name: "no data at all", spans: [], firstDataAt: null, want: ["no_data", "no_data", "no_data", "no_data", "no_data"], uptime: null },
    { name: "days before the first reading have no data; its day counts", spans: [], firstDataAt: today - DAY + HOUR, want: ["no_data", "no_data", "no_data", "operational", "operational"], uptime: 1 },
    {
      name: "a page is an outage on every day it touches, a ticket a degradation, the worst wins",
      spans: [{ severity: "page", from: today - 3 * DAY + 22 * HOUR, to: today - 2 * DAY + 2 * HOUR }, { severity: "ticket", from: today - 2 * DAY + 5 * HOUR, to: today - 2 * DAY + 6 * HOUR }, { severity: "ticket", from: today + HOUR, to: today + 2 * HOUR }],
      firstDataAt: today - 10 * DAY, want: ["operational", "outage", "outage", "operational", "degraded"], uptime: 1 - (4 * HOUR) / (4 * DAY + 12 * HOUR),
    },
    {
      name: "an open page lasts until now; overlapping pages count once",
      spans: [{ severity: "page", from: NOW - 2 * HOUR, to: NOW }, { severity: "page", from: NOW - 3 * HOUR, to: NOW - HOUR }],
      firstDataAt: today - 10 * DAY, want: ["operational", "operational", "operational", "operational", "outage"], uptime: 1 - (3 * HOUR) / (4 * DAY + 12 * HOUR),
    },
    { name: "uptime counts from the first reading", spans: [{ severity: "page", from: NOW - 6 * HOUR, to: NOW - 3 * HOUR }], firstDataAt: NOW - 12 * HOUR, want: ["no_data", "no_data", "no_data", "no_data", "outage"], uptime: 0.75 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = days(c.spans, c.firstDataAt);
      assert.deepEqual(got.days, c.want);
      assert.equal(got.firstDay, "2026-12-02");
      if (c.uptime === null) assert.equal(got.uptime, null);
      else assert.ok(Math.abs(got.uptime! - c.uptime) < 1e-9, `uptime ${got.uptime} != ${c.uptime}`);
    });
  }
  test("an incident's span on a component has the worst severity of its alerts there", () => {
    const i = openIncident([alert("label_failure_ratio", "ticket", NOW - HOUR), alert("label_latency_p95_seconds", "page", NOW - HOUR), alert("mail_failed", "ticket", NOW - HOUR)]);
    assert.deepEqual(spansOn("carriers", [i], NOW), [{ severity: "page", from: NOW - HOUR, to: NOW }]);
    assert.deepEqual(spansOn("jobs", [i], NOW), [{ severity: "ticket", from: NOW - HOUR, to: NOW }]);
    assert.deepEqual(spansOn("orders", [i], NOW), []);
  });
  test("Odoo unreachable is an outage of every component read from Odoo, even as a ticket; not of the database", () => {
    const i = openIncident([alert("sampling_up", "ticket", NOW - HOUR, { labels: { source: "odoo_business" } })], { resolvedAt: NOW - 10 * MIN, state: "resolved" });
    for (const id of ["odoo", "deliveries", "journeys"] as const) assert.deepEqual(spansOn(id, [i], NOW), [{ severity: "page", from: NOW - HOUR, to: NOW - 10 * MIN }], id);
    assert.deepEqual(spansOn("database", [i], NOW), []);
  });
});

describe("the public view leaves the details out", () => {
  const facts: StatusFacts = {
    tenant: "eu", title: "Service status", now: NOW, firstDataAt: NOW - 3 * DAY, odooDownSince: null, liveAlerts: [],
    readings: [
      { sli: "sampling_up", title: "Sampling works", labels: { source: "odoo_business" }, owner: "tenant", unit: "count", better: "higher", at: NOW - MIN, value: 1, missing: null, objective: 1, status: "ok" },
      { sli: "label_failure_ratio", title: "Carrier label failures", labels: { carrier: "Secret Carrier Ltd" }, owner: "tenant", unit: "ratio", better: "lower", at: NOW - MIN, value: 0.4, missing: null, objective: 0.01, status: "breach" },
      { sli: "mail_failed", title: "Outgoing mails failed", labels: {}, owner: "tenant", unit: "count", better: "lower", at: NOW - MIN, value: null, missing: "odoo_business failed: connect ECONNREFUSED 10.1.2.3:8069", objective: 0, status: "missing" },
    ],
    incidents: [{ owner: "tenant", incident: incident({ id: 7, tenant: "eu", state: "open", resolvedAt: null, openedAt: NOW - HOUR, title: "Carrier label failures (Secret Carrier Ltd)", causeLayer: "carrier",
      alerts: [{ ref: "r", fingerprint: "f", sli: "label_failure_ratio", title: "t", labels: { carrier: "Secret Carrier Ltd" }, kind: "slo", severity: "page", state: "firing", since: NOW - HOUR, value: 0.4, objective: 0.01, muted: false }] }) }],
    journeys: [],
  };
  const detailed = detailedStatus(facts);
  const pub = publicStatus(detailed);
  test("the detailed view has values, objectives, titles and causes", () => {
    const carriers = detailed.components.find((c) => c.id === "carriers")!;
    assert.equal(carriers.state, "outage");
    assert.equal(carriers.slis[0]!.value, 0.4);
    assert.equal(detailed.incidents[0]!.probableCause?.subject, "the carrier thing");
    assert.deepEqual(detailed.incidents[0]!.components.map((c) => c.id), ["carriers"]);
  });
  test("the public view: component, state, since and history only", () => {
    const text = JSON.stringify(pub);
    for (const secret of ["Secret Carrier", "ECONNREFUSED", "10.1.2.3", "0.4", "carrier thing", "Carrier label failures"]) assert.ok(!text.includes(secret), secret);
    assert.deepEqual(pub.incidents, [{ components: [{ id: "carriers", name: "Carrier labels" }], state: "outage", since: new Date(NOW - HOUR).toISOString() }]);
    assert.deepEqual(Object.keys(pub.components[0]!).sort(), ["days", "id", "name", "reason", "since", "state", "uptime"]);
  });
  test("a component never sampled (no PostgreSQL source, no journey) has no history either", () => {
    const byId = new Map(pub.components.map((c) => [c.id, c]));
    for (const id of ["database", "journeys"] as const) {
      assert.equal(byId.get(id)!.state, "no_data");
      assert.ok(byId.get(id)!.days.every((d) => d === "no_data"), id);
      assert.equal(byId.get(id)!.uptime, null);
    }
    assert.equal(byId.get("odoo")!.days.at(-1), "operational");
  });
  test("a ticket on a component that is down reads as an outage; the shared server's incidents only where they touch the tenant", () => {
    const down = detailedStatus({
      ...facts, odooDownSince: NOW - 10 * MIN,
      readings: [{ ...facts.readings[0]!, value: 0, status: "breach" }],
      incidents: [
        { owner: "tenant", incident: incident({ id: 8, tenant: "eu", state: "open", resolvedAt: null, severity: "ticket", openedAt: NOW - 9 * MIN,
          alerts: [{ ref: "u", fingerprint: "u", sli: "sampling_up", title: "t", labels: { source: "odoo_business" }, kind: "threshold", severity: "ticket", state: "firing", since: NOW - 10 * MIN, value: 0, objective: 1, muted: false }] }) },
        { owner: "global", incident: incident({ id: 9, tenant: "global", state: "open", resolvedAt: null, severity: "page", openedAt: NOW - 9 * MIN }) },
      ],
    });
    assert.deepEqual(down.incidents.map((i) => [i.id, i.state, i.components.map((c) => c.id), i.since]), [[8, "outage", ["odoo"], new Date(NOW - 10 * MIN).toISOString()]]);
    const shared = detailedStatus({ ...facts, incidents: [{ owner: "global", incident: incident({ id: 10, tenant: "global", state: "open", resolvedAt: null, openedAt: NOW - 9 * MIN, causeLayer: "database",
      alerts: [{ ref: "c", fingerprint: "c", sli: "pg_connections_used_ratio", title: "t", labels: {}, kind: "threshold", severity: "ticket", state: "firing", since: NOW - 9 * MIN, value: 0.9, objective: 0.8, muted: false }] }) }] });
    assert.deepEqual(shared.incidents.map((i) => [i.id, i.shared, i.components.map((c) => c.id), i.probableCause?.subject]), [[10, true, ["database"], "the database thing"]]);
    assert.deepEqual(forTenantToken(shared).incidents.map((i) => [i.title, i.probableCause]), [["Incident of the shared database server", null]]);
    assert.equal(down.components.find((c) => c.id === "odoo")!.since, new Date(NOW - 10 * MIN).toISOString());
  });
  test("rendered, it says the state in words and times with their zone", () => {
    const html = renderStatus(pub, { timeZone: "Europe/Brussels" });
    assert.match(html, /Carrier labels<\/h3><span class="badge s-outage">Outage<\/span>/);
    assert.match(html, /Outage since <time datetime="2026-12-06T11:00:00.000Z">6 Dec 2026, 12:00 CET<\/time>/);
    assert.match(html, /Times are in Europe\/Brussels/);
    const detail = renderStatus(detailed, { timeZone: "UTC" });
    assert.match(detail, /Carrier label failures \(carrier: Secret Carrier Ltd\)<\/th><td>40%<\/td><td>≤ 1%<\/td><td>Objective missed/);
    assert.match(detail, /Probable cause: the carrier thing/);
  });
});

describe("status page script", () => {
  test("the committed bundle is what the sources build to (run npm run build)", async () => {
    assert.equal(readFileSync(STATUS_SCRIPT_MODULE, "utf8"), await statusScriptModule());
  });
});
