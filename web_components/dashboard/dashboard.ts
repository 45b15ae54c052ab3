import { Component, onWillStart, onWillUnmount, useState, xml } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService, type ActionService, type NotificationService, type OrmService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { AlertList, RecordList, SliTile, TrendChart } from "./components.ts";
import { labelFailures, lateDeliveries, lateWaves, listOrReason, type RecordListState, type RecordRow } from "./lists.ts";

const EMPTY: RecordListState = { rows: [], unavailable: null };
import { DashboardModel, RANGES, type Range } from "./model.ts";

const REFRESH_MS = 60_000;

/** The browser talks only to Odoo; Odoo's controller calls the backend with the token it keeps. */
async function fetchJson(path: string, params: Record<string, string> = {}): Promise<unknown> {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`/logistics_observability/api/${path}${query ? `?${query}` : ""}`, { credentials: "same-origin" });
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

const odooNow = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");

/** Logistics Health: SLI tiles, a trend, the records behind the numbers, and a banner when the backend is away. */
class LogisticsDashboard extends Component {
  static override template = xml`
    <div class="o_logistics_dashboard o_action p-3 overflow-auto h-100">
      <div t-if="model.error" class="alert alert-warning o_logistics_banner" role="alert">
        <strong>The observability backend is unreachable.</strong> <t t-esc="model.error"/>
        <t t-if="model.lastDataAt"> Last data: <t t-esc="lastData"/>.</t>
        <t t-else=""> No data has reached this browser yet.</t>
        Odoo itself is not affected.
      </div>
      <div class="d-flex align-items-center mb-2">
        <h2 class="me-auto mb-0">Logistics Health</h2>
        <div class="btn-group btn-group-sm" role="group">
          <button t-foreach="ranges" t-as="r" t-key="r" t-attf-class="btn {{ state.range === r ? 'btn-primary' : 'btn-outline-primary' }}"
                  t-on-click="() => this.setRange(r)" t-esc="r"/>
        </div>
      </div>
      <AlertList alerts="state.alerts" titles="model.titles" unknown="!!state.error"/>
      <div class="row g-2 mb-3">
        <div t-foreach="state.tiles" t-as="tile" t-key="tile.tenant + tile.sli" class="col-6 col-md-4 col-xl-2">
          <SliTile tile="tile" selected="tile.sli === state.selected" onSelect.bind="select"/>
        </div>
      </div>
      <div t-if="state.series.length" class="card mb-3"><div class="card-body">
        <div class="fw-bold mb-1" t-esc="selectedTitle"/>
        <TrendChart points="state.series" label="selectedTitle" unit="''" band="state.band"/>
      </div></div>
      <div class="row g-2">
        <div class="col-md-4"><RecordList title="'Late deliveries'" rows="state.late.rows" unavailable="state.late.unavailable" onOpen.bind="open"/></div>
        <div class="col-md-4"><RecordList title="'Late waves'" rows="state.waves.rows" unavailable="state.waves.unavailable" onOpen.bind="open"/></div>
        <div class="col-md-4"><RecordList title="'Label failures'" rows="state.labels.rows" unavailable="state.labels.unavailable" onOpen.bind="open"/></div>
      </div>
    </div>`;
  static components = { AlertList, SliTile, RecordList, TrendChart };
  // The action service passes its standard props (action, actionId, updateActionState, className).
  static override props = { ...standardActionServiceProps } as Record<string, { optional?: boolean }>;

  model = new DashboardModel(fetchJson);
  ranges = Object.keys(RANGES) as Range[];
  // Hooks run in setup(), where OWL knows the component being built; class fields are too early.
  declare orm: OrmService;
  declare action: ActionService;
  declare notification: NotificationService;
  declare state: { tiles: DashboardModel["tiles"]; series: DashboardModel["series"]; band: DashboardModel["band"]; alerts: DashboardModel["alerts"]; selected: string; range: Range; late: RecordListState; waves: RecordListState; labels: RecordListState; error: string | null };

  override setup(): void {
    this.orm = useService("orm");
    this.action = useService("action");
    this.notification = useService("notification");
    this.state = useState({ tiles: this.model.tiles, series: this.model.series, band: [], alerts: [], selected: "", range: "24h" as Range, late: EMPTY, waves: EMPTY, labels: EMPTY, error: null });
    onWillStart(async () => {
      await loadBundle("web.chartjs_lib");
      await this.refresh();
    });
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    onWillUnmount(() => clearInterval(timer));
  }

  get lastData(): string {
    return this.model.lastDataAt ? new Date(this.model.lastDataAt).toLocaleString() : "";
  }

  get selectedTitle(): string {
    return this.state.tiles.find((t) => t.sli === this.state.selected)?.title ?? "";
  }

  async refresh(): Promise<void> {
    const todayStart = luxon.DateTime.now().startOf("day").toUTC().toFormat("yyyy-MM-dd HH:mm:ss");
    // Odoo's own lists load even when the backend is down: they come from Odoo, not from the backend.
    // Each read answers on its own: one the user may not make is a sentence in its list, never an error dialog
    // or a blank dashboard.
    const [, late, waves, labels] = await Promise.all([
      this.model.load().catch(() => undefined),
      listOrReason(lateDeliveries(this.orm, todayStart), "deliveries"),
      listOrReason(lateWaves(this.orm, odooNow(new Date())), "waves"),
      listOrReason(labelFailures(this.orm), "label failures"),
    ]);
    Object.assign(this.state, { tiles: this.model.tiles, series: this.model.series, band: this.model.band, alerts: this.model.alerts, selected: this.model.selectedSli, late, waves, labels, error: this.model.error });
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

  async open(row: RecordRow): Promise<void> {
    // A label event's transfer may be out of this user's reach: say so instead of an access error dialog.
    const allowed = await this.orm.call(row.model, "has_access", [[row.id], "read"]).catch(() => false);
    if (!allowed) {
      this.notification.add(`You cannot open ${row.name}: your access rights do not include ${row.model === "stock.picking" ? "transfers" : "this record"}.`, { type: "warning" });
      return;
    }
    void this.action.doAction({ type: "ir.actions.act_window", res_model: row.model, res_id: row.id, views: [[false, "form"]], target: "current" });
  }
}

registry.category("actions").add("logistics_observability.dashboard", LogisticsDashboard);
