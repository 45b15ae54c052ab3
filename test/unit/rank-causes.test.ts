import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deviationStrength, EvidenceBook, observe, type EvidenceReading, type SeriesEvidence } from "../../server/detect/evidence.ts";
import { rankCauses, stabilize, type CauseContext, type RankedCause, type SymptomInfo } from "../../server/detect/rank-causes.ts";
import { advance, decide, told, type AlertUpdate, type IncidentAlert } from "../../server/detect/incidents.ts";
import type { Layer } from "../../server/sli/catalog.ts";

const MIN = 60_000;
const T = Date.UTC(2026, 11, 1, 10, 0);

function series(sli: string, layer: Layer, values: Array<[number, number]>, opts: { tenant?: string; objective?: number; labels?: Record<string, string> } = {}): SeriesEvidence {
  const objective = opts.objective ?? 0;
  let e: SeriesEvidence | undefined;
  for (const [at, value] of values) {
    const r: EvidenceReading = { tenant: opts.tenant ?? "acme", sli, labels: opts.labels ?? {}, layer, at, value, abnormal: value > objective, objective, better: "lower" };
    e = observe(e, r);
  }
  return e!;
}

const ctx = (deviating: SeriesEvidence[], extra: Partial<CauseContext> = {}): CauseContext => ({
  topology: { redisTenants: new Set() },
  deviating,
  peers: [],
  deploys: [],
  describe: (sli) => ({ title: sli, format: (v) => String(v) }),
  toleranceMs: MIN,
  ...extra,
});

const symptom = (sli: string, onset: number, evidence?: SeriesEvidence, labels: Record<string, string> = {}): SymptomInfo => ({ tenant: "acme", sli, labels, layer: "business", onset, evidence });

describe("evidence", () => {
  test("a series abnormal since first sight has no onset until it gets half as bad again", () => {
    const e = series("redis_fragmentation_ratio", "cache", [[T, 6.8], [T + MIN, 6.8], [T + 2 * MIN, 7.1]], { objective: 1.5 });
    assert.equal(e.onset, null);
    assert.equal(series("late_open_deliveries", "business", [[T, 40], [T + MIN, 60]], { objective: 10 }).onset, T + MIN);
  });

  test("a series that was normal gets its onset at the first abnormal reading and keeps it", () => {
    const e = series("pg_lock_waiting_sessions", "database", [[T, 0], [T + MIN, 7], [T + 2 * MIN, 9]]);
    assert.deepEqual([e.onset, e.onsetValue, e.normalValue], [T + MIN, 7, 0]);
    assert.ok(deviationStrength(e) >= 7);
  });

  test("the book indexes only deviating series, and a missing reading changes nothing", () => {
    const book = new EvidenceBook((t, s, l) => `${t}/${s}/${JSON.stringify(l)}`);
    const r = (value: number | null, at: number): EvidenceReading => ({ tenant: "acme", sli: "x", labels: {}, layer: "database", at, value, abnormal: value !== null && value > 0, objective: 0, better: "lower" });
    book.observe(r(0, T));
    assert.equal(book.deviating(null).length, 0);
    book.observe(r(3, T + MIN));
    book.observe(r(null, T + 2 * MIN));
    assert.equal(book.deviating(new Set(["acme"]))[0]?.onset, T + MIN);
    book.observe(r(0, T + 3 * MIN));
    assert.equal(book.deviating(null).length, 0);
  });
});

describe("cause ranking", () => {
  test("the same change seen by several markers is one cause, the latest; busy workers explain a slow journey", () => {
    const deploys = [10, 20, 30].map((m) => ({ tenant: "acme", at: T + m * 1000, text: "logistics_observability 18.0.1.5.0 upgraded" }));
    const workers = series("odoo_workers_busy_ratio", "capacity", [[T, 0.2], [T + MIN, 1]], { objective: 0.8 });
    const causes = rankCauses(symptom("journey_failed_step", T + 2 * MIN), ctx([workers], { deploys }));
    assert.deepEqual(causes.map((c) => [c.layer, c.subject]), [["change", "the change logistics_observability 18.0.1.5.0 upgraded"], ["capacity", "odoo_workers_busy_ratio"]]);
  });

  test("lock waits in the tenant's database before late waves rank first, with checkable evidence", () => {
    const locks = series("pg_lock_waiting_sessions", "database", [[T, 0], [T + 2 * MIN, 7]]);
    const [first] = rankCauses(symptom("late_open_waves", T + 3 * MIN), ctx([locks]));
    assert.equal(first?.layer, "database");
    assert.equal(first?.evidence, "pg_lock_waiting_sessions 0 -> 7 from 10:02 UTC, 1 min before late_open_waves");
  });

  test("another tenant's lock waits, a Redis this Odoo does not use, and a cause that began after the symptom are no causes", () => {
    const otherLocks = series("pg_lock_waiting_sessions", "database", [[T, 0], [T + MIN, 7]], { tenant: "beta" });
    const redis = series("redis_memory_used_ratio", "cache", [[T, 0.1], [T + MIN, 0.97]], { tenant: "global", objective: 0.9 });
    const late = series("pg_idle_in_transaction_sessions", "database", [[T, 0], [T + 30 * MIN, 4]]);
    assert.deepEqual(rankCauses(symptom("late_open_waves", T + 2 * MIN), ctx([otherLocks, redis, late])), []);
    const used = rankCauses(symptom("late_open_waves", T + 2 * MIN), ctx([redis], { topology: { redisTenants: new Set(["acme"]) } }));
    assert.equal(used[0]?.layer, "cache");
  });

  test("a label failure never blames the database; its own carrier's service comes first", () => {
    const locks = series("pg_lock_waiting_sessions", "database", [[T, 0], [T + MIN, 3]]);
    const dhl = series("label_failure_ratio", "business", [[T, 0], [T + 2 * MIN, 0.4]], { objective: 0.01, labels: { carrier: "DHL" } });
    const ups = series("label_failure_ratio", "business", [[T, 0], [T + 2 * MIN, 0]], { objective: 0.01, labels: { carrier: "UPS" } });
    const causes = rankCauses(symptom("label_failure_ratio", T + 2 * MIN, dhl, { carrier: "DHL" }), ctx([locks, dhl], { peers: [dhl, ups] }));
    assert.deepEqual(causes.map((c) => c.layer), ["integration"]);
    assert.equal(causes[0]!.subject, "the DHL label service");
  });

  test("a noisy neighbour counts only while the shared resource is saturated", () => {
    const share = series("pg_tenant_share", "database", [[T, 0.2], [T + MIN, 1]], { tenant: "beta", objective: 0.7, labels: { resource: "lock_waits" } });
    assert.deepEqual(rankCauses(symptom("late_open_waves", T + 2 * MIN), ctx([share])), [], "one lock wait elsewhere is not a noisy neighbour");
    const waits = series("pg_lock_waiting_sessions", "database", [[T, 0], [T + MIN, 12]], { tenant: "global" });
    const [first] = rankCauses(symptom("late_open_waves", T + 2 * MIN), ctx([share, waits]));
    assert.equal(first?.layer, "tenant");
  });

  test("a deploy of the tenant in the hour before outranks a weak deviation; another tenant's deploy does not count", () => {
    const locks = series("pg_lock_waiting_sessions", "database", [[T, 0], [T + 3 * MIN, 1]]);
    const deploys = [{ tenant: "acme", at: T + MIN, text: "stock 18.0.1.1 -> 18.0.1.2" }, { tenant: "beta", at: T + MIN, text: "x" }];
    const causes = rankCauses(symptom("cron_failing_jobs", T + 3 * MIN), ctx([locks], { deploys }));
    assert.equal(causes[0]?.layer, "change");
    assert.equal(causes.filter((c) => c.layer === "change").length, 1);
    assert.ok(causes.reduce((n, c) => n + c.confidence, 0) <= 1.0001);
  });

  test("the ranking keeps its first cause unless another beats it by a clear margin", () => {
    const c = (key: string, score: number): RankedCause => ({ rank: 0, layer: "database", subject: key, evidence: "", confidence: 0, signal: null, key, score, onset: T });
    assert.equal(stabilize([c("a", 0.8)], [c("b", 0.82), c("a", 0.8)])[0]!.key, "a");
    assert.equal(stabilize([c("a", 0.5)], [c("b", 0.9), c("a", 0.5)])[0]!.key, "b");
  });
});

describe("incidents", () => {
  const alert = (fingerprint: string, state: IncidentAlert["state"], severity: IncidentAlert["severity"] = "page", muted = false): IncidentAlert => ({
    ref: `${fingerprint}@${T}`, fingerprint, sli: fingerprint, title: fingerprint, labels: {}, kind: "burn_rate", severity, state, since: T, value: 1, objective: 0, muted,
  });
  const locks: RankedCause = { rank: 1, layer: "database", subject: "locks", evidence: "", confidence: 1, signal: null, key: "database:locks", score: 1, onset: T - MIN };
  const update = (a: IncidentAlert, transition: AlertUpdate["transition"], causes: RankedCause[] = [locks]): AlertUpdate => ({ alert: a, transition, abnormalSince: T - MIN, causes });

  test("two alerts of one fault are one incident, told once when opened and once when resolved", () => {
    let i = advance("acme", "acme", undefined, [update(alert("a", "firing"), "fired")], T)!;
    assert.equal(decide(undefined, i, [], T, 0), "opened");
    told(i, "opened", T);
    const prev = i;
    i = advance("acme", "acme", prev, [update(alert("b", "firing"), "fired")], T + MIN)!;
    assert.equal(i.alerts.length, 2);
    assert.equal(decide(prev, i, [update(alert("b", "firing"), "fired")], T + MIN, 0), null, "a second page alert adds nothing new");
    const unexplained = advance("acme", "acme", undefined, [update(alert("x", "firing"), "fired", [])], T)!;
    told(unexplained, "opened", T);
    const more = [update(alert("y", "firing", "ticket"), "fired", [])];
    assert.equal(decide(unexplained, advance("acme", "acme", unexplained, more, T + MIN)!, more, T + MIN, 0), "worse", "an alert nothing explains is news");
    const closing = advance("acme", "acme", i, [update(alert("a", "resolved"), "resolved"), update(alert("b", "resolved"), "resolved")], T + 5 * MIN)!;
    assert.equal(closing.state, "resolved");
    assert.equal(decide(i, closing, [], T + 5 * MIN, 0), "resolved");
    assert.equal(closing.firstAbnormalAt, T - MIN);
  });

  test("a ticket that becomes a page is told as worse; a muted incident waits", () => {
    const t = advance("acme", "acme", undefined, [update(alert("a", "firing", "ticket"), "fired")], T)!;
    told(t, "opened", T);
    const p = advance("acme", "acme", t, [update(alert("a", "firing", "page"), "escalated")], T + MIN)!;
    assert.equal(decide(t, p, [update(alert("a", "firing", "page"), "escalated")], T + MIN, 0), "worse");
    const muted = advance("acme", "acme", undefined, [update(alert("m", "firing", "page", true), "fired")], T)!;
    assert.equal(decide(undefined, muted, [], T, 0), null);
  });
});
