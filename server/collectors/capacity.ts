import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { capacityReport, CAPACITY_HISTORY, CAPACITY_INPUTS, type CapacityReport, type HourlyRow } from "../capacity/report.ts";
import type { CapacityConfig } from "../config/capacity-schema.ts";
import { reading, type Reading } from "../sli/sample.ts";
import type { Store } from "../store/store.ts";
import type { CollectContext, Collector } from "./collector.ts";

const run = promisify(execFile);
/** Trends change by the hour: the history is read again after this long, the newest readings every cycle. */
const HISTORY_TTL_MS = 15 * 60_000;
/** du walks every file of a filestore: once an hour is enough for a size that grows by the day. */
const FILESTORE_TTL_MS = 60 * 60_000;

export interface CapacityCollectorOptions {
  historyTtlMs?: number;
  filestoreTtlMs?: number;
}

/** A filestore's size on disk in bytes, by du (it stops at the deadline). */
export async function filestoreBytes(path: string, signal: AbortSignal): Promise<number> {
  const { stdout } = await run("du", ["-s", "-B1", path], { signal, timeout: 120_000 });
  const bytes = Number(stdout.split(/\s/)[0]);
  if (!Number.isFinite(bytes)) throw new Error(`du ${path}: unexpected output`);
  return bytes;
}

/**
 * Capacity and cost of every tenant: Odoo worker and cron thread utilisation against what was configured, storage
 * (database and filestore) with its growth and the days until the quota or the disk is full, and a monthly cost
 * estimate. Reads the other collectors' readings from the store; measures only the filestores itself.
 */
export class CapacityCollector implements Collector {
  readonly tenant = "global";
  readonly source = "capacity";
  readonly slis = ["odoo_filestore_bytes", "odoo_workers_busy_ratio", "cron_threads_saturation_ratio", "tenant_storage_bytes", "tenant_storage_growth_bytes_per_day",
    "tenant_storage_days_until_quota", "storage_days_until_full", "tenant_monthly_cost"];
  #history: { at: number; rows: HourlyRow[] } | undefined;
  readonly #filestores = new Map<string, { at: number; bytes: number } | { at: number; error: string }>();
  #last: CapacityReport | undefined;

  constructor(
    private readonly config: CapacityConfig,
    private readonly tenants: readonly string[],
    private readonly store: Store,
    private readonly options: CapacityCollectorOptions = {},
  ) {}

  /** The report of the last run, for the API. */
  get lastReport(): CapacityReport | undefined {
    return this.#last;
  }

  async collect({ now, signal }: CollectContext): Promise<Reading[]> {
    const out: Reading[] = await this.measureFilestores(now, signal);
    const report = await this.report(now);
    this.#last = report;
    const { currency: _currency, ...prices } = this.config.prices;
    const priced = Object.values(prices).some((p) => p > 0);
    for (const t of report.tenants) {
      const own = (sli: string, value: number | null, why: string) => ({ ...reading(sli, value ?? undefined, why), tenant: t.tenant });
      out.push(
        own("odoo_workers_busy_ratio", t.workers.busyRatio, t.workers.configured ? "no PostgreSQL sessions of Odoo workers read (sources.postgres)" : `capacity.tenants.${t.tenant}.workers is not set`),
        own("cron_threads_saturation_ratio", t.cron.saturation, "no scheduled-job reading yet"),
        own("tenant_storage_bytes", t.storage.totalBytes, "no database size read (sources.postgres)"),
        own("tenant_storage_growth_bytes_per_day", t.storage.growthBytesPerDay, "growth needs over an hour of database sizes"),
        own("tenant_storage_days_until_quota", t.storage.daysUntilQuota, t.storage.quotaBytes === null ? `capacity.tenants.${t.tenant}.storageQuotaBytes is not set` : "growth needs over an hour of database sizes"),
        own("tenant_monthly_cost", priced ? t.monthlyCost.total : null, "no unit prices configured (capacity.prices)"),
      );
    }
    out.push(reading("storage_days_until_full", report.disk.daysUntilFull ?? undefined, report.disk.freeBytes === null ? `no free space read for ${report.disk.mount} (sources.host.mounts)` : "growth needs over an hour of database sizes", { mount: report.disk.mount }));
    return out;
  }

  /** Today's report from the store: the history (cached) and the newest readings. */
  async report(now: Date): Promise<CapacityReport> {
    const ttl = this.options.historyTtlMs ?? HISTORY_TTL_MS;
    if (!this.#history || now.getTime() - this.#history.at >= ttl) {
      this.#history = { at: now.getTime(), rows: await this.store.hourly([...this.tenants, "global"], CAPACITY_HISTORY, new Date(now.getTime() - this.config.historyDays * 86_400_000)) };
    }
    const inputs = new Set<string>(CAPACITY_INPUTS);
    const latest = (await this.store.latest()).filter((s) => inputs.has(s.sli));
    return capacityReport(now, this.tenants, this.config, this.#history.rows, latest);
  }

  private async measureFilestores(now: Date, signal: AbortSignal): Promise<Reading[]> {
    const out: Reading[] = [];
    for (const [tenant, own] of Object.entries(this.config.tenants)) {
      if (!own.filestorePath) continue;
      let known = this.#filestores.get(tenant);
      if (!known || now.getTime() - known.at >= (this.options.filestoreTtlMs ?? FILESTORE_TTL_MS)) {
        known = await filestoreBytes(own.filestorePath, signal).then(
          (bytes) => ({ at: now.getTime(), bytes }),
          (err: unknown) => ({ at: now.getTime(), error: `filestore ${own.filestorePath}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}` }),
        );
        this.#filestores.set(tenant, known);
      }
      out.push({ ...("bytes" in known ? { sli: "odoo_filestore_bytes", value: known.bytes } : { sli: "odoo_filestore_bytes", missing: known.error }), tenant });
    }
    return out;
  }
}
