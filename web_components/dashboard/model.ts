import { tiles, type SliView } from "./format.ts";

/** Gets JSON from Odoo's controller (which forwards to the backend); throws with the user-facing message. */
export type FetchJson = (path: string, params?: Record<string, string>) => Promise<unknown>;

export interface Point {
  at: string;
  value: number | null;
}

export const RANGES = { "6h": 6, "24h": 24, "7d": 24 * 7 } as const;
export type Range = keyof typeof RANGES;

const LAST_DATA_KEY = "logistics_observability.last_data_at";

/**
 * The dashboard's data, loaded in a plain class so that the component only renders: current SLIs from the
 * backend, one series for the trend chart, and whether the backend answered (with the time of the last data).
 */
export class DashboardModel {
  tiles: ReturnType<typeof tiles> = [];
  series: Point[] = [];
  selectedSli = "late_open_deliveries";
  range: Range = "24h";
  error: string | null = null;
  lastDataAt: string | null;
  /** SLI ids in the backend's catalogue order, asked once. */
  catalogue: string[] | undefined;

  constructor(
    private readonly fetchJson: FetchJson,
    private readonly storage: Pick<Storage, "getItem" | "setItem"> | undefined = globalThis.localStorage,
  ) {
    this.lastDataAt = storage?.getItem(LAST_DATA_KEY) ?? null;
  }

  async load(): Promise<void> {
    try {
      const current = (await this.fetchJson("slis/current")) as { slis: SliView[] };
      this.catalogue ??= ((await this.fetchJson("catalog")) as { slis: Array<{ id: string }> }).slis.map((d) => d.id);
      this.tiles = tiles(current.slis.filter((s) => isBusiness(s.sli)), this.catalogue);
      this.error = null;
      const newest = current.slis.map((s) => s.at).sort().at(-1);
      if (newest) {
        this.lastDataAt = newest;
        this.storage?.setItem(LAST_DATA_KEY, newest);
      }
      await this.loadSeries();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  async loadSeries(): Promise<void> {
    const tile = this.tiles.find((t) => t.sli === this.selectedSli) ?? this.tiles[0];
    if (!tile) return;
    this.selectedSli = tile.sli;
    const from = new Date(Date.now() - RANGES[this.range] * 3_600_000).toISOString();
    const body = (await this.fetchJson("slis", { tenant: tile.tenant, sli: tile.sli, from })) as { points: Array<Point & { labels: Record<string, string> }> };
    this.series = body.points.map(({ at, value }) => ({ at, value }));
  }
}

const INFRA_PREFIXES = ["pg_", "redis_", "host_", "ingress_", "tls_", "backup_", "restore_", "wal_"];

/** Business SLIs are what the logistics manager sees; infrastructure signals stay in the backend's views. */
export function isBusiness(sli: string): boolean {
  return !INFRA_PREFIXES.some((p) => sli.startsWith(p));
}
