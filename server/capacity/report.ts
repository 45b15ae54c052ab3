import type { CapacityConfig } from "../config/capacity-schema.ts";
import { formatValue } from "../sli/format.ts";
import { daysUntil, growthPerDay, percentile, type Point } from "./trend.ts";

/** Hourly aggregates of one SLI of a tenant (its series added up), as the store gives them; `hour` in epoch ms. */
export interface HourlyRow {
  tenant: string;
  sli: string;
  hour: number;
  mean: number;
  max: number;
}

/** The newest reading of one series. */
export interface LatestValue {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  value: number | null;
}

export interface Hint {
  scope: string;
  resource: string;
  verdict: "over-provisioned" | "under-provisioned" | "running out";
  advice: string;
}

export interface TenantCapacity {
  tenant: string;
  workers: { configured: number | null; busyNow: number | null; busyRatio: number | null; busyP95Ratio: number | null };
  cron: { threads: number; dueNow: number | null; saturation: number | null };
  storage: { databaseBytes: number | null; filestoreBytes: number | null; totalBytes: number | null; growthBytesPerDay: number | null; quotaBytes: number | null; daysUntilQuota: number | null };
  shares: Record<string, number>;
  monthlyCost: { currency: string; total: number; storage: number; databaseTime: number; connections: number; workers: number };
}

export interface CapacityReport {
  at: Date;
  historyDays: number;
  tenants: TenantCapacity[];
  disk: { mount: string; freeBytes: number | null; growthBytesPerDay: number | null; daysUntilFull: number | null };
  host: { cpuP95: number | null; memoryP95: number | null; connectionsP95: number | null };
  hints: Hint[];
}

/** The SLIs whose history a report reads (trends, means, percentiles). */
export const CAPACITY_HISTORY = [
  "pg_database_size_bytes", "odoo_filestore_bytes", "pg_statement_time_per_second", "pg_connections", "odoo_busy_workers", "cron_due_jobs",
  "host_cpu_used_ratio", "host_memory_used_ratio", "pg_connections_used_ratio",
] as const;

/** The SLIs whose newest readings a report reads. */
export const CAPACITY_INPUTS = [...CAPACITY_HISTORY, "pg_tenant_share", "host_disk_free_bytes"] as const;

const HOURS_PER_MONTH = 730;
const GB = 1e9;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const round2 = (x: number) => Math.round(x * 100) / 100;
const fmtBytes = (b: number) => formatValue(b, "bytes");

/**
 * Capacity and cost of every tenant and of the shared host from the history and the newest readings. Pure: the
 * collector and the API build the same report from the same store.
 */
export function capacityReport(at: Date, tenants: readonly string[], config: CapacityConfig, hourly: readonly HourlyRow[], latest: readonly LatestValue[]): CapacityReport {
  // Grouped once by tenant and SLI: a report of 500 tenants over 7 days reads hundreds of thousands of hourly rows.
  const hourlyOf = groupBy(hourly);
  const latestOf = groupBy(latest);
  const series = (tenant: string, sli: string, pick: "mean" | "max" = "mean"): Point[] => {
    const byHour = new Map<number, number>();
    // Series with labels (connections by state) add up per hour.
    for (const r of hourlyOf.get(`${tenant}\u0000${sli}`) ?? []) byHour.set(r.hour, (byHour.get(r.hour) ?? 0) + r[pick]);
    return [...byHour].sort((a, b) => a[0] - b[0]).map(([t, value]) => ({ at: t, value }));
  };
  const valuesOf = (tenant: string, sli: string) => (latestOf.get(`${tenant}\u0000${sli}`) ?? []).filter((l) => l.value !== null);
  const now = (tenant: string, sli: string, labels?: Record<string, string>): number | null => {
    const rows = valuesOf(tenant, sli).filter((l) => !labels || Object.entries(labels).every(([k, v]) => l.labels[k] === v));
    return rows.length ? rows.reduce((s, l) => s + l.value!, 0) : null;
  };
  const mean = (pts: Point[]) => (pts.length ? pts.reduce((s, p) => s + p.value, 0) / pts.length : 0);
  const p95 = (pts: Point[]) => percentile(pts.map((p) => p.value), 0.95) ?? null;
  const hints: Hint[] = [];
  const prices = config.prices;

  const rows = tenants.map((tenant): TenantCapacity => {
    const own = config.tenants[tenant] ?? { cronThreads: 2 };
    const configured = own.workers ?? null;
    const busyNow = now(tenant, "odoo_busy_workers");
    const busyP95 = configured ? p95(series(tenant, "odoo_busy_workers", "max").map((p) => ({ ...p, value: p.value / configured }))) : null;
    const dueNow = now(tenant, "cron_due_jobs");
    const db = now(tenant, "pg_database_size_bytes");
    const files = now(tenant, "odoo_filestore_bytes");
    const total = db === null && files === null ? null : (db ?? 0) + (files ?? 0);
    const dbGrowth = growthPerDay(series(tenant, "pg_database_size_bytes"));
    const fileGrowth = growthPerDay(series(tenant, "odoo_filestore_bytes"));
    const growth = dbGrowth === undefined && fileGrowth === undefined ? undefined : (dbGrowth ?? 0) + (fileGrowth ?? 0);
    const quota = own.storageQuotaBytes ?? null;
    const untilQuota = quota !== null && total !== null ? daysUntil(quota - total, growth) ?? null : null;
    const cost = {
      currency: prices.currency,
      storage: round2(((total ?? 0) / GB) * prices.storageGbMonth),
      databaseTime: round2(mean(series(tenant, "pg_statement_time_per_second")) * HOURS_PER_MONTH * prices.databaseCpuHour),
      connections: round2(mean(series(tenant, "pg_connections")) * prices.connectionMonth),
      workers: round2((configured ?? 0) * prices.workerMonth),
    };
    const shares = Object.fromEntries(valuesOf(tenant, "pg_tenant_share").map((l) => [l.labels.resource ?? "?", l.value!]));
    if (configured && busyP95 !== null) {
      if (busyP95 >= 0.9) hints.push({ scope: tenant, resource: "odoo_workers", verdict: "under-provisioned", advice: `${pct(busyP95)} of ${configured} workers busy at p95: requests queue; add workers (or a server)` });
      else if (busyP95 < 0.25 && configured > 2) hints.push({ scope: tenant, resource: "odoo_workers", verdict: "over-provisioned", advice: `only ${pct(busyP95)} of ${configured} workers busy at p95: ${Math.max(2, Math.ceil(configured * busyP95 * 2))} would do` });
    }
    const dueP95 = p95(series(tenant, "cron_due_jobs", "max"));
    if (dueP95 !== null && dueP95 > own.cronThreads) hints.push({ scope: tenant, resource: "cron_threads", verdict: "under-provisioned", advice: `${dueP95} jobs waiting at p95 for ${own.cronThreads} cron threads: raise --max-cron-threads` });
    if (untilQuota !== null && untilQuota < 30) hints.push({ scope: tenant, resource: "storage_quota", verdict: "running out", advice: `storage quota reached in ${Math.floor(untilQuota)} days at ${fmtBytes(growth ?? 0)}/day` });
    return {
      tenant,
      workers: { configured, busyNow, busyRatio: configured && busyNow !== null ? busyNow / configured : null, busyP95Ratio: busyP95 },
      cron: { threads: own.cronThreads, dueNow, saturation: dueNow === null ? null : dueNow / own.cronThreads },
      storage: { databaseBytes: db, filestoreBytes: files, totalBytes: total, growthBytesPerDay: growth ?? null, quotaBytes: quota, daysUntilQuota: untilQuota },
      shares,
      monthlyCost: { ...cost, total: round2(cost.storage + cost.databaseTime + cost.connections + cost.workers) },
    };
  });

  const mount = config.diskMount;
  const free = now("global", "host_disk_free_bytes", { mount });
  const known = rows.filter((r) => r.storage.growthBytesPerDay !== null);
  const growth = known.length ? known.reduce((s, r) => s + r.storage.growthBytesPerDay!, 0) : undefined;
  const untilFull = free === null ? null : daysUntil(free, growth) ?? null;
  if (untilFull !== null && untilFull < 30) hints.push({ scope: "host", resource: `disk ${mount}`, verdict: "running out", advice: `disk full in ${Math.floor(untilFull)} days at ${fmtBytes(growth ?? 0)}/day: grow it or prune` });
  const host = { cpuP95: p95(series("global", "host_cpu_used_ratio", "max")), memoryP95: p95(series("global", "host_memory_used_ratio", "max")), connectionsP95: p95(series("global", "pg_connections_used_ratio", "max")) };
  for (const [resource, v] of [["cpu", host.cpuP95], ["memory", host.memoryP95]] as const) {
    if (v === null) continue;
    if (v >= 0.85) hints.push({ scope: "host", resource, verdict: "under-provisioned", advice: `${resource} ${pct(v)} at p95 over ${config.historyDays} days: a larger tier` });
    else if (v < 0.3) hints.push({ scope: "host", resource, verdict: "over-provisioned", advice: `${resource} only ${pct(v)} at p95 over ${config.historyDays} days: a smaller tier would do` });
  }
  if (host.connectionsP95 !== null && host.connectionsP95 >= 0.8) hints.push({ scope: "host", resource: "postgresql connections", verdict: "under-provisioned", advice: `${pct(host.connectionsP95)} of max_connections at p95: raise it or pool (PgBouncer)` });
  return { at, historyDays: config.historyDays, tenants: rows, disk: { mount, freeBytes: free, growthBytesPerDay: growth ?? null, daysUntilFull: untilFull }, host, hints };
}

function groupBy<T extends { tenant: string; sli: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const key = `${r.tenant}\u0000${r.sli}`;
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}
