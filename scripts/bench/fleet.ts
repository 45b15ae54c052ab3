/**
 * One node, many tenants: the compiled backend (as in the image) on a real PostgreSQL store, sampling 50, 200 and
 * 500 demo tenants (served by a separate process, so that their CPU is not the backend's), in the same run.
 * Per fleet: the backend's CPU as a share of this node normalised to the 60 s production cycle, RSS per tenant,
 * cycles missed and runs past their deadline, the alert round (time judging a cycle's runs), a /metrics scrape
 * against the time prom-client takes to render the same registry (in the backend: `logistics_metrics_*`), and
 * API latency at 200 requests a second.
 *   npm run bench:fleet [-- --tenants 50,200,500 --interval 20 --cycles 3]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort } from "../../test/support/ports.ts";
import { buildServer } from "../build-server.ts";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "50,200,500" }, interval: { type: "string", default: "20" }, cycles: { type: "string", default: "3" } } });
const INTERVAL_S = Number(values.interval);
const CYCLES = Number(values.cycles);
const CORES = cpus().length;
const TOKEN = "fleet-bench-token-0123456789";
const storeUrl = process.env.BENCH_STORE_URL;
if (!storeUrl) throw new Error("BENCH_STORE_URL unset: run it as npm run bench:fleet (which starts a PostgreSQL)");

const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ODOO_")));
const firstLine = async (p: ChildProcess) => ((await once(createInterface({ input: p.stdout! }), "line")) as [string])[0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) and RSS of a process, from /proc. */
function usage(pid: number): { cpu: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
  return { cpu: ticks / 100, rssMb: rss };
}

const metric = (text: string, name: string) => text.split("\n").filter((l) => l.startsWith(name)).reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);

/** `rate` requests a second for `seconds` against `paths`, answering the latencies' p50 and p99 (ms). */
async function load(base: string, paths: string[], rate: number, seconds: number): Promise<{ p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const t0 = performance.now();
    inFlight.push(
      fetch(base + paths[i % paths.length], { headers: { authorization: `Bearer ${TOKEN}` } })
        .then(async (r) => {
          await r.arrayBuffer();
          if (!r.ok) errors++;
          latencies.push(performance.now() - t0);
        })
        .catch(() => void errors++),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, errors };
}

async function measure(n: number, server: string): Promise<Record<string, string | number>> {
  const admin = new pg.Client({ connectionString: storeUrl });
  await admin.connect();
  const dbName = `lo_fleet_${n}_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(storeUrl!);
  url.pathname = `/${dbName}`;

  const fleet = spawn(process.execPath, ["--import", "tsx", "scripts/bench/demo-fleet.ts", String(n)], { env: clean, stdio: ["ignore", "pipe", "inherit"] });
  const odoos = JSON.parse(await firstLine(fleet)) as Array<{ url: string; db: string; user: string; password: string }>;
  const dir = mkdtempSync(join(tmpdir(), "lo-fleet-"));
  const port = await freePort();
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({
    port, apiToken: TOKEN, dataDir: dir, store: { url: url.toString() }, logLevel: "warn",
    sampling: { intervalSeconds: INTERVAL_S, timeoutSeconds: Math.min(30, INTERVAL_S - 2) },
    tenants: odoos.map((o, i) => ({ name: `t${String(i).padStart(3, "0")}`, ...o })),
  }));
  const backend = spawn(process.execPath, [server, "--config", config], { env: { ...clean, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  backend.stdout!.on("data", (d) => (log += d));
  backend.stderr!.on("data", (d) => (log += d));
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++, await sleep(500)) if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) break;
    // A first full cycle (cold caches, first reads of each tenant's window) is not the steady state.
    await sleep(INTERVAL_S * 1000 * 1.5);
    const before = usage(backend.pid!);
    const evalBefore = metric(await (await fetch(`${base}/metrics`)).text(), "logistics_alert_evaluation_seconds_total");
    const skippedBefore = (log.match(/cycles? skipped/g) ?? []).length;
    const t0 = performance.now();
    await sleep(INTERVAL_S * 1000 * CYCLES);
    const wall = (performance.now() - t0) / 1000;
    const after = usage(backend.pid!);
    const scrapeStart = performance.now();
    const exposition = await (await fetch(`${base}/metrics`)).text();
    const scrapeMs = performance.now() - scrapeStart;
    const evalSeconds = metric(exposition, "logistics_alert_evaluation_seconds_total") - evalBefore;
    const series = exposition.split("\n").filter((l) => l && !l.startsWith("#")).length;
    const timeouts = (await (await fetch(`${base}/api/v1/collectors`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { collectors?: Array<{ ok: boolean }> };
    const failing = (timeouts.collectors ?? []).filter((c) => !c.ok).length;
    const api = await load(base, Array.from({ length: 50 }, (_, i) => `/api/v1/slis/current?tenant=t${String((i * 7) % n).padStart(3, "0")}`), 200, 5);
    const alertsBody = await (await fetch(`${base}/api/v1/alerts`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const cpuPerCycle = ((after.cpu - before.cpu) / wall) * INTERVAL_S;
    return {
      tenants: n,
      "CPU % of node (60 s cycle)": Number(((cpuPerCycle / 60 / CORES) * 100).toFixed(1)),
      "CPU % at this cycle": Number((((after.cpu - before.cpu) / wall / CORES) * 100).toFixed(1)),
      "RSS MB": Math.round(after.rssMb),
      "RSS MB / tenant": Number((after.rssMb / n).toFixed(2)),
      "cycles skipped": (log.match(/cycles? skipped/g) ?? []).length - skippedBefore,
      "collectors failing": failing,
      "alert round s / cycle": Number((evalSeconds / CYCLES).toFixed(2)),
      "/metrics ms": Math.round(scrapeMs),
      "/metrics series": series,
      "/metrics MB": Number((exposition.length / 1e6).toFixed(1)),
      "slis/current p50 ms @200/s": Number(api.p50.toFixed(1)),
      "slis/current p99 ms @200/s": Number(api.p99.toFixed(1)),
      "API errors": api.errors,
      "/alerts KB": Math.round(alertsBody.length / 1000),
    };
  } finally {
    backend.kill("SIGTERM");
    await once(backend, "exit").catch(() => {});
    fleet.kill("SIGTERM");
    await once(fleet, "exit").catch(() => {});
  }
}

const server = join(process.cwd(), "node_modules", ".cache", `lo-fleet-${process.pid}`, "server.js");
await buildServer(server);
const rows = [];
for (const n of values.tenants.split(",").map(Number)) {
  const row = await measure(n, server);
  console.log(JSON.stringify(row));
  rows.push(row);
}
console.log(`\nbench:fleet, ${CORES} cores, ${INTERVAL_S} s cycles (CPU also normalised to the production 60 s cycle), ${CYCLES} measured cycles per fleet`);
console.table(rows);
const last = rows.at(-1)!;
console.log(`goals at ${last.tenants} tenants: CPU under 25% of the node (60 s cycle): ${last["CPU % of node (60 s cycle)"]}%; RSS per tenant at most 2 MB: ${last["RSS MB / tenant"]} MB; API p99 under 50 ms: ${last["slis/current p99 ms @200/s"]} ms`);
process.exit(0);
