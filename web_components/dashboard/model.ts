import { budgetOf, tiles, type BandHour, type SliView, type SloView } from "./format.ts";
import type { IncidentView } from "./incidents.ts";
import { sliTitle } from "./titles.ts";

/** Gets JSON from Odoo's controller (which forwards to the backend); throws with the user-facing message. */
export type FetchJson = (path: string, params?: Record<string, string>) => Promise<unknown>;

export interface Point {
  at: string;
  value: number | null;
}

export const RANGES = { "6h": 6, "24h": 24, "7d": 24 * 7 } as const;
export type Range = keyof typeof RANGES;

/** A firing alert as /alerts gives it. */
export interface AlertView {
  fingerprint: string;
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  kind: "threshold" | "burn_rate" | "anomaly";
  severity: "page" | "ticket";
  since: string;
  silencedBy: number | null;
  inhibitedBy: string | null;
}

const LAST_DATA_KEY = "logistics_observability.last_data_at";

/**
 * The dashboard's data, loaded in a plain class so that the component only renders: current SLIs from the
 * backend, one series for the trend chart, and whether the backend answered (with the time of the last data).
 */
export class DashboardModel {
  tiles: Array<ReturnType<typeof tiles>[number] & { budget: string | null; budgetLeft: number | null }> = [];
  series: Point[] = [];
  /** The expected band of the selected SLI's hours, when it is seasonal and the detector has enough history. */
  band: BandHour[] = [];
  alerts: AlertView[] = [];
  /** Open incidents (the backend's grouping of alerts, with probable causes); empty from a backend without them. */
  incidents: IncidentView[] = [];
  titles = new Map<string, string>();
  selectedSli = "late_open_deliveries";
  range: Range = "24h";
  error: string | null = null;
  lastDataAt: string | null;
  /** SLI ids in the backend's catalogue order, asked once. */
  catalogue: string[] | undefined;
  seasonal = new Set<string>();

  constructor(
    private readonly fetchJson: FetchJson,
    private readonly storage: Pick<Storage, "getItem" | "setItem"> | undefined = globalThis.localStorage,
    /** The user's language (Odoo's fr_FR), for the numbers and units of budgets. */
    private readonly lang?: string,
  ) {
    this.lastDataAt = storage?.getItem(LAST_DATA_KEY) ?? null;
  }

  async load(): Promise<void> {
    try {
      const current = (await this.fetchJson("slis/current")) as { slis: SliView[] };
      if (!this.catalogue) {
        const catalog = (await this.fetchJson("catalog")) as { slis: Array<{ id: string; title: string; seasonal?: boolean }> };
        this.catalogue = catalog.slis.map((d) => d.id);
        this.titles = new Map(catalog.slis.map((d) => [d.id, d.title]));
        this.seasonal = new Set(catalog.slis.filter((d) => d.seasonal).map((d) => d.id));
      }
      // Budgets and alerts are extras: a backend without them still fills the tiles.
      const [slos, alerts, incidents] = await Promise.all([
        this.fetchJson("slos").then((b) => (b as { slos?: SloView[] } | undefined)?.slos ?? [], () => [] as SloView[]),
        this.fetchJson("alerts", { state: "firing" }).then((b) => (b as { alerts?: AlertView[] } | undefined)?.alerts ?? [], () => [] as AlertView[]),
        this.fetchJson("incidents", { state: "open" }).then((b) => (b as { incidents?: IncidentView[] } | undefined)?.incidents ?? [], () => [] as IncidentView[]),
      ]);
      this.incidents = incidents;
      this.tiles = tiles(current.slis.filter((s) => isBusiness(s.sli)), this.catalogue).map((t) => {
        const budget = budgetOf(slos, t.tenant, t.sli, this.lang);
        return { ...t, title: sliTitle(t.sli, t.title), budget: budget?.text ?? null, budgetLeft: budget?.left ?? null };
      });
      this.alerts = alerts.filter((a) => isBusiness(a.sli));
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
    // A carrier or channel SLI draws its worst series, the one the tile shows.
    const worst = JSON.stringify(tile.labels);
    this.series = body.points.filter((p) => JSON.stringify(p.labels) === worst).map(({ at, value }) => ({ at, value }));
    this.band = [];
    if (this.seasonal.has(tile.sli)) {
      const anomalies = (await this.fetchJson("anomalies", { tenant: tile.tenant, sli: tile.sli, hours: String(RANGES[this.range]) })) as { series: Array<{ labels: Record<string, string>; hours: BandHour[] }> };
      this.band = anomalies.series.find((s) => JSON.stringify(s.labels) === worst)?.hours ?? [];
    }
  }
}

/** Infrastructure signals, and the monitor's own (sampling_up: its failures page the operations addresses). */
const INFRA_PREFIXES = ["pg_", "redis_", "host_", "ingress_", "tls_", "backup_", "restore_", "wal_", "sampling_", "security_", "odoo_", "tenant_", "storage_",
  "cron_due_jobs", "cron_threads_", "journey_failed_step", "journey_step_seconds"];

/**
 * Business SLIs are what the logistics manager sees; infrastructure, security and capacity signals stay in the
 * backend's views, and a journey's steps in its incident (the tiles show each journey's success and duration).
 */
export function isBusiness(sli: string): boolean {
  return !INFRA_PREFIXES.some((p) => sli.startsWith(p));
}
