import type { Sources } from "../config/load.ts";
import type { Reading } from "../sli/sample.ts";
import type { CollectContext, Collector } from "./collector.ts";
import { ingressReadings, INGRESS_SLIS, parseTraefikMetrics, type TraefikScrape } from "./traefik-metrics.ts";

/** `sources.traefik` of the config: the /metrics URL (it may carry user:password for basic auth) and a timeout. */
export type TraefikSource = NonNullable<Sources["traefik"]>;

/**
 * Ingress signals from Traefik v3's Prometheus endpoint: request rate, 5xx share and latency p50/p95 per router and
 * per service. Rates need two scrapes, so the collector keeps the last good one; a failed scrape keeps it too, and
 * the next success averages over the longer interval rather than inventing the missed one.
 */
export class TraefikCollector implements Collector {
  readonly tenant = "global";
  readonly source = "traefik";
  readonly slis = INGRESS_SLIS;
  readonly #url: string;
  readonly #origin: string;
  readonly #authorization: string | undefined;
  #previous: TraefikScrape | undefined;

  constructor(
    private readonly config: TraefikSource,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    const url = new URL(config.url);
    // fetch() refuses a URL with credentials and quotes the whole URL, password included, in its error: the
    // credentials travel as a basic auth header instead, and only the origin (which has none) is ever named.
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      this.#authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      url.username = "";
      url.password = "";
    }
    this.#url = url.toString();
    this.#origin = url.origin;
  }

  async collect({ now, signal }: CollectContext): Promise<Reading[]> {
    const text = await this.scrape(signal);
    let current: TraefikScrape;
    try {
      current = parseTraefikMetrics(text, now);
    } catch (err) {
      throw new Error(`Traefik metrics at ${this.#origin}: ${(err as Error).message}`);
    }
    const readings = ingressReadings(this.#previous, current);
    this.#previous = current;
    return readings;
  }

  private async scrape(runSignal: AbortSignal): Promise<string> {
    const where = `Traefik metrics at ${this.#origin}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.#url, {
        headers: { accept: "text/plain;version=0.0.4", ...(this.#authorization ? { authorization: this.#authorization } : {}) },
        // A redirect could carry the credentials elsewhere, and the configured URL is the one the operator vouched for.
        redirect: "error",
        signal: AbortSignal.any([runSignal, AbortSignal.timeout(this.config.timeoutMs)]),
      });
    } catch (err) {
      throw new Error(`${where}: ${fetchFailure(err, this.config.timeoutMs)}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      const hint = response.status === 401 || response.status === 403 ? " (check the credentials in sources.traefik.url)" : "";
      throw new Error(`${where}: HTTP ${response.status}${hint}`);
    }
    try {
      return await response.text();
    } catch (err) {
      throw new Error(`${where}: ${fetchFailure(err, this.config.timeoutMs)}`);
    }
  }
}

/** Names the cause of a failed fetch from what undici reports, without quoting a URL. */
function fetchFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  if (e?.name === "AbortError") return "aborted: the run's deadline passed";
  if (e?.cause?.message === "unexpected redirect") {
    return "answered with a redirect, and redirects are not followed: set sources.traefik.url to the final /metrics URL";
  }
  if (e?.cause?.code) return `cannot connect (${e.cause.code})`;
  return `cannot fetch (${e?.cause?.message ?? e?.name ?? "unknown error"})`;
}
