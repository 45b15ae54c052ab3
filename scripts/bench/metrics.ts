/**
 * What one Prometheus scrape of /metrics costs the backend, against prom-client rendering the same series (every
 * family, label set and value of our exposition set on prom-client gauges, plus its default process metrics) in
 * the same run. Goal: a scrape within 1.2x of prom-client's own render. The backend samples N demo tenants
 * (simulators in a child process, so their CPU is not ours) on a PostgreSQL store, three cycles, before scraping.
 *   npm run bench:metrics [-- --tenants 50,200,500 --scrapes 7]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { get } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import pg from "pg";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { startBackend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "50,200,500" }, scrapes: { type: "string", default: "7" }, cycles: { type: "string", default: "3" } } });
const SCRAPES = Number(values.scrapes);
const CYCLES = Number(values.cycles);
const storeUrl = process.env.BENCH_STORE_URL;
if (!storeUrl) throw new Error("BENCH_STORE_URL unset: run it as npm run bench:metrics (scripts/dev/postgres.sh starts one)");

const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function fleet(n: number): Promise<{ tenants: Array<{ url: string; db: string; user: string; password: string }>; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/demo-fleet.ts", String(n)], { stdio: ["ignore", "pipe", "inherit"] });
  const [json] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return {
    tenants: JSON.parse(json),
    stop: async () => {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** The baseline: a prom-client registry holding exactly the series of `text`, rendered by prom-client. */
function promClientOf(text: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const family of parsePrometheusTextFormat(text)) {
    if (family.type !== "GAUGE" || !family.name.startsWith("logistics_")) continue;
    const labelNames = [...new Set(family.metrics.flatMap((m) => Object.keys(m.labels ?? {})))];
    const gauge = new Gauge({ name: family.name, help: family.help, labelNames, registers: [registry] });
    for (const m of family.metrics) gauge.set(m.labels ?? {}, Number(m.value));
  }
  return registry;
}

/** A fresh database per fleet size on the bench server: no state (leases, ledgers, alerts) from the previous size. */
async function freshStore(n: number): Promise<string> {
  const admin = new pg.Client({ connectionString: storeUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS bench_metrics_${n}`);
  await admin.query(`CREATE DATABASE bench_metrics_${n}`);
  await admin.end();
  const url = new URL(storeUrl!);
  url.pathname = `/bench_metrics_${n}`;
  return url.toString();
}

/** One scrape whose body is counted, not decoded: the client's share of this process' CPU stays small. */
function scrape(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve(bytes));
      res.on("error", reject);
    }).on("error", reject);
  });
}

async function measure(n: number): Promise<string> {
  const store = await freshStore(n);
  const demo = await fleet(n);
  const dir = mkdtempSync(join(tmpdir(), "lo-bench-metrics-"));
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify({
    port: 0, apiToken: "bench-metrics-token-0123456789", dataDir: dir, store: { url: store },
    tenants: demo.tenants.map((t, i) => ({ name: `t${String(i).padStart(3, "0")}`, ...t })),
  }));
  const backend = await startBackend(loadConfig({}, file), silentLogger(), { schedule: false });
  try {
    for (let c = 0; c < CYCLES; c++) {
      const queue = [...backend.collectorsAll];
      await Promise.all(Array.from({ length: 16 }, async () => {
        for (let col = queue.shift(); col; col = queue.shift()) await backend.runner.run(col);
      }));
    }
    const url = `http://127.0.0.1:${backend.port}/metrics`;
    const ours: number[] = [];
    for (let i = 0; i < SCRAPES; i++) {
      // The server reuses one exposition for a second: each measured scrape is a fresh one.
      await new Promise((r) => setTimeout(r, 1100));
      const t0 = process.cpuUsage();
      await scrape(url);
      ours.push(cpuMs(t0));
    }
    const text = await (await fetch(url)).text();
    const registry = promClientOf(text);
    await registry.metrics();
    const theirs: number[] = [];
    let rendered = "";
    for (let i = 0; i < SCRAPES; i++) {
      const t0 = process.cpuUsage();
      rendered = await registry.metrics();
      theirs.push(cpuMs(t0));
    }
    const series = text.split("\n").filter((l) => l && !l.startsWith("#")).length;
    const same = rendered.split("\n").filter((l) => l && !l.startsWith("#")).length;
    const o = median(ours);
    const p = median(theirs);
    return `| ${n} | ${series} (prom-client ${same}) | ${(text.length / 1e6).toFixed(1)} MB | ${o.toFixed(1)} | ${p.toFixed(1)} | ${(o / p).toFixed(2)}x |`;
  } finally {
    await backend.stop();
    await demo.stop();
  }
}

const rows: string[] = [];
for (const n of values.tenants.split(",").map(Number)) {
  rows.push(await measure(n));
  console.error(`# ${n} tenants measured`);
}
console.log(`/metrics scrape CPU against prom-client rendering the same series, same run; median of ${SCRAPES} scrapes after ${CYCLES} sampling cycles (goal: within 1.2x)`);
console.log("| demo tenants | series | exposition | ours, CPU ms per scrape (HTTP served and read) | prom-client render, CPU ms | ratio |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
