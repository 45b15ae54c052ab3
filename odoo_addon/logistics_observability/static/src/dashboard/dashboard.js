/** @odoo-module **/
// Built by `npm run build` from web_components/: do not edit, edit the sources.

// web_components/dashboard/dashboard.ts
import { Component as Component2, onWillStart, onWillUnmount as onWillUnmount2, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t as odooTranslate } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// web_components/dashboard/t.ts
var translate = (term) => term;
function useTranslation(fn) {
  translate = fn;
}
function _t(term, ...values) {
  const text = translate(term);
  const [first] = values;
  if (first !== void 0 && typeof first === "object") return text.replace(/%\((\w+)\)s/g, (m, k) => k in first ? String(first[k]) : m);
  let i = 0;
  return text.replace(/%s/g, () => String(values[i++] ?? ""));
}

// web_components/dashboard/areas.ts
var AREAS = [
  { id: "orders", prefixes: ["order_"] },
  { id: "deliveries", prefixes: ["on_time_delivery", "delivery_", "late_open_deliveries", "ready_backlog"] },
  { id: "waves", prefixes: ["wave_", "late_open_waves"] },
  { id: "carriers", prefixes: ["label_"] },
  { id: "jobs", prefixes: ["cron_", "queue_job_", "mail_"] },
  { id: "journeys", prefixes: ["journey_"] }
];
function areaTitle(id) {
  return { orders: _t("Orders"), deliveries: _t("Deliveries"), waves: _t("Waves"), carriers: _t("Carriers"), jobs: _t("Jobs and mail"), journeys: _t("User journeys") }[id];
}
function areaOf(sli) {
  return AREAS.find((a) => a.prefixes.some((p) => sli.startsWith(p)))?.id ?? "jobs";
}
function byArea(tiles2, alsoShown = []) {
  const breachFirst = (a, b) => Number(b.status === "breach") - Number(a.status === "breach");
  const areas = AREAS.map((a) => {
    const mine = tiles2.filter((t) => areaOf(t.sli) === a.id).sort(breachFirst);
    return { id: a.id, tiles: mine, breaches: mine.filter((t) => t.status === "breach").length };
  }).filter((a) => a.tiles.length || alsoShown.includes(a.id));
  return areas.sort((a, b) => Number(b.breaches > 0) - Number(a.breaches > 0));
}

// web_components/dashboard/backend.ts
async function fetchJson(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch("/logistics_observability/api/".concat(path).concat(query ? "?".concat(query) : ""), { credentials: "same-origin" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? "HTTP ".concat(response.status));
  return body;
}

// web_components/dashboard/components.ts
import { Component, onMounted, onPatched, onWillUnmount, useRef } from "@odoo/owl";

// server/sli/format.ts
function intlLocale(lang) {
  const tag = (lang ?? "en").replace("_", "-").replace(/@.*$/, "");
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? "en";
  } catch {
    return "en";
  }
}
var digits = (v) => Math.abs(v) < 10 ? 1 : 0;
function unitText(value, unit, locale) {
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: digits(value) }).format(value);
}
function formatDuration(seconds, lang) {
  const locale = intlLocale(lang);
  const s = Math.abs(seconds);
  if (s < 60) return unitText(seconds, "second", locale);
  if (s < 90 * 60) return unitText(Math.round(seconds / 60), "minute", locale);
  if (s < 48 * 3600) return unitText(seconds / 3600, "hour", locale);
  return unitText(seconds / 86400, "day", locale);
}
function formatBytes(bytes, locale) {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"];
  let i = 0;
  let v = bytes;
  while (Math.abs(v) >= 1e3 && i < units.length - 1) {
    v /= 1e3;
    i++;
  }
  return unitText(v, units[i], locale);
}
function formatValue(value, unit, lang) {
  if (value === null || !Number.isFinite(value)) return "\u2014";
  const locale = intlLocale(lang);
  switch (unit) {
    case "seconds":
      return formatDuration(value, lang);
    case "days":
      return formatDuration(value * 86400, lang);
    case "ratio":
      return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
    case "bytes":
      return formatBytes(value, locale);
    case "per_second":
      return "".concat(new Intl.NumberFormat(locale, { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 0 }).format(value), "/s");
    case "count":
      return new Intl.NumberFormat(locale, { maximumFractionDigits: digits(value) }).format(value);
  }
}
function formatObjective(better, objective, unit, lang) {
  return "".concat(better === "lower" ? "\u2264" : "\u2265", " ").concat(formatValue(objective, unit, lang));
}

// web_components/dashboard/format.ts
function statusText(status) {
  return { ok: _t("Within objective"), breach: _t("Objective missed"), missing: _t("No data") }[status];
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
    return { ...worst, detail: group.length > 1 ? _t("worst of %(count)s (%(labels)s)", { count: group.length, labels }) : labels };
  });
}
function formatObjective2(s, lang) {
  return formatObjective(s.better, s.objective, s.unit, lang);
}
function budgetOf(slos, tenant, sli, lang) {
  const mine = slos.filter((s) => s.tenant === tenant && s.sli === sli && s.errorBudgetRemaining !== null);
  if (!mine.length) return null;
  const worst = mine.reduce((a, b) => b.errorBudgetRemaining < a.errorBudgetRemaining ? b : a);
  const left = worst.errorBudgetRemaining;
  const window = worst.windowDays;
  if (left <= 0) return { left, window, text: _t("This period's allowance of misses is used up") };
  const used = formatValue(Math.max(0, 1 - left), "ratio", lang);
  const text = window >= 28 ? _t("%s of this month's allowance used", used) : _t("%(used)s of the %(days)s-day allowance used", { used, days: window });
  const burn = worst.burnRates["1h"];
  const runsOut = burn != null && burn > 1 ? " \xB7 ".concat(_t("at this pace, used up in %s", formatDuration(left * window * 86400 / burn, lang))) : "";
  return { left, window, text: text + runsOut };
}
function bandAlong(points, hours) {
  const byHour = new Map(hours.map((h) => [Math.floor(Date.parse(h.at) / 36e5), h]));
  const at = (p) => byHour.get(Math.floor(Date.parse(p.at) / 36e5));
  return { low: points.map((p) => at(p)?.low ?? null), high: points.map((p) => at(p)?.high ?? null) };
}

// web_components/dashboard/components.ts
var STATUS_CLASS = { ok: "text-bg-success", breach: "text-bg-danger", missing: "text-bg-secondary" };
var SliTile = class extends Component {
  static template = "logistics_observability.SliTile";
  static props = ["tile", "selected", "lang", "onSelect"];
  get value() {
    return formatValue(this.props.tile.value, this.props.tile.unit, this.props.lang);
  }
  get objective() {
    return formatObjective2(this.props.tile, this.props.lang);
  }
  get status() {
    return statusText(this.props.tile.status);
  }
  get statusClass() {
    return STATUS_CLASS[this.props.tile.status];
  }
};
var IncidentCard = class extends Component {
  static template = "logistics_observability.IncidentCard";
  static props = ["card", "since", "affected", "onDrill", "onOpen"];
  get affected() {
    return this.props.affected.filter((c) => c.count !== null);
  }
  get card() {
    return this.props.card;
  }
};
var TrendChart = class extends Component {
  static template = "logistics_observability.TrendChart";
  static props = ["points", "label", "objective", "band?", "time"];
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
    const time = this.props.time;
    this.chart = new Chart(this.canvas.el, {
      type: "line",
      data: {
        labels: points.map((p) => time(p.at)),
        datasets: [
          { label: this.props.label, data: points.map((p) => p.value), spanGaps: false, borderColor: "#216f8c", pointRadius: 2, tension: 0.2 },
          { label: _t("Objective"), data: points.map(() => this.props.objective), borderColor: "#d9534f", borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 },
          ...hasBand ? [{ label: _t("Expected (low)"), data: band.low, ...shade }, { label: _t("Expected (high)"), data: band.high, fill: "-1", ...shade }] : []
        ]
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: true, position: "bottom", labels: { boxWidth: 12, filter: (item) => item.text !== _t("Expected (low)") } } }, scales: { x: { ticks: { maxTicksLimit: 8 } } } }
    });
  }
};

// web_components/dashboard/drill.ts
var OPEN = ["assigned", "waiting", "confirmed"];
var list = (name, res_model, domain) => ({ type: "ir.actions.act_window", name, res_model, domain, views: [[false, "list"], [false, "form"]] });
function drills(c, carrier) {
  const late = [["picking_type_code", "=", "outgoing"], ["state", "in", OPEN], "|", "|", ["has_deadline_issue", "=", true], ["date_deadline", "<", c.today], ["scheduled_date", "<", c.today]];
  const ready = [["picking_type_code", "=", "outgoing"], ["state", "=", "assigned"]];
  const toShip = [["state", "=", "sale"], ["delivery_status", "in", ["pending", "partial"]]];
  const lateWaves = [["is_wave", "=", true], ["state", "in", ["draft", "in_progress"]], ["scheduled_date", "<", c.now]];
  const openWaves = [["is_wave", "=", true], ["state", "in", ["draft", "in_progress"]]];
  const labels = [["success", "=", false], ["create_date", ">=", c.dayAgo], ...carrier ? [["carrier_name", "=", carrier]] : []];
  const crons = [["failure_count", ">", 0]];
  const mails = [["state", "=", "exception"]];
  const labelText = carrier ? _t("%s label failures (24 h)", carrier) : _t("Label failures (24 h)");
  return [
    { key: "orders.to_ship", area: "orders", label: _t("Orders to ship"), model: "sale.order", domain: toShip, action: list(_t("Orders to ship"), "sale.order", toShip) },
    { key: "deliveries.late", area: "deliveries", label: _t("Late"), model: "stock.picking", domain: late, action: "stock.action_picking_tree_all", filters: { search_default_late: 1, search_default_delivery: 1 } },
    { key: "deliveries.ready", area: "deliveries", label: _t("Ready"), model: "stock.picking", domain: ready, action: "stock.action_picking_tree_all", filters: { search_default_available: 1, search_default_delivery: 1 } },
    { key: "waves.late", area: "waves", label: _t("Late waves"), model: "stock.picking.batch", domain: lateWaves, action: list(_t("Late waves"), "stock.picking.batch", lateWaves) },
    { key: "waves.open", area: "waves", label: _t("Open waves"), model: "stock.picking.batch", domain: openWaves, action: "stock_picking_batch.action_picking_tree_wave" },
    { key: "carriers.labels", area: "carriers", label: labelText, model: "logistics.label.event", domain: labels, action: list(labelText, "logistics.label.event", labels) },
    { key: "jobs.crons", area: "jobs", label: _t("Failing scheduled jobs"), model: "ir.cron", domain: crons, action: list(_t("Failing scheduled jobs"), "ir.cron", crons) },
    { key: "jobs.mails", area: "jobs", label: _t("Failed emails"), model: "mail.mail", domain: mails, action: "mail.action_view_mail_mail", filters: { search_default_exception: 1 } }
  ];
}
function drillOf(sli) {
  if (sli.startsWith("order_")) return "orders.to_ship";
  if (sli.startsWith("ready_backlog")) return "deliveries.ready";
  if (sli.startsWith("on_time") || sli.startsWith("delivery_") || sli === "late_open_deliveries") return "deliveries.late";
  if (sli.startsWith("wave_") || sli === "late_open_waves") return "waves.late";
  if (sli.startsWith("label_")) return "carriers.labels";
  if (sli.startsWith("mail_")) return "jobs.mails";
  return "jobs.crons";
}
async function countOf(orm, drill) {
  try {
    return { drill, count: await orm.searchCount(drill.model, drill.domain), unavailable: null };
  } catch (err) {
    const data = err.data;
    const denied = data?.name === "odoo.exceptions.AccessError" || /access/i.test(String(err.message));
    return { drill, count: null, unavailable: denied ? _t("Not within your access rights") : _t("Could not be counted") };
  }
}

// web_components/dashboard/titles.ts
var SLI_TITLES = {
  order_quote_to_confirm_p50_seconds: () => _t("Quote to confirmation (p50)"),
  order_quote_to_confirm_p95_seconds: () => _t("Quote to confirmation (p95)"),
  order_confirm_to_first_ship_p50_seconds: () => _t("Confirmation to first shipment (p50)"),
  order_confirm_to_first_ship_p95_seconds: () => _t("Confirmation to first shipment (p95)"),
  order_confirm_to_full_ship_p50_seconds: () => _t("Confirmation to full shipment (p50)"),
  order_confirm_to_full_ship_p95_seconds: () => _t("Confirmation to full shipment (p95)"),
  on_time_delivery_ratio: () => _t("On-time deliveries (Odoo On Time %)"),
  delivery_avg_delay_seconds: () => _t("Average delay (Odoo Avg Delay)"),
  delivery_avg_lead_time_seconds: () => _t("Average lead time (Odoo Avg Lead Time)"),
  late_open_deliveries: () => _t("Late open deliveries (Odoo Late filter)"),
  ready_backlog: () => _t("Deliveries ready to ship"),
  ready_backlog_oldest_age_seconds: () => _t("Oldest ready delivery, time past its scheduled date"),
  wave_delay_p95_seconds: () => _t("Wave completion delay past schedule (p95)"),
  late_open_waves: () => _t("Open waves past their scheduled date"),
  label_failure_ratio: () => _t("Carrier label failures"),
  label_latency_p95_seconds: () => _t("Carrier label latency (p95)"),
  cron_max_lag_seconds: () => _t("Largest scheduled-job lag"),
  cron_failing_jobs: () => _t("Scheduled jobs failing"),
  cron_stuck_jobs: () => _t("Scheduled jobs stuck or killed"),
  queue_job_backlog: () => _t("Job queue backlog"),
  queue_job_oldest_wait_seconds: () => _t("Oldest queued job wait"),
  queue_job_failed: () => _t("Failed jobs"),
  mail_failed: () => _t("Outgoing mails failed"),
  mail_outgoing_backlog: () => _t("Outgoing mails waiting"),
  mail_outgoing_oldest_age_seconds: () => _t("Oldest outgoing mail waiting"),
  journey_success: () => _t("Synthetic journey success"),
  journey_duration_seconds: () => _t("Synthetic journey duration")
};
function sliTitle(sli, backendTitle) {
  return SLI_TITLES[sli]?.() ?? backendTitle;
}
function incidentTitle(title, alerts) {
  const named = alerts.find((a) => title.startsWith(a.title));
  return named ? sliTitle(named.sli, named.title) + title.slice(named.title.length) : title;
}

// web_components/dashboard/model.ts
var RANGES = { "6h": 6, "24h": 24, "7d": 24 * 7 };
var LAST_DATA_KEY = "logistics_observability.last_data_at";
var DashboardModel = class {
  constructor(fetchJson2, storage = globalThis.localStorage, lang) {
    this.fetchJson = fetchJson2;
    this.storage = storage;
    this.lang = lang;
    this.lastDataAt = storage?.getItem(LAST_DATA_KEY) ?? null;
  }
  fetchJson;
  storage;
  lang;
  tiles = [];
  series = [];
  /** The expected band of the selected SLI's hours, when it is seasonal and the detector has enough history. */
  band = [];
  alerts = [];
  /** Open incidents (the backend's grouping of alerts, with probable causes); empty from a backend without them. */
  incidents = [];
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
      const [slos, alerts, incidents] = await Promise.all([
        this.fetchJson("slos").then((b) => b?.slos ?? [], () => []),
        this.fetchJson("alerts", { state: "firing" }).then((b) => b?.alerts ?? [], () => []),
        this.fetchJson("incidents", { state: "open" }).then((b) => b?.incidents ?? [], () => [])
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
var INFRA_PREFIXES = [
  "pg_",
  "redis_",
  "host_",
  "ingress_",
  "tls_",
  "backup_",
  "restore_",
  "wal_",
  "sampling_",
  "security_",
  "odoo_",
  "tenant_",
  "storage_",
  "cron_due_jobs",
  "cron_threads_",
  "journey_failed_step",
  "journey_step_seconds"
];
function isBusiness(sli) {
  return !INFRA_PREFIXES.some((p) => sli.startsWith(p));
}

// web_components/dashboard/incidents.ts
function incidentCards(incidents) {
  return incidents.filter((i) => i.state === "open" && i.alerts.some((a) => a.state === "firing" && isBusiness(a.sli))).sort((a, b) => Number(b.severity === "page") - Number(a.severity === "page") || Date.parse(a.firstAbnormalAt) - Date.parse(b.firstAbnormalAt)).map((i) => {
    const business = i.alerts.filter((a) => a.state === "firing" && isBusiness(a.sli));
    const [cause] = i.causes;
    return {
      id: i.id,
      title: incidentTitle(i.title, i.alerts),
      urgency: i.severity === "page" ? _t("Urgent") : _t("To follow up"),
      urgent: i.severity === "page",
      since: i.firstAbnormalAt,
      affects: [...new Set(business.map((a) => drillOf(a.sli)))],
      carrier: business.find((a) => a.labels.carrier)?.labels.carrier,
      cause: cause?.subject ?? null,
      evidence: cause?.evidence ?? null
    };
  });
}

// web_components/dashboard/dashboard.ts
var REFRESH_MS = 6e4;
function outOfReach(area) {
  const what = { orders: _t("sales orders"), deliveries: _t("deliveries"), waves: _t("waves"), carriers: _t("label events"), jobs: _t("scheduled jobs and emails"), journeys: _t("the journeys' records") }[area];
  return _t("Your access rights do not include %s: the records behind these service levels cannot be listed for you.", what);
}
var LogisticsDashboard = class extends Component2 {
  static template = "logistics_observability.Dashboard";
  static components = { SliTile, TrendChart, IncidentCard };
  // The action service passes its standard props (action, actionId, updateActionState, className).
  static props = { ...standardActionServiceProps };
  ranges = Object.keys(RANGES);
  lang = user.lang;
  setup() {
    useTranslation(odooTranslate);
    this.model = new DashboardModel(fetchJson, globalThis.localStorage, user.lang);
    this.orm = useService("orm");
    this.action = useService("action");
    this.notification = useService("notification");
    this.state = useState({ areas: [], incidents: [], counts: [], series: [], band: [], selected: "", range: "24h", error: null, lastDataAt: this.model.lastDataAt, loaded: false });
    onWillStart(async () => {
      await loadBundle("web.chartjs_lib");
      await this.refresh();
    });
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    onWillUnmount2(() => clearInterval(timer));
  }
  /** An ISO time from the backend, as Odoo shows datetimes. */
  time = (iso) => formatDateTime(luxon.DateTime.fromISO(iso));
  /** "6 Dec 2026 12:05 (18 days ago)". */
  since(iso) {
    return _t("%(time)s (%(age)s ago)", { time: this.time(iso), age: formatDuration((Date.now() - Date.parse(iso)) / 1e3, this.lang) });
  }
  get lastData() {
    return this.state.lastDataAt ? this.time(this.state.lastDataAt) : "";
  }
  get hasTiles() {
    return this.state.areas.some((a) => a.tiles.length);
  }
  get breaches() {
    return this.state.areas.reduce((n, a) => n + a.breaches, 0);
  }
  get selectedTile() {
    return this.state.areas.flatMap((a) => a.tiles).find((t) => t.sli === this.state.selected);
  }
  showsTrend(area) {
    return area.tiles.some((t) => t.sli === this.state.selected);
  }
  affected(card) {
    return card.affects.map((key) => key === "carriers.labels" && card.carrier ? this.carrierCounts.get(card.carrier) : this.state.counts.find((c) => c.drill.key === key)).filter((c) => !!c);
  }
  carrierCounts = /* @__PURE__ */ new Map();
  async refresh() {
    const now = luxon.DateTime.now();
    const context = { today: now.toFormat("yyyy-MM-dd"), now: now.toUTC().toFormat("yyyy-MM-dd HH:mm:ss"), dayAgo: now.minus({ hours: 24 }).toUTC().toFormat("yyyy-MM-dd HH:mm:ss") };
    const [, counts] = await Promise.all([this.model.load().catch(() => void 0), Promise.all(drills(context).map((d) => countOf(this.orm, d)))]);
    const incidents = incidentCards(this.model.incidents);
    const carriers = [...new Set(incidents.map((i) => i.carrier).filter((c) => !!c))];
    const perCarrier = await Promise.all(carriers.map((c) => countOf(this.orm, drills(context, c).find((d) => d.key === "carriers.labels"))));
    this.carrierCounts = new Map(carriers.map((c, i) => [c, perCarrier[i]]));
    const areas = byArea(this.model.tiles, counts.map((c) => c.drill.area)).map((a) => {
      const mine = counts.filter((c) => c.drill.area === a.id);
      return { ...a, title: areaTitle(a.id), counts: mine, unavailable: mine.length && mine.every((c) => c.count === null) ? outOfReach(a.id) : null };
    });
    Object.assign(this.state, { areas, incidents, counts, series: this.model.series, band: this.model.band, selected: this.model.selectedSli, error: this.model.error, lastDataAt: this.model.lastDataAt, loaded: true });
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
  openDrill(drill) {
    if (typeof drill.action === "string") void this.action.doAction(drill.action, { additionalContext: drill.filters ?? {} });
    else void this.action.doAction(drill.action);
  }
  /** The incident's record in Odoo, once the backend has written it there; until then, the list behind it. */
  async openIncident(card) {
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
};
registry.category("actions").add("logistics_observability.dashboard", LogisticsDashboard);

// web_components/scorecard/scorecard.ts
import { Component as Component3, onWillStart as onWillStart2, useState as useState2 } from "@odoo/owl";
import { formatDateTime as formatDateTime2 } from "@web/core/l10n/dates";
import { _t as odooTranslate2 } from "@web/core/l10n/translation";
import { registry as registry2 } from "@web/core/registry";
import { standardActionServiceProps as standardActionServiceProps2 } from "@web/webclient/actions/action_service";

// web_components/scorecard/questions.ts
function questionText(a) {
  const text = {
    detection: () => _t("Do we detect problems before customers do?"),
    isolation: () => _t("Can we tell which layer is at fault?"),
    backups: () => _t("Are backups and restores tested?"),
    tenants: () => _t("Are tenants isolated, and is their cost visible?"),
    changes: () => _t("Are changes governed?")
  };
  return text[a.key]?.() ?? a.question;
}
function answerText(answer) {
  return { yes: _t("Yes"), partly: _t("Partly"), no: _t("No"), unknown: _t("Unknown") }[answer];
}
var ANSWER_CLASS = { yes: "text-bg-success", partly: "text-bg-warning", no: "text-bg-danger", unknown: "text-bg-secondary" };
function ordered(answers) {
  const order = ["detection", "isolation", "backups", "tenants", "changes"];
  return [...answers].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

// web_components/scorecard/scorecard.ts
var PERIODS = [30, 90];
var LogisticsScorecard = class extends Component3 {
  static template = "logistics_observability.Scorecard";
  static props = { ...standardActionServiceProps2 };
  periods = PERIODS;
  setup() {
    useTranslation(odooTranslate2);
    this.state = useState2({ days: 30, answers: [], from: "", to: "", error: null, loaded: false });
    onWillStart2(() => this.load());
  }
  async load() {
    try {
      const body = await fetchJson("scorecard", { days: String(this.state.days) });
      Object.assign(this.state, { answers: ordered(body.answers), from: body.from, to: body.to, error: null, loaded: true });
    } catch (err) {
      Object.assign(this.state, { answers: [], error: err instanceof Error ? err.message : String(err), loaded: true });
    }
  }
  async setDays(days) {
    this.state.days = days;
    await this.load();
  }
  question = questionText;
  answer = answerText;
  answerClass = (a) => ANSWER_CLASS[a.answer];
  time = (iso) => iso ? formatDateTime2(luxon.DateTime.fromISO(iso)) : "";
};
registry2.category("actions").add("logistics_observability.scorecard", LogisticsScorecard);
