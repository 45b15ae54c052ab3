/**
 * What the SLO and burn-rate evaluation costs per cycle, against the baseline of computing the same windows from
 * the stored samples (one SQL per tenant per cycle, as a Prometheus rule over raw samples would), on one
 * PostgreSQL store in the same run. Both see 3 days of one-a-minute readings of every business SLI.
 *   npm run bench:slo [-- --tenants 10 --cycles 5]
 * Goal: ours at least 10x cheaper in wall time per cycle, and a bounded, stated memory per series.
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { SloTracker } from "../../server/slo/tracker.ts";
import { BURN_WINDOWS, windowLabel } from "../../server/detect/burn-rate.ts";
import { alertingOf, BUSINESS_SLIS, sliDefinition } from "../../server/sli/catalog.ts";
import { Objectives } from "../../server/sli/objectives.ts";
import type { Sample } from "../../server/sli/sample.ts";
import { openStore } from "../../server/store/open.ts";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "10" }, cycles: { type: "string", default: "5" } } });
const TENANTS = Number(values.tenants);
const CYCLES = Number(values.cycles);
const MINUTES = 3 * 24 * 60;
const url = process.env.BENCH_STORE_URL ?? execFileSync("scripts/dev/postgres.sh", ["start"], { encoding: "utf8" }).trim();

const slis = BUSINESS_SLIS.filter((d) => alertingOf(sliDefinition(d.id)!) === "slo" && d.labels.length === 0);
const store = await openStore({ url });
const db = (store as unknown as { db: { query: (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>> } }).db;
await db.query("TRUNCATE lo.samples, lo.latest, lo.slo_buckets");
const now = Math.floor(Date.now() / 60_000) * 60_000;
const start = new Date(now - MINUTES * 60_000);
const objectives = Object.fromEntries(slis.map((d) => [d.id, d.target]));

// The same readings both ways: raw samples for the baseline, minute and hour rollups for ours. A reading is bad
// one minute in 40 (2.5%: a 2.5x burn on a 99% SLO).
const valuesSql = slis.map((d) => `('${d.id}', ${d.target}, '${d.better}')`).join(",");
for (let t = 0; t < TENANTS; t++) {
  await db.query(
    `INSERT INTO lo.samples (tenant, source, sli, labels, at, value, missing)
     SELECT $1, 'odoo_business', s.id, '{}', $2::timestamptz + m * interval '1 minute',
            CASE WHEN m % 40 = 0 THEN (CASE WHEN s.better = 'lower' THEN s.target * 2 + 1 ELSE s.target / 2 END) ELSE (CASE WHEN s.better = 'lower' THEN s.target / 2 ELSE s.target END) END, NULL
     FROM (VALUES ${valuesSql}) AS s(id, target, better), generate_series(0, ${MINUTES - 1}) AS m`,
    [`t${t}`, start],
  );
}
for (const [resolution, unit] of [["minute", "minute"], ["hour", "hour"]]) {
  await db.query(
    `INSERT INTO lo.slo_buckets (tenant, sli, labels_key, labels, resolution, at, known, bad, value_sum)
     SELECT tenant, sli, '', '{}', '${resolution}', date_trunc('${unit}', at), count(*),
            count(*) FILTER (WHERE CASE WHEN s.better = 'lower' THEN value > s.target ELSE value < s.target END), sum(value)
     FROM lo.samples JOIN (VALUES ${valuesSql}) AS s(id, target, better) ON s.id = sli GROUP BY 1, 2, 6`,
  );
}
await db.query("ANALYZE lo.samples; ANALYZE lo.slo_buckets");

/** The baseline: every window of every SLO of a tenant from its raw samples, one statement. */
const windowCols = [...BURN_WINDOWS, 28 * 86_400]
  .map((w) => `count(*) FILTER (WHERE at > $2::timestamptz - interval '${w} seconds') AS k${w}, count(*) FILTER (WHERE at > $2::timestamptz - interval '${w} seconds' AND bad) AS b${w}`)
  .join(", ");
const baselineSql = `SELECT sli, ${windowCols} FROM (
    SELECT sli, at, CASE WHEN s.better = 'lower' THEN value > s.target ELSE value < s.target END AS bad
    FROM lo.samples JOIN (VALUES ${valuesSql}) AS s(id, target, better) ON s.id = sli
    WHERE tenant = $1 AND at > $2::timestamptz - interval '28 days' AND value IS NOT NULL) x GROUP BY sli`;

globalThis.gc?.();
const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const before = memory();
const tracker = new SloTracker(store.slo, new Objectives(objectives, { target: 0.99, windowDays: 28, slis: {} }), { calendar: [], offsetMinutes: () => 0 });
const restoreStarted = performance.now();
const buckets = await tracker.restore(new Date(now));
const restoreMs = performance.now() - restoreStarted;
globalThis.gc?.();
const bytesPerSeries = (memory() - before) / (TENANTS * slis.length);

async function timed(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

const results = { ours: { wall: 0, cpu: 0 }, baseline: { wall: 0, cpu: 0 } };
let check = "";
for (let c = 1; c <= CYCLES; c++) {
  const at = new Date(now + c * 60_000);
  for (let t = 0; t < TENANTS; t++) {
    const tenant = `t${t}`;
    const samples: Sample[] = slis.map((d) => ({ tenant, source: "odoo_business", sli: d.id, labels: {}, at, value: d.better === "lower" ? d.target / 2 : d.target, missing: null }));
    const ours = await timed(async () => {
      await tracker.observe(samples);
      tracker.all(at.getTime(), tenant);
    });
    const base = await timed(async () => {
      await store.recordRun(tenant, "odoo_business", samples);
      await db.query(baselineSql, [tenant, at]);
    });
    for (const k of ["wall", "cpu"] as const) {
      results.ours[k] += ours[k];
      results.baseline[k] += base[k];
    }
    if (c === CYCLES && t === 0) {
      const row = (await db.query(baselineSql, [tenant, at])).find((r) => r.sli === "late_open_deliveries")!;
      const mine = tracker.status(tenant, "late_open_deliveries", {}, at.getTime())!;
      check = BURN_WINDOWS.map((w) => `${windowLabel(w)} ${(Number(row[`b${w}`]) / Number(row[`k${w}`]) / 0.01).toFixed(3)}/${mine.burnRates[windowLabel(w)]!.toFixed(3)}`).join(", ");
    }
  }
}
const per = (x: number) => x / (CYCLES * TENANTS);
console.log(`SLO evaluation, ${TENANTS} tenants x ${slis.length} SLOs, 3 days of one-a-minute readings, ${CYCLES} cycles, PostgreSQL store`);
console.log("| variant | wall ms per tenant-cycle | CPU ms (this process) |");
console.log("|---|---|---|");
console.log(`| ledgers (ours: observe + every window + verdict) | ${per(results.ours.wall).toFixed(2)} | ${per(results.ours.cpu).toFixed(2)} |`);
console.log(`| baseline: windows from raw samples (one SQL) | ${per(results.baseline.wall).toFixed(2)} | ${per(results.baseline.cpu).toFixed(2)} |`);
console.log(`ratio baseline/ours, wall: ${(results.baseline.wall / results.ours.wall).toFixed(1)}x`);
console.log(`restore at start-up: ${buckets} buckets in ${restoreMs.toFixed(0)} ms; heap + array buffers per series ${(bytesPerSeries / 1024).toFixed(0)} KiB (typed rings: 3 days of minutes + 90 days of hours)`);
console.log(`same burn rates both ways (baseline/ours), late_open_deliveries: ${check}`);
await store.close();
