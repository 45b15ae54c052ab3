import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { TraefikCollector } from "../../server/collectors/traefik.ts";
import { MISSING, WHOLE_SERVICE } from "../../server/collectors/traefik-metrics.ts";
import type { Reading } from "../../server/sli/sample.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/traefik/${name}`, import.meta.url), "utf8");
const T0 = new Date("2026-11-29T12:00:00Z");
const run = (signal: AbortSignal = new AbortController().signal, now: Date = T0) => ({ now, signal });

function valueOf(readings: Reading[], sli: string, router: string, service: string): number | string | undefined {
  const r = readings.find((x) => x.sli === sli && x.labels?.router === router && x.labels?.service === service);
  return r?.value ?? r?.missing;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * A stand-in for Traefik's metrics entry point: /metrics answers metrics-1 then metrics-2 (as Traefik would 60 s
 * apart), /moved redirects, /private wants basic auth, /slow never answers.
 */
describe("TraefikCollector against a local HTTP server", () => {
  const scrapes = [fixture("metrics-1.txt"), fixture("metrics-2.txt")];
  const hits = { metrics: 0, followed: 0 };
  let server: Server;
  let origin: string;

  before(async () => {
    server = createServer((req, res) => {
      const metrics = (body: string) => {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
        res.end(body);
      };
      if (req.url === "/metrics") return metrics(scrapes[Math.min(hits.metrics++, 1)]!);
      if (req.url === "/moved") return void res.writeHead(302, { location: "/followed" }).end();
      if (req.url === "/followed") {
        hits.followed++;
        return metrics(scrapes[0]!);
      }
      if (req.url === "/private") {
        const expected = `Basic ${Buffer.from("scraper:s3cret/+").toString("base64")}`;
        return req.headers.authorization === expected ? metrics(scrapes[0]!) : void res.writeHead(401).end();
      }
      if (req.url === "/slow") return; // holds the request open until the server closes
      res.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test("two runs with a clock 60 s apart give the rates of the interval", async () => {
    const collector = new TraefikCollector({ url: `${origin}/metrics`, timeoutMs: 2000 });
    assert.deepEqual([collector.tenant, collector.source], ["global", "traefik"]);

    const first = await collector.collect(run(undefined, T0));
    assert.equal(first.length, 24, "4 SLIs for 4 routers and 2 services");
    assert.ok(first.every((r) => r.missing === MISSING.firstScrape));

    const second = await collector.collect(run(undefined, new Date(T0.getTime() + 60_000)));
    assert.equal(hits.metrics, 2);
    // Same numbers as the unit test (hand computation there): odoo@docker router 4500 requests in 60 s, its
    // service 3600 (the router's 403s never reach it), 5xx 180 of them.
    assert.equal(valueOf(second, "ingress_requests_per_second", "odoo@docker", "odoo@docker"), 75);
    assert.equal(valueOf(second, "ingress_5xx_ratio", "odoo@docker", "odoo@docker"), 0.04);
    assert.equal(valueOf(second, "ingress_requests_per_second", WHOLE_SERVICE, "odoo@docker"), 60);
    assert.equal(valueOf(second, "ingress_5xx_ratio", WHOLE_SERVICE, "odoo@docker"), 0.05);
    assert.equal(valueOf(second, "ingress_latency_p50_seconds", WHOLE_SERVICE, "odoo@docker"), 0.2);
    assert.ok(Math.abs((valueOf(second, "ingress_latency_p95_seconds", WHOLE_SERVICE, "odoo@docker") as number) - 1.15) < 1e-9);
    assert.equal(valueOf(second, "ingress_requests_per_second", "odoo-longpolling@docker", "odoo-websocket@docker"), 5);
    assert.equal(valueOf(second, "ingress_requests_per_second", "api@internal", "api@internal"), 0);
    assert.equal(valueOf(second, "ingress_latency_p95_seconds", "api@internal", "api@internal"), MISSING.noRequests);
  });

  test("a redirect is an error saying redirects are not followed, and the target is never asked", async () => {
    const collector = new TraefikCollector({ url: `${origin}/moved`, timeoutMs: 2000 });
    await assert.rejects(collector.collect(run()), (err: Error) => {
      assert.match(err.message, new RegExp(`^Traefik metrics at ${origin}: answered with a redirect, and redirects are not followed`));
      return true;
    });
    assert.equal(hits.followed, 0);
  });

  test("an unreachable URL names its origin and the cause", async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const collector = new TraefikCollector({ url: `${unreachable}/metrics`, timeoutMs: 2000 });
    await assert.rejects(collector.collect(run()), { message: `Traefik metrics at ${unreachable}: cannot connect (ECONNREFUSED)` });
  });

  test("no answer within the timeout is said as such", async () => {
    const collector = new TraefikCollector({ url: `${origin}/slow`, timeoutMs: 200 });
    await assert.rejects(collector.collect(run()), { message: `Traefik metrics at ${origin}: no answer within 200 ms` });
  });

  test("the run's deadline aborts the scrape", async () => {
    const collector = new TraefikCollector({ url: `${origin}/slow`, timeoutMs: 5000 });
    await assert.rejects(collector.collect(run(AbortSignal.abort())), { message: `Traefik metrics at ${origin}: aborted: the run's deadline passed` });
  });

  test("credentials in the URL go as basic auth and never appear in an error", async () => {
    const good = new TraefikCollector({ url: `${origin.replace("//", "//scraper:s3cret%2F%2B@")}/private`, timeoutMs: 2000 });
    assert.equal((await good.collect(run())).length, 24);
    const bad = new TraefikCollector({ url: `${origin.replace("//", "//scraper:wrong-secret@")}/private`, timeoutMs: 2000 });
    await assert.rejects(bad.collect(run()), (err: Error) => {
      assert.equal(err.message, `Traefik metrics at ${origin}: HTTP 401 (check the credentials in sources.traefik.url)`);
      assert.doesNotMatch(err.message, /wrong-secret|scraper/);
      return true;
    });
  });
});
