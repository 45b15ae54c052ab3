import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  bucketQuantile,
  ingressReadings,
  INGRESS_SLIS,
  MISSING,
  parseTraefikMetrics,
  WHOLE_SERVICE,
  type TraefikScrape,
} from "../../server/collectors/traefik-metrics.ts";
import { INFRA_SIGNALS } from "../../server/sli/infra-catalog.ts";
import type { Reading } from "../../server/sli/sample.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/traefik/${name}`, import.meta.url), "utf8");
const T0 = new Date("2026-11-29T12:00:00Z");
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const [RATE, RATIO, P50, P95] = INGRESS_SLIS;

/** The reading of one SLI for one {router, service}: its value, or its missing reason as a string. */
function readingOf(readings: Reading[], sli: string, router: string, service: string): number | string {
  const found = readings.filter((r) => r.sli === sli && r.labels?.router === router && r.labels?.service === service);
  assert.equal(found.length, 1, `one ${sli} reading for ${router} / ${service}`);
  return found[0]!.value ?? found[0]!.missing!;
}

function assertReading(readings: Reading[], sli: string, router: string, service: string, expected: number | string): void {
  const got = readingOf(readings, sli, router, service);
  if (typeof expected === "string") assert.equal(got, expected, `${sli} ${router} / ${service}`);
  else assert.ok(typeof got === "number" && Math.abs(got - expected) < 1e-9, `${sli} ${router} / ${service}: expected ${expected}, got ${got}`);
}

describe("ingress readings from two real-format Traefik v3 scrapes 60 s apart", () => {
  const first = parseTraefikMetrics(fixture("metrics-1.txt"), T0);
  const second = parseTraefikMetrics(fixture("metrics-2.txt"), later(60));
  const readings = ingressReadings(first, second);
  // Hand computation: increase of each series from metrics-1 to metrics-2, rates over 60 s, quantiles by
  // interpolating inside the bucket that holds rank = q * total (bounds 0.1, 0.3, 1.2, 5, +Inf).
  const cases: Array<[string, string, string, [number | string, number | string, number | string, number | string]]> = [
    // Router odoo@docker: 200 GET +2000, 200 POST +1060, 304 +300, 403 +900 (an IP allow-list on the router),
    // 404 +60, 502 +120, 503 +60 (new series: all of it is new) = 4500, 75/s; 5xx 180 / 4500 = 0.04.
    // Cumulative buckets 2100, 3300, 4380, 4464, 4500: p50 rank 2250 -> 0.1 + 0.2 * 150/1200 = 0.125;
    // p95 rank 4275 -> 0.3 + 0.9 * 975/1080 = 1.1125.
    ["router odoo@docker", "odoo@docker", "odoo@docker", [75, 0.04, 0.125, 1.1125]],
    // Service odoo@docker never sees the router's 403s: 3600, 60/s; 180 / 3600 = 0.05. Buckets 1200, 2400, 3480,
    // 3564, 3600: p50 rank 1800 -> 0.1 + 0.2 * 600/1200 = 0.2; p95 rank 3420 -> 0.3 + 0.9 * 1020/1080 = 1.15.
    ["service odoo@docker", WHOLE_SERVICE, "odoo@docker", [60, 0.05, 0.2, 1.15]],
    // odoo-longpolling@docker -> odoo-websocket@docker: 101 websocket +30, 200 POST http +240, 502 websocket +30 =
    // 300, 5/s; 30 / 300 = 0.1. Latency from the http series only: 60, 180, 240, 240, 240: p50 rank 120 -> 0.1 +
    // 0.2 * 60/120 = 0.2; p95 rank 228 -> 0.3 + 0.9 * 48/60 = 1.02. (With the websockets p95 would be 5 s: rank 285
    // of 300 falls in +Inf, 30 connections held open, not slow answers.)
    ["router odoo-longpolling@docker", "odoo-longpolling@docker", "odoo-websocket@docker", [5, 0.1, 0.2, 1.02]],
    ["service odoo-websocket@docker", WHOLE_SERVICE, "odoo-websocket@docker", [5, 0.1, 0.2, 1.02]],
    // prometheus@internal: the one scrape between the two, under 0.1 s: 1/60 per second, no 5xx, and inside the
    // first bucket (which starts at 0): p50 = 0.1 * 0.5 = 0.05, p95 = 0.1 * 0.95 = 0.095.
    ["router prometheus@internal", "prometheus@internal", "prometheus@internal", [1 / 60, 0, 0.05, 0.095]],
    // api@internal had no request between the scrapes: a measured 0/s, and no ratio or latency of nothing.
    ["router with no traffic", "api@internal", "api@internal", [0, MISSING.noRequests, MISSING.noRequests, MISSING.noRequests]],
  ];
  for (const [name, router, service, [rate, ratio, p50, p95]] of cases) {
    test(name, () => {
      assertReading(readings, RATE, router, service, rate);
      assertReading(readings, RATIO, router, service, ratio);
      assertReading(readings, P50, router, service, p50);
      assertReading(readings, P95, router, service, p95);
    });
  }

  test("no other reading: none from entry points, none for internal services (Traefik meters only their routers)", () => {
    assert.equal(readings.length, cases.length * INGRESS_SLIS.length);
  });

  test("the first scrape has no rate: every reading is missing, none is a made-up 0", () => {
    const firstReadings = ingressReadings(undefined, first);
    // Groups in metrics-1: the four routers and the two Odoo services (503 POST does not exist yet).
    assert.equal(firstReadings.length, 6 * INGRESS_SLIS.length);
    assert.ok(firstReadings.every((r) => r.value === undefined && r.missing === MISSING.firstScrape));
  });

  test("two scrapes at the same instant are no interval either", () => {
    const same = ingressReadings(first, parseTraefikMetrics(fixture("metrics-2.txt"), T0));
    assert.ok(same.every((r) => r.missing === MISSING.firstScrape));
  });

  test("the SLI ids and labels are the catalogue's", () => {
    for (const id of INGRESS_SLIS) assert.deepEqual(INFRA_SIGNALS.find((s) => s.id === id)?.labels, ["router", "service"], id);
  });
});

/** A Traefik v3 exposition for router odoo@docker -> service odoo@docker: cumulative buckets 0.1, 0.3, 1.2, 5, +Inf per series. */
function exposition(startTime: number, series: Array<{ code: string; protocol?: string; buckets: number[] }>): string {
  const bounds = ["0.1", "0.3", "1.2", "5", "+Inf"];
  const labels = (s: { code: string; protocol?: string }) => `code="${s.code}",method="GET",protocol="${s.protocol ?? "http"}",router="odoo@docker",service="odoo@docker"`;
  return [
    "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
    "# TYPE process_start_time_seconds gauge",
    `process_start_time_seconds ${startTime}`,
    "# HELP traefik_router_request_duration_seconds How long it took to process the request on a router, partitioned by service, status code, protocol, and method.",
    "# TYPE traefik_router_request_duration_seconds histogram",
    ...series.flatMap((s) => [
      ...s.buckets.map((n, i) => `traefik_router_request_duration_seconds_bucket{${labels(s)},le="${bounds[i]}"} ${n}`),
      `traefik_router_request_duration_seconds_sum{${labels(s)}} 1.5`,
      `traefik_router_request_duration_seconds_count{${labels(s)}} ${s.buckets.at(-1)}`,
    ]),
    "# HELP traefik_router_requests_total How many HTTP requests are processed on a router, partitioned by service, status code, protocol, and method.",
    "# TYPE traefik_router_requests_total counter",
    ...series.map((s) => `traefik_router_requests_total{${labels(s)}} ${s.buckets.at(-1)}`),
  ].join("\n");
}

const scrape = (at: number, text: string): TraefikScrape => parseTraefikMetrics(text, later(at));
const odoo = (readings: Reading[], sli: string) => readingOf(readings, sli, "odoo@docker", "odoo@docker");

describe("counter resets count the current value as the increase (as Prometheus's rate), never a negative rate", () => {
  test("a counter that went down restarted from 0: 1000 then 30 is 30 requests, 0.5/s", () => {
    const before = scrape(0, exposition(1e9, [{ code: "200", buckets: [600, 900, 1000, 1000, 1000] }]));
    const after = scrape(60, exposition(1e9, [{ code: "200", buckets: [30, 30, 30, 30, 30] }]));
    const readings = ingressReadings(before, after);
    assert.equal(odoo(readings, RATE), 0.5);
    // The histogram reset with it: all 30 under 0.1 s, so p50 = 0.1 * 15/30 = 0.05, not a difference of lifetimes.
    assert.equal(odoo(readings, P50), 0.05);
  });

  test("a restart the counters hide (they grew past their old value) shows in process_start_time_seconds", () => {
    const before = scrape(0, exposition(1e9, [{ code: "200", buckets: [10, 10, 10, 10, 10] }]));
    const after = scrape(60, exposition(1e9 + 30, [{ code: "200", buckets: [40, 40, 40, 40, 40] }]));
    // 40 requests since the restart, not 40 - 10: 40/60 per second.
    assert.equal(odoo(ingressReadings(before, after), RATE), 40 / 60);
  });

  test("each series resets alone: +60 on 200 and a re-created 502 series at 6 make 66 requests, 6/66 of them 5xx", () => {
    const before = scrape(0, exposition(1e9, [{ code: "200", buckets: [100, 100, 100, 100, 100] }, { code: "502", buckets: [50, 50, 50, 50, 50] }]));
    const after = scrape(60, exposition(1e9, [{ code: "200", buckets: [160, 160, 160, 160, 160] }, { code: "502", buckets: [6, 6, 6, 6, 6] }]));
    const readings = ingressReadings(before, after);
    assert.equal(odoo(readings, RATE), 66 / 60);
    assert.equal(odoo(readings, RATIO), 6 / 66);
  });
});

describe("edge cases", () => {
  test("only websocket traffic: a rate and a 5xx share, but no latency (durations are connection lifetimes)", () => {
    const ws = (n: number) => exposition(1e9, [{ code: "101", protocol: "websocket", buckets: [0, 0, 0, 0, n] }]);
    const readings = ingressReadings(scrape(0, ws(10)), scrape(60, ws(40)));
    assert.equal(odoo(readings, RATE), 0.5);
    assert.equal(odoo(readings, RATIO), 0);
    assert.equal(odoo(readings, P95), MISSING.onlyLongLived);
  });

  test("no router or service series at all (metrics off, or no traffic yet) is said once per SLI", () => {
    const empty = scrape(0, "# HELP traefik_config_reloads_total Config reloads\n# TYPE traefik_config_reloads_total counter\ntraefik_config_reloads_total 1\n");
    assert.deepEqual(ingressReadings(empty, empty), INGRESS_SLIS.map((sli) => ({ sli, labels: undefined, missing: MISSING.noSeries })));
  });

  test("every labelled histogram series keeps its own labels (the parser alone would fold them into one)", () => {
    const parsed = parseTraefikMetrics(fixture("metrics-2.txt"), T0);
    // metrics-2 has 12 router series and 9 service series, 5 buckets each.
    assert.equal(parsed.series.router.buckets.length, 12 * 5);
    assert.equal(parsed.series.service.buckets.length, 9 * 5);
    assert.equal(parsed.startTime, 1751871604.25);
  });

  test("the last line counts without a final newline", () => {
    const text = exposition(1e9, [{ code: "200", buckets: [1, 1, 1, 1, 1] }]);
    assert.ok(!text.endsWith("\n"));
    assert.equal(parseTraefikMetrics(text, T0).series.router.requests.length, 1);
  });

  test("text that is not the Prometheus format is an error, not an empty scrape", () => {
    assert.throws(() => parseTraefikMetrics('traefik_router_requests_total{code=200"} 1\n', T0), /not in the Prometheus text format/);
  });
});

describe("bucketQuantile (as PromQL histogram_quantile)", () => {
  const b = (...counts: number[]) => [0.1, 0.3, 1.2, 5, Infinity].map((le, i) => ({ le, count: counts[i]! }));
  const cases: Array<[string, number, Array<{ le: number; count: number }>, number | undefined]> = [
    ["interpolates inside the bucket holding the rank", 0.5, b(10, 30, 40, 40, 40), 0.2],
    ["the first bucket starts at 0", 0.5, b(40, 40, 40, 40, 40), 0.05],
    ["a rank exactly on a bound is that bound", 0.25, b(10, 30, 40, 40, 40), 0.1],
    ["a rank in +Inf gives the highest finite bound", 0.95, b(0, 0, 0, 90, 100), 5],
    ["unsorted buckets are sorted first", 0.5, b(10, 30, 40, 40, 40).reverse(), 0.2],
    ["a dip in the cumulative counts is evened out", 0.5, b(10, 8, 40, 40, 40), 0.3 + 0.9 * (10 / 30)],
    ["no observation is no value", 0.5, b(0, 0, 0, 0, 0), undefined],
    ["no +Inf bucket is no value", 0.5, b(10, 30, 40, 40, 40).slice(0, 4), undefined],
    ["q outside (0, 1] is no value", 1.5, b(10, 30, 40, 40, 40), undefined],
  ];
  for (const [name, q, buckets, expected] of cases) {
    test(name, () => {
      const got = bucketQuantile(q, buckets);
      if (expected === undefined) assert.equal(got, undefined);
      else assert.ok(got !== undefined && Math.abs(got - expected) < 1e-9, `expected ${expected}, got ${got}`);
    });
  }
});
