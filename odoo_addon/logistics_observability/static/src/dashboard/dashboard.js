/** @odoo-module **/
// Built by `npm run build` from web_components/: do not edit, edit the sources.
var __freeze = Object.freeze;
var __defProp = Object.defineProperty;
var __template = (cooked, raw) => __freeze(__defProp(cooked, "raw", { value: __freeze(raw || cooked.slice()) }));

// web_components/dashboard/dashboard.ts
import { Component as Component2, onWillStart, onWillUnmount as onWillUnmount2, useState, xml as xml2 } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// web_components/dashboard/components.ts
import { Component, onMounted, onWillUnmount, onPatched, useRef, xml } from "@odoo/owl";

// web_components/dashboard/format.ts
function formatValue(value, unit) {
  if (value === null || !Number.isFinite(value)) return "\u2014";
  switch (unit) {
    case "seconds":
      return formatDuration(value);
    case "ratio":
      return "".concat((value * 100).toFixed(value >= 0.995 || value === 0 ? 0 : 1), " %");
    case "bytes":
      return formatBytes(value);
    case "days":
      return "".concat(value.toFixed(1), " d");
    case "per_second":
      return "".concat(value.toFixed(value < 10 ? 2 : 0), "/s");
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}
function formatDuration(seconds) {
  const sign = seconds < 0 ? "-" : "";
  const s = Math.abs(seconds);
  if (s < 60) return "".concat(sign).concat(s.toFixed(s < 10 ? 1 : 0), " s");
  if (s < 3600) return "".concat(sign).concat(Math.round(s / 60), " min");
  if (s < 86400 * 2) return "".concat(sign).concat((s / 3600).toFixed(1), " h");
  return "".concat(sign).concat((s / 86400).toFixed(1), " d");
}
function formatBytes(b) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = b;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return "".concat(v.toFixed(i ? 1 : 0), " ").concat(units[i]);
}
function formatObjective(s) {
  return "".concat(s.better === "lower" ? "\u2264" : "\u2265", " ").concat(formatValue(s.objective, s.unit));
}
function tiles(slis, order = []) {
  const bySli = /* @__PURE__ */ new Map();
  for (const s of slis) bySli.set("".concat(s.tenant, "/").concat(s.sli), [...bySli.get("".concat(s.tenant, "/").concat(s.sli)) ?? [], s]);
  const rank = (sli) => order.includes(sli) ? order.indexOf(sli) : order.length;
  const groups = [...bySli.values()].sort((a, b) => rank(a[0].sli) - rank(b[0].sli));
  return groups.map((group) => {
    const present = group.filter((s) => s.value !== null);
    if (!present.length) return { ...group[0], detail: group[0].missing ?? "" };
    const worst = present.reduce((a, b) => (a.better === "lower" ? b.value > a.value : b.value < a.value) ? b : a);
    const labels = Object.entries(worst.labels).map(([k, v]) => "".concat(k, ": ").concat(v)).join(", ");
    return { ...worst, detail: group.length > 1 ? "worst of ".concat(group.length, " (").concat(labels, ")") : labels };
  });
}
function budgetOf(slos, tenant, sli) {
  const mine = slos.filter((s) => s.tenant === tenant && s.sli === sli && s.errorBudgetRemaining !== null);
  if (!mine.length) return null;
  const worst = mine.reduce((a, b) => b.errorBudgetRemaining < a.errorBudgetRemaining ? b : a);
  const left = worst.errorBudgetRemaining;
  const burn = worst.burnRates["1h"];
  const text = "budget ".concat(left <= 0 ? "spent" : "".concat(Math.round(left * 100), " % left")).concat(burn != null && burn >= 1 ? " \xB7 burning ".concat(burn.toFixed(1), "x") : "");
  return { left, text, window: worst.windowDays };
}
function bandAlong(points, hours) {
  const byHour = new Map(hours.map((h) => [Math.floor(Date.parse(h.at) / 36e5), h]));
  const at = (p) => byHour.get(Math.floor(Date.parse(p.at) / 36e5));
  return { low: points.map((p) => at(p)?.low ?? null), high: points.map((p) => at(p)?.high ?? null) };
}

// web_components/dashboard/components.ts
var STATUS_CLASS = { ok: "text-bg-success", breach: "text-bg-danger", missing: "text-bg-secondary" };
var _a;
var SliTile = class extends Component {
  static template = xml(_a || (_a = __template(['\n    <div class="o_logistics_tile card h-100" t-att-class="{ \'border-primary\': props.selected }" t-on-click="() => props.onSelect(props.tile.sli)"\n         role="button" t-att-data-sli="props.tile.sli" t-att-data-status="props.tile.status">\n      <div class="card-body p-2">\n        <div class="d-flex justify-content-between align-items-start">\n          <span class="small text-muted" t-esc="props.tile.title"/>\n          <span t-attf-class="badge flex-shrink-0 ms-1 {{ statusClass }}" t-esc="props.tile.status"/>\n        </div>\n        <div class="fs-3 fw-bold o_logistics_value" t-esc="value"/>\n        <div class="small text-muted">objective <t t-esc="objective"/></div>\n        <div t-if="props.tile.budget" t-attf-class="small o_logistics_budget {{ props.tile.budgetLeft > 0.25 ? \'text-muted\' : \'text-danger\' }}" t-esc="props.tile.budget"/>\n        <div class="small text-truncate" t-att-title="props.tile.detail" t-esc="props.tile.detail"/>\n      </div>\n    </div>'])));
  static props = ["tile", "selected", "onSelect"];
  get value() {
    return formatValue(this.props.tile.value, this.props.tile.unit);
  }
  get objective() {
    return formatObjective(this.props.tile);
  }
  get statusClass() {
    return STATUS_CLASS[this.props.tile.status];
  }
};
var _b;
var RecordList = class extends Component {
  static template = xml(_b || (_b = __template(['\n    <div class="card h-100">\n      <div class="card-header py-1 fw-bold" t-esc="props.title"/>\n      <ul class="list-group list-group-flush">\n        <li t-if="props.unavailable" class="list-group-item small text-muted fst-italic o_logistics_unavailable" t-esc="props.unavailable"/>\n        <li t-elif="!props.rows.length" class="list-group-item small text-muted">None</li>\n        <li t-foreach="props.rows" t-as="row" t-key="row.model + row.id" class="list-group-item list-group-item-action small o_logistics_record"\n            role="button" t-on-click="() => props.onOpen(row)">\n          <span class="fw-bold" t-esc="row.name"/> <span class="text-muted" t-esc="row.detail"/>\n          <span class="float-end text-muted" t-esc="row.when"/>\n        </li>\n      </ul>\n    </div>'])));
  static props = ["title", "rows", "onOpen", "unavailable?"];
};
var KIND_TEXT = { threshold: "threshold", burn_rate: "burning its error budget", anomaly: "unusual for the hour" };
var _c;
var AlertList = class extends Component {
  static template = xml(_c || (_c = __template(['\n    <div class="card mb-3 o_logistics_alerts">\n      <div class="card-header py-1 fw-bold">Firing alerts <span class="badge text-bg-secondary" t-esc="props.unknown ? \'?\' : props.alerts.length"/></div>\n      <ul class="list-group list-group-flush">\n        <li t-if="props.unknown" class="list-group-item small text-muted o_logistics_unknown">Unknown: without the backend, whether the service levels are within their objectives cannot be told.</li>\n        <li t-elif="!props.alerts.length" class="list-group-item small text-muted">None: every service level is within its objective.</li>\n        <li t-foreach="props.unknown ? [] : props.alerts" t-as="a" t-key="a.fingerprint" class="list-group-item small o_logistics_alert" t-att-data-sli="a.sli">\n          <span t-attf-class="badge me-1 {{ a.severity === \'page\' ? \'text-bg-danger\' : \'text-bg-warning\' }}" t-esc="a.severity"/>\n          <span class="fw-bold" t-esc="title(a)"/> <span class="text-muted" t-esc="labels(a)"/>\n          <span class="text-muted"> \xB7 <t t-esc="kind(a)"/></span>\n          <span t-if="a.silencedBy" class="badge text-bg-light ms-1">silenced</span>\n          <span t-if="a.inhibitedBy" class="badge text-bg-light ms-1" t-att-title="a.inhibitedBy">inhibited</span>\n          <span class="float-end text-muted" t-esc="age(a)"/>\n        </li>\n      </ul>\n    </div>'])));
  static props = ["alerts", "titles", "unknown?"];
  title(a) {
    return this.props.titles.get(a.sli) ?? a.sli;
  }
  labels(a) {
    return Object.entries(a.labels).map(([k, v]) => "".concat(k, ": ").concat(v)).join(", ");
  }
  kind(a) {
    return KIND_TEXT[a.kind] ?? a.kind;
  }
  age(a) {
    return "for ".concat(formatDuration((Date.now() - Date.parse(a.since)) / 1e3));
  }
};
var _d;
var TrendChart = class extends Component {
  static template = xml(_d || (_d = __template(['<div style="height: 220px"><canvas t-ref="canvas"/></div>'])));
  static props = ["points", "label", "unit", "band?"];
  setup() {
    this.canvas = useRef("canvas");
    onMounted(() => this.draw());
    onPatched(() => this.draw());
    onWillUnmount(() => this.chart?.destroy());
  }
  draw() {
    this.chart?.destroy();
    const points = this.props.points;
    const band = bandAlong(points, this.props.band ?? []);
    const shade = { borderWidth: 0, pointRadius: 0, backgroundColor: "rgba(33, 111, 140, 0.12)", spanGaps: true };
    const hasBand = band.high.some((v) => v !== null);
    this.chart = new Chart(this.canvas.el, {
      type: "line",
      data: {
        labels: points.map((p) => new Date(p.at).toLocaleString()),
        datasets: [
          { label: this.props.label, data: points.map((p) => p.value), spanGaps: false, borderColor: "#216f8c", pointRadius: 2, tension: 0.2 },
          ...hasBand ? [{ label: "expected (low)", data: band.low, ...shade }, { label: "expected (high)", data: band.high, fill: "-1", ...shade }] : []
        ]
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 8 } } } }
    });
  }
};

// web_components/dashboard/lists.ts
async function listOrReason(read, what) {
  try {
    return { rows: await read, unavailable: null };
  } catch (err) {
    const data = err.data;
    const denied = data?.name === "odoo.exceptions.AccessError" || /access/i.test(String(err.message));
    return { rows: [], unavailable: denied ? "Your access rights do not include ".concat(what, ": ask an administrator for the Inventory rights to list them.") : "".concat(what, " could not be read.") };
  }
}
var m2oName = (v) => Array.isArray(v) ? String(v[1]) : "";
function lateDeliveriesDomain(todayStartUtc) {
  return [
    ["picking_type_code", "=", "outgoing"],
    ["state", "in", ["assigned", "waiting", "confirmed"]],
    "|",
    "|",
    ["has_deadline_issue", "=", true],
    ["date_deadline", "<", todayStartUtc],
    ["scheduled_date", "<", todayStartUtc]
  ];
}
async function lateDeliveries(orm, todayStartUtc) {
  const rows = await orm.searchRead("stock.picking", lateDeliveriesDomain(todayStartUtc), ["name", "partner_id", "scheduled_date", "carrier_id"], { limit: 10, order: "scheduled_date asc" });
  return rows.map((r) => ({ id: r.id, model: "stock.picking", name: String(r.name), detail: [m2oName(r.partner_id), m2oName(r.carrier_id)].filter(Boolean).join(" \xB7 "), when: String(r.scheduled_date) }));
}
async function lateWaves(orm, nowUtc) {
  const rows = await orm.searchRead("stock.picking.batch", [["state", "in", ["draft", "in_progress"]], ["scheduled_date", "<", nowUtc]], ["name", "scheduled_date", "user_id"], { limit: 10, order: "scheduled_date asc" });
  return rows.map((r) => ({ id: r.id, model: "stock.picking.batch", name: String(r.name), detail: m2oName(r.user_id), when: String(r.scheduled_date) }));
}
async function labelFailures(orm) {
  const rows = await orm.searchRead("logistics.label.event", [["success", "=", false]], ["picking_ref", "picking_name", "carrier_name", "error_message", "create_date"], { limit: 10 });
  return rows.map((r) => ({ id: r.picking_ref, model: "stock.picking", name: String(r.picking_name), detail: "".concat(r.carrier_name, ": ").concat(r.error_message || ""), when: String(r.create_date) }));
}

// web_components/dashboard/model.ts
var RANGES = { "6h": 6, "24h": 24, "7d": 24 * 7 };
var LAST_DATA_KEY = "logistics_observability.last_data_at";
var DashboardModel = class {
  constructor(fetchJson2, storage = globalThis.localStorage) {
    this.fetchJson = fetchJson2;
    this.storage = storage;
    this.lastDataAt = storage?.getItem(LAST_DATA_KEY) ?? null;
  }
  fetchJson;
  storage;
  tiles = [];
  series = [];
  /** The expected band of the selected SLI's hours, when it is seasonal and the detector has enough history. */
  band = [];
  alerts = [];
  titles = /* @__PURE__ */ new Map();
  selectedSli = "late_open_deliveries";
  range = "24h";
  error = null;
  lastDataAt;
  /** SLI ids in the backend's catalogue order, asked once. */
  catalogue;
  seasonal = /* @__PURE__ */ new Set();
  async load() {
    try {
      const current = await this.fetchJson("slis/current");
      if (!this.catalogue) {
        const catalog = await this.fetchJson("catalog");
        this.catalogue = catalog.slis.map((d) => d.id);
        this.titles = new Map(catalog.slis.map((d) => [d.id, d.title]));
        this.seasonal = new Set(catalog.slis.filter((d) => d.seasonal).map((d) => d.id));
      }
      const [slos, alerts] = await Promise.all([
        this.fetchJson("slos").then((b) => b.slos ?? [], () => []),
        this.fetchJson("alerts", { state: "firing" }).then((b) => b.alerts ?? [], () => [])
      ]);
      this.tiles = tiles(current.slis.filter((s) => isBusiness(s.sli)), this.catalogue).map((t) => {
        const budget = budgetOf(slos, t.tenant, t.sli);
        return { ...t, budget: budget?.text ?? null, budgetLeft: budget?.left ?? null };
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
  async loadSeries() {
    const tile = this.tiles.find((t) => t.sli === this.selectedSli) ?? this.tiles[0];
    if (!tile) return;
    this.selectedSli = tile.sli;
    const from = new Date(Date.now() - RANGES[this.range] * 36e5).toISOString();
    const body = await this.fetchJson("slis", { tenant: tile.tenant, sli: tile.sli, from });
    const worst = JSON.stringify(tile.labels);
    this.series = body.points.filter((p) => JSON.stringify(p.labels) === worst).map(({ at, value }) => ({ at, value }));
    this.band = [];
    if (this.seasonal.has(tile.sli)) {
      const anomalies = await this.fetchJson("anomalies", { tenant: tile.tenant, sli: tile.sli, hours: String(RANGES[this.range]) });
      this.band = anomalies.series.find((s) => JSON.stringify(s.labels) === worst)?.hours ?? [];
    }
  }
};
var INFRA_PREFIXES = ["pg_", "redis_", "host_", "ingress_", "tls_", "backup_", "restore_", "wal_", "sampling_"];
function isBusiness(sli) {
  return !INFRA_PREFIXES.some((p) => sli.startsWith(p));
}

// web_components/dashboard/dashboard.ts
var EMPTY = { rows: [], unavailable: null };
var REFRESH_MS = 6e4;
async function fetchJson(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch("/logistics_observability/api/".concat(path).concat(query ? "?".concat(query) : ""), { credentials: "same-origin" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? "HTTP ".concat(response.status));
  return body;
}
var odooNow = (d) => d.toISOString().slice(0, 19).replace("T", " ");
var _a2;
var LogisticsDashboard = class extends Component2 {
  static template = xml2(_a2 || (_a2 = __template(['\n    <div class="o_logistics_dashboard o_action p-3 overflow-auto h-100">\n      <div t-if="model.error" class="alert alert-warning o_logistics_banner" role="alert">\n        <strong>The observability backend is unreachable.</strong> <t t-esc="model.error"/>\n        <t t-if="model.lastDataAt"> Last data: <t t-esc="lastData"/>.</t>\n        <t t-else=""> No data has reached this browser yet.</t>\n        Odoo itself is not affected.\n      </div>\n      <div class="d-flex align-items-center mb-2">\n        <h2 class="me-auto mb-0">Logistics Health</h2>\n        <div class="btn-group btn-group-sm" role="group">\n          <button t-foreach="ranges" t-as="r" t-key="r" t-attf-class="btn {{ state.range === r ? \'btn-primary\' : \'btn-outline-primary\' }}"\n                  t-on-click="() => this.setRange(r)" t-esc="r"/>\n        </div>\n      </div>\n      <AlertList alerts="state.alerts" titles="model.titles" unknown="!!state.error"/>\n      <div class="row g-2 mb-3">\n        <div t-foreach="state.tiles" t-as="tile" t-key="tile.tenant + tile.sli" class="col-6 col-md-4 col-xl-2">\n          <SliTile tile="tile" selected="tile.sli === state.selected" onSelect.bind="select"/>\n        </div>\n      </div>\n      <div t-if="state.series.length" class="card mb-3"><div class="card-body">\n        <div class="fw-bold mb-1" t-esc="selectedTitle"/>\n        <TrendChart points="state.series" label="selectedTitle" unit="\'\'" band="state.band"/>\n      </div></div>\n      <div class="row g-2">\n        <div class="col-md-4"><RecordList title="\'Late deliveries\'" rows="state.late.rows" unavailable="state.late.unavailable" onOpen.bind="open"/></div>\n        <div class="col-md-4"><RecordList title="\'Late waves\'" rows="state.waves.rows" unavailable="state.waves.unavailable" onOpen.bind="open"/></div>\n        <div class="col-md-4"><RecordList title="\'Label failures\'" rows="state.labels.rows" unavailable="state.labels.unavailable" onOpen.bind="open"/></div>\n      </div>\n    </div>'])));
  static components = { AlertList, SliTile, RecordList, TrendChart };
  // The action service passes its standard props (action, actionId, updateActionState, className).
  static props = { ...standardActionServiceProps };
  model = new DashboardModel(fetchJson);
  ranges = Object.keys(RANGES);
  setup() {
    this.orm = useService("orm");
    this.action = useService("action");
    this.notification = useService("notification");
    this.state = useState({ tiles: this.model.tiles, series: this.model.series, band: [], alerts: [], selected: "", range: "24h", late: EMPTY, waves: EMPTY, labels: EMPTY, error: null });
    onWillStart(async () => {
      await loadBundle("web.chartjs_lib");
      await this.refresh();
    });
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    onWillUnmount2(() => clearInterval(timer));
  }
  get lastData() {
    return this.model.lastDataAt ? new Date(this.model.lastDataAt).toLocaleString() : "";
  }
  get selectedTitle() {
    return this.state.tiles.find((t) => t.sli === this.state.selected)?.title ?? "";
  }
  async refresh() {
    const todayStart = luxon.DateTime.now().startOf("day").toUTC().toFormat("yyyy-MM-dd HH:mm:ss");
    const [, late, waves, labels] = await Promise.all([
      this.model.load().catch(() => void 0),
      listOrReason(lateDeliveries(this.orm, todayStart), "deliveries"),
      listOrReason(lateWaves(this.orm, odooNow(/* @__PURE__ */ new Date())), "waves"),
      listOrReason(labelFailures(this.orm), "label failures")
    ]);
    Object.assign(this.state, { tiles: this.model.tiles, series: this.model.series, band: this.model.band, alerts: this.model.alerts, selected: this.model.selectedSli, late, waves, labels, error: this.model.error });
  }
  async select(sli) {
    this.model.selectedSli = sli;
    await this.model.loadSeries().catch(() => void 0);
    Object.assign(this.state, { selected: sli, series: this.model.series, band: this.model.band });
  }
  async setRange(range) {
    this.model.range = range;
    this.state.range = range;
    await this.select(this.state.selected);
  }
  async open(row) {
    const allowed = await this.orm.call(row.model, "has_access", [[row.id], "read"]).catch(() => false);
    if (!allowed) {
      this.notification.add("You cannot open ".concat(row.name, ": your access rights do not include ").concat(row.model === "stock.picking" ? "transfers" : "this record", "."), { type: "warning" });
      return;
    }
    void this.action.doAction({ type: "ir.actions.act_window", res_model: row.model, res_id: row.id, views: [[false, "form"]], target: "current" });
  }
};
registry.category("actions").add("logistics_observability.dashboard", LogisticsDashboard);
