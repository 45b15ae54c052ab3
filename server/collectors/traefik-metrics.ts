import parsePrometheusTextFormat, { type PrometheusSample } from "parse-prometheus-text-format";
import { reading, type Reading } from "../sli/sample.ts";

/** The ingress SLIs (server/sli/infra-catalog.ts) computed from Traefik's metrics, all labelled {router, service}. */
export const INGRESS_SLIS = ["ingress_requests_per_second", "ingress_5xx_ratio", "ingress_latency_p50_seconds", "ingress_latency_p95_seconds"] as const;

/** Router label of the readings that cover a whole service, whichever routers sent it the traffic. */
export const WHOLE_SERVICE = "";

/** Why a reading is missing. Exported so that callers and tests match on meaning, not on a copied string. */
export const MISSING = {
  firstScrape: "rate needs two samples",
  noRequests: "no requests in the interval",
  onlyLongLived: "only websocket or SSE requests in the interval: Traefik times them for the whole connection, which is no latency",
  noHistogram: "no request duration histogram for it in Traefik's metrics",
  noSeries: "Traefik's metrics have no router or service request counters: no traffic since it started, or metrics.prometheus.addRoutersLabels / addServicesLabels is off",
} as const;

/** Traefik v3 metric names (pkg/observability/metrics/prometheus.go). Entry point series are not read: they name no service. */
const FAMILIES = {
  router: { requests: "traefik_router_requests_total", buckets: "traefik_router_request_duration_seconds_bucket" },
  service: { requests: "traefik_service_requests_total", buckets: "traefik_service_request_duration_seconds_bucket" },
} as const;
type Level = keyof typeof FAMILIES;
const LEVELS = Object.keys(FAMILIES) as Level[];

/**
 * Traefik's `protocol` label values whose duration runs until the client goes away: an Odoo websocket open for an
 * hour would put every p95 in the +Inf bucket. They count as requests (and as 5xx when the upgrade fails) but not
 * in the latency.
 */
const LONG_LIVED = new Set(["websocket", "sse"]);

interface Series {
  labels: Record<string, string>;
  value: number;
}

/** What one scrape of Traefik's /metrics holds that the ingress SLIs need. */
export interface TraefikScrape {
  at: Date;
  /** process_start_time_seconds: when it changes Traefik restarted, and every counter began again at 0. */
  startTime: number | undefined;
  series: Record<Level, { requests: Series[]; buckets: Series[] }>;
}

/** Reads a Traefik v3 /metrics text taken at `at`. Throws when the text is not in the Prometheus text format. */
export function parseTraefikMetrics(text: string, at: Date): TraefikScrape {
  // parse-prometheus-text-format 1.1.1 folds all the series of a labelled histogram into one keyed by `le` alone
  // and drops labelled _sum/_count (upstream issue #13; the fix, PR #8, was never merged): hidden as untyped, each
  // _bucket line stays a sample with its own labels. It also drops the last sample unless the text ends with "\n".
  const visible = `${text.replace(/^# TYPE (\S+) histogram[ \t]*$/gm, "# TYPE $1 untyped")}\n`;
  let families;
  try {
    families = parsePrometheusTextFormat(visible);
  } catch (err) {
    throw new Error(`not in the Prometheus text format: ${(err as Error).message.slice(0, 200)}`);
  }
  // A family name repeats: untyped, `x_bucket` lines of each series are interrupted by its `x_sum` and `x_count`.
  const byName = new Map<string, PrometheusSample[]>();
  for (const f of families) {
    const list = byName.get(f.name);
    if (list) for (const m of f.metrics) list.push(m);
    else byName.set(f.name, [...f.metrics]);
  }
  const samples = (name: string): Series[] =>
    (byName.get(name) ?? []).flatMap((m) => {
      const value = toNumber(m.value);
      return m.labels && value !== undefined ? [{ labels: m.labels, value }] : [];
    });
  const level = (l: Level) => ({ requests: samples(FAMILIES[l].requests), buckets: samples(FAMILIES[l].buckets) });
  return {
    at,
    startTime: toNumber(byName.get("process_start_time_seconds")?.[0]?.value),
    series: { router: level("router"), service: level("service") },
  };
}

/**
 * The ingress readings over the interval between two scrapes: for each router ({router, service}) and each service
 * ({router: WHOLE_SERVICE, service}) in the current scrape, the request rate, the share of 5xx answers and the
 * latency p50/p95. Without a previous scrape every reading is missing: a rate needs two samples.
 *
 * Counter resets are counted as Prometheus's rate() counts them: a counter (or any bucket of a histogram) lower
 * than before, or any counter after process_start_time_seconds changed, restarted from 0, so its current value is
 * the increase. A series absent from the previous scrape is new since then (Traefik creates one on its first
 * request), so all of its value counts too: the first burst of 502s of an interval is not lost.
 */
export function ingressReadings(previous: TraefikScrape | undefined, current: TraefikScrape): Reading[] {
  const seconds = previous ? (current.at.getTime() - previous.at.getTime()) / 1000 : 0;
  const restarted = previous?.startTime !== undefined && current.startTime !== undefined && previous.startTime !== current.startTime;
  const groups = new Map<string, Traffic>();
  for (const l of LEVELS) {
    const before = previous?.series[l];
    const now = current.series[l];
    for (const s of counterIncreases(before?.requests ?? [], now.requests, restarted)) {
      const t = traffic(groups, l, s.labels);
      t.requests += s.value;
      if (/^5\d\d$/.test(s.labels.code ?? "")) t.errors += s.value;
    }
    for (const h of histogramIncreases(before?.buckets ?? [], now.buckets, restarted)) {
      const t = traffic(groups, l, h.labels);
      if (LONG_LIVED.has(h.labels.protocol ?? "")) t.longLived += h.counts.get(Infinity) ?? 0;
      else for (const [le, n] of h.counts) t.latency.set(le, (t.latency.get(le) ?? 0) + n);
    }
  }
  if (groups.size === 0) return INGRESS_SLIS.map((sli) => reading(sli, undefined, MISSING.noSeries));
  const ordered = [...groups.values()].sort((a, b) => a.order.localeCompare(b.order));
  if (!previous || seconds <= 0) {
    return ordered.flatMap((t) => INGRESS_SLIS.map((sli) => reading(sli, undefined, MISSING.firstScrape, t.labels)));
  }
  return ordered.flatMap((t) => trafficReadings(t, seconds));
}

/**
 * The q-quantile (0 < q <= 1) of a histogram given as cumulative bucket counts, as PromQL's histogram_quantile
 * computes it: linear interpolation inside the bucket that holds the rank (the first bucket starts at 0), and the
 * highest finite bound when the rank falls in the +Inf bucket. Undefined without observations or +Inf bucket.
 */
export function bucketQuantile(q: number, buckets: readonly { le: number; count: number }[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (!(q > 0 && q <= 1) || sorted.length < 2 || sorted.at(-1)!.le !== Infinity) return undefined;
  // Summed deltas of series read at slightly different instants can dip; Prometheus evens them out the same way.
  let max = 0;
  const counts = sorted.map((b) => (max = Math.max(max, b.count)));
  const total = counts.at(-1)!;
  if (total <= 0) return undefined;
  const rank = q * total;
  const i = counts.findIndex((c, j) => j < sorted.length - 1 && c >= rank);
  if (i === -1) return sorted.at(-2)!.le;
  const end = sorted[i]!.le;
  if (i === 0 && end <= 0) return end;
  const start = i === 0 ? 0 : sorted[i - 1]!.le;
  const below = i === 0 ? 0 : counts[i - 1]!;
  return start + (end - start) * ((rank - below) / (counts[i]! - below));
}

interface Traffic {
  labels: { router: string; service: string };
  order: string;
  requests: number;
  errors: number;
  longLived: number;
  /** Increase of each latency bucket (request/response protocols only), by upper bound. */
  latency: Map<number, number>;
}

function traffic(groups: Map<string, Traffic>, level: Level, labels: Record<string, string>): Traffic {
  const router = level === "router" ? (labels.router ?? "") : WHOLE_SERVICE;
  const service = labels.service ?? "";
  // Routers first, then services; "\u0000" cannot occur in a label value, so two groups never share a key.
  const order = `${level}\u0000${router}\u0000${service}`;
  let t = groups.get(order);
  if (!t) groups.set(order, (t = { labels: { router, service }, order, requests: 0, errors: 0, longLived: 0, latency: new Map() }));
  return t;
}

function trafficReadings(t: Traffic, seconds: number): Reading[] {
  const [rate, ratio, p50, p95] = INGRESS_SLIS;
  const buckets = [...t.latency].map(([le, count]) => ({ le, count }));
  const noLatency = t.requests === 0 ? MISSING.noRequests : t.longLived > 0 ? MISSING.onlyLongLived : MISSING.noHistogram;
  return [
    // No request in a known interval is a measured 0 per second, not a missing value.
    reading(rate, t.requests / seconds, MISSING.noRequests, t.labels),
    reading(ratio, t.requests > 0 ? t.errors / t.requests : undefined, MISSING.noRequests, t.labels),
    reading(p50, bucketQuantile(0.5, buckets), noLatency, t.labels),
    reading(p95, bucketQuantile(0.95, buckets), noLatency, t.labels),
  ];
}

const seriesKey = (labels: Record<string, string>, without?: string): string =>
  JSON.stringify(Object.keys(labels).filter((k) => k !== without).sort().map((k) => [k, labels[k]]));

function counterIncreases(before: Series[], now: Series[], restarted: boolean): Series[] {
  const was = new Map(before.map((s) => [seriesKey(s.labels), s.value]));
  return now.map((s) => {
    const prev = restarted ? undefined : was.get(seriesKey(s.labels));
    return { labels: s.labels, value: prev === undefined || s.value < prev ? s.value : s.value - prev };
  });
}

interface Histogram {
  labels: Record<string, string>;
  /** Cumulative count by upper bound (Infinity for "+Inf"). */
  counts: Map<number, number>;
}

function histograms(buckets: Series[]): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const { labels, value } of buckets) {
    const le = toNumber(labels.le);
    if (le === undefined) continue;
    const key = seriesKey(labels, "le");
    let h = out.get(key);
    if (!h) out.set(key, (h = { labels: Object.fromEntries(Object.entries(labels).filter(([k]) => k !== "le")), counts: new Map() }));
    h.counts.set(le, value);
  }
  return out;
}

function histogramIncreases(before: Series[], now: Series[], restarted: boolean): Histogram[] {
  const was = histograms(before);
  return [...histograms(now)].map(([key, h]) => {
    const prev = restarted ? undefined : was.get(key);
    // The buckets of one histogram reset together: judged bucket by bucket, a reset bucket beside a grown one would
    // mix two lifetimes into one distribution.
    const reset = !prev || [...h.counts].some(([le, n]) => !prev.counts.has(le) || n < prev.counts.get(le)!);
    const counts = new Map([...h.counts].map(([le, n]) => [le, reset ? n : n - prev.counts.get(le)!]));
    return { labels: h.labels, counts };
  });
}

function toNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\+?Inf$/i.test(text) ? Infinity : /^-Inf$/i.test(text) ? -Infinity : Number(text);
  return Number.isNaN(n) || text.trim() === "" ? undefined : n;
}
