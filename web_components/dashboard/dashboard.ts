import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t as odooTranslate } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService, type ActionService, type NotificationService, type OrmService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { areaTitle, byArea, type AreaId } from "./areas.ts";
import { fetchJson } from "./backend.ts";
import { IncidentCard, SliTile, TrendChart, type TileView } from "./components.ts";
import { countOf, drills, type Drill, type DrillCount } from "./drill.ts";
import { formatDuration } from "./format.ts";
import { incidentCards, type IncidentCard as Card } from "./incidents.ts";
import { DashboardModel, RANGES, type Range } from "./model.ts";
import { _t, useTranslation } from "./t.ts";

const REFRESH_MS = 60_000;

/** What the user may not see, per area, in words. */
function outOfReach(area: AreaId): string {
  const what = { orders: _t("sales orders"), deliveries: _t("deliveries"), waves: _t("waves"), carriers: _t("label events"), jobs: _t("scheduled jobs and emails"), journeys: _t("the journeys' records") }[area];
  return _t("Your access rights do not include %s: the records behind these service levels cannot be listed for you.", what);
}

interface AreaView {
  id: AreaId;
  title: string;
  tiles: TileView[];
  breaches: number;
  counts: DrillCount[];
  unavailable: string | null;
}

/**
 * Logistics Health, incident first: what is wrong now (open incidents in plain words, how much they touch, their
 * probable cause), then the service levels by area with breaches first, each count opening the Odoo list behind it
 * and each tile its trend against the objective. Times in Odoo's formats and the browser's zone, as Odoo shows them.
 */
class LogisticsDashboard extends Component {
  static override template = "logistics_observability.Dashboard";
  static components = { SliTile, TrendChart, IncidentCard };
  // The action service passes its standard props (action, actionId, updateActionState, className).
  static override props = { ...standardActionServiceProps } as Record<string, { optional?: boolean }>;

  declare model: DashboardModel;
  declare orm: OrmService;
  declare action: ActionService;
  declare notification: NotificationService;
  declare state: { areas: AreaView[]; incidents: Card[]; counts: DrillCount[]; series: DashboardModel["series"]; band: DashboardModel["band"]; selected: string; range: Range; error: string | null; lastDataAt: string | null; loaded: boolean };
  ranges = Object.keys(RANGES) as Range[];
  lang = user.lang;

  override setup(): void {
    useTranslation(odooTranslate);
    this.model = new DashboardModel(fetchJson, globalThis.localStorage, user.lang);
    this.orm = useService("orm");
    this.action = useService("action");
    this.notification = useService("notification");
    this.state = useState({ areas: [], incidents: [], counts: [], series: [], band: [], selected: "", range: "24h" as Range, error: null, lastDataAt: this.model.lastDataAt, loaded: false });
    onWillStart(async () => {
      await loadBundle("web.chartjs_lib");
      await this.refresh();
    });
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    onWillUnmount(() => clearInterval(timer));
  }

  /** An ISO time from the backend, as Odoo shows datetimes. */
  time = (iso: string): string => formatDateTime(luxon.DateTime.fromISO(iso));

  /** "6 Dec 2026 12:05 (18 days ago)". */
  since(iso: string): string {
    return _t("%(time)s (%(age)s ago)", { time: this.time(iso), age: formatDuration((Date.now() - Date.parse(iso)) / 1000, this.lang) });
  }

  get lastData(): string {
    return this.state.lastDataAt ? this.time(this.state.lastDataAt) : "";
  }

  get hasTiles(): boolean {
    return this.state.areas.some((a) => a.tiles.length);
  }

  get breaches(): number {
    return this.state.areas.reduce((n, a) => n + a.breaches, 0);
  }

  get selectedTile(): TileView | undefined {
    return this.state.areas.flatMap((a) => a.tiles).find((t) => t.sli === this.state.selected);
  }

  showsTrend(area: AreaView): boolean {
    return area.tiles.some((t) => t.sli === this.state.selected);
  }

  affected(card: Card): DrillCount[] {
    return card.affects.map((key) => (key === "carriers.labels" && card.carrier ? this.carrierCounts.get(card.carrier) : this.state.counts.find((c) => c.drill.key === key))).filter((c): c is DrillCount => !!c);
  }

  carrierCounts = new Map<string, DrillCount>();

  async refresh(): Promise<void> {
    const now = luxon.DateTime.now();
    const context = { today: now.toFormat("yyyy-MM-dd"), now: now.toUTC().toFormat("yyyy-MM-dd HH:mm:ss"), dayAgo: now.minus({ hours: 24 }).toUTC().toFormat("yyyy-MM-dd HH:mm:ss") };
    // Odoo's counts load even when the backend is down: they come from Odoo, with this user's rights, each on its
    // own: one the user may not make is a sentence, never an error dialog or a blank dashboard.
    const [, counts] = await Promise.all([this.model.load().catch(() => undefined), Promise.all(drills(context).map((d) => countOf(this.orm, d)))]);
    const incidents = incidentCards(this.model.incidents);
    const carriers = [...new Set(incidents.map((i) => i.carrier).filter((c): c is string => !!c))];
    const perCarrier = await Promise.all(carriers.map((c) => countOf(this.orm, drills(context, c).find((d) => d.key === "carriers.labels")!)));
    this.carrierCounts = new Map(carriers.map((c, i) => [c, perCarrier[i]!]));
    const areas = byArea(this.model.tiles as TileView[], counts.map((c) => c.drill.area)).map((a) => {
      const mine = counts.filter((c) => c.drill.area === a.id);
      return { ...a, title: areaTitle(a.id), counts: mine, unavailable: mine.length && mine.every((c) => c.count === null) ? outOfReach(a.id) : null };
    });
    Object.assign(this.state, { areas, incidents, counts, series: this.model.series, band: this.model.band, selected: this.model.selectedSli, error: this.model.error, lastDataAt: this.model.lastDataAt, loaded: true });
  }

  async select(sli: string): Promise<void> {
    this.model.selectedSli = sli;
    await this.model.loadSeries().catch(() => undefined);
    Object.assign(this.state, { selected: sli, series: this.model.series, band: this.model.band });
  }

  async setRange(range: Range): Promise<void> {
    this.model.range = range;
    this.state.range = range;
    await this.select(this.state.selected);
  }

  openDrill(drill: Drill): void {
    if (typeof drill.action === "string") void this.action.doAction(drill.action, { additionalContext: drill.filters ?? {} });
    else void this.action.doAction(drill.action);
  }

  /** The incident's record in Odoo, once the backend has written it there; until then, the list behind it. */
  async openIncident(card: Card): Promise<void> {
    const ref = this.model.incidents.find((i) => i.id === card.id)?.ref ?? "";
    const [record] = await this.orm.searchRead("logistics.incident", [["incident_ref", "=", ref]], ["id"], { limit: 1 }).catch(() => []);
    if (record) {
      void this.action.doAction({ type: "ir.actions.act_window", res_model: "logistics.incident", res_id: record.id, views: [[false, "form"]], target: "current" });
      return;
    }
    const [first] = this.affected(card);
    if (first?.count !== null && first) this.openDrill(first.drill);
    else this.notification.add(_t("This incident has not reached Odoo's Incidents menu yet."), { type: "info" });
  }
}

registry.category("actions").add("logistics_observability.dashboard", LogisticsDashboard);
