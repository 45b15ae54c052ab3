import { Component, onMounted, onWillUnmount, onPatched, useRef, xml } from "@odoo/owl";
import { bandAlong, formatDuration, formatObjective, formatValue, type BandHour, type SliView } from "./format.ts";
import type { RecordRow } from "./lists.ts";
import type { AlertView, Point } from "./model.ts";

const STATUS_CLASS: Record<SliView["status"], string> = { ok: "text-bg-success", breach: "text-bg-danger", missing: "text-bg-secondary" };

/** One SLI: value, objective and a status colour; a click selects it for the trend chart. */
export class SliTile extends Component {
  static override template = xml`
    <div class="o_logistics_tile card h-100" t-att-class="{ 'border-primary': props.selected }" t-on-click="() => props.onSelect(props.tile.sli)"
         role="button" t-att-data-sli="props.tile.sli" t-att-data-status="props.tile.status">
      <div class="card-body p-2">
        <div class="d-flex justify-content-between align-items-start">
          <span class="small text-muted" t-esc="props.tile.title"/>
          <span t-attf-class="badge flex-shrink-0 ms-1 {{ statusClass }}" t-esc="props.tile.status"/>
        </div>
        <div class="fs-3 fw-bold o_logistics_value" t-esc="value"/>
        <div class="small text-muted">objective <t t-esc="objective"/></div>
        <div t-if="props.tile.budget" t-attf-class="small o_logistics_budget {{ props.tile.budgetLeft > 0.25 ? 'text-muted' : 'text-danger' }}" t-esc="props.tile.budget"/>
        <div class="small text-truncate" t-att-title="props.tile.detail" t-esc="props.tile.detail"/>
      </div>
    </div>`;
  static override props = ["tile", "selected", "onSelect"];

  get value(): string {
    return formatValue(this.props.tile.value, this.props.tile.unit);
  }
  get objective(): string {
    return formatObjective(this.props.tile);
  }
  get statusClass(): string {
    return STATUS_CLASS[this.props.tile.status as SliView["status"]];
  }
}

/** Odoo records behind a number; a click opens the native form. */
export class RecordList extends Component {
  static override template = xml`
    <div class="card h-100">
      <div class="card-header py-1 fw-bold" t-esc="props.title"/>
      <ul class="list-group list-group-flush">
        <li t-if="props.unavailable" class="list-group-item small text-muted fst-italic o_logistics_unavailable" t-esc="props.unavailable"/>
        <li t-elif="!props.rows.length" class="list-group-item small text-muted">None</li>
        <li t-foreach="props.rows" t-as="row" t-key="row.model + row.id" class="list-group-item list-group-item-action small o_logistics_record"
            role="button" t-on-click="() => props.onOpen(row)">
          <span class="fw-bold" t-esc="row.name"/> <span class="text-muted" t-esc="row.detail"/>
          <span class="float-end text-muted" t-esc="row.when"/>
        </li>
      </ul>
    </div>`;
  static override props = ["title", "rows", "onOpen", "unavailable?"];
}

const KIND_TEXT: Record<AlertView["kind"], string> = { threshold: "threshold", burn_rate: "burning its error budget", anomaly: "unusual for the hour" };

/** The alerts firing now: what is affected, how it was judged, since when; silenced or inhibited ones say so. */
export class AlertList extends Component {
  static override template = xml`
    <div class="card mb-3 o_logistics_alerts">
      <div class="card-header py-1 fw-bold">Firing alerts <span class="badge text-bg-secondary" t-esc="props.unknown ? '?' : props.alerts.length"/></div>
      <ul class="list-group list-group-flush">
        <li t-if="props.unknown" class="list-group-item small text-muted o_logistics_unknown">Unknown: without the backend, whether the service levels are within their objectives cannot be told.</li>
        <li t-elif="!props.alerts.length" class="list-group-item small text-muted">None: every service level is within its objective.</li>
        <li t-foreach="props.unknown ? [] : props.alerts" t-as="a" t-key="a.fingerprint" class="list-group-item small o_logistics_alert" t-att-data-sli="a.sli">
          <span t-attf-class="badge me-1 {{ a.severity === 'page' ? 'text-bg-danger' : 'text-bg-warning' }}" t-esc="a.severity"/>
          <span class="fw-bold" t-esc="title(a)"/> <span class="text-muted" t-esc="labels(a)"/>
          <span class="text-muted"> · <t t-esc="kind(a)"/></span>
          <span t-if="a.silencedBy" class="badge text-bg-light ms-1">silenced</span>
          <span t-if="a.inhibitedBy" class="badge text-bg-light ms-1" t-att-title="a.inhibitedBy">inhibited</span>
          <span class="float-end text-muted" t-esc="age(a)"/>
        </li>
      </ul>
    </div>`;
  static override props = ["alerts", "titles", "unknown?"];

  title(a: AlertView): string {
    return (this.props.titles as Map<string, string>).get(a.sli) ?? a.sli;
  }
  labels(a: AlertView): string {
    return Object.entries(a.labels).map(([k, v]) => `${k}: ${v}`).join(", ");
  }
  kind(a: AlertView): string {
    return KIND_TEXT[a.kind] ?? a.kind;
  }
  age(a: AlertView): string {
    return `for ${formatDuration((Date.now() - Date.parse(a.since)) / 1000)}`;
  }
}

/**
 * A line chart of one SLI over the chosen range (Chart.js from Odoo's web.chartjs_lib bundle); for a seasonal
 * SLI, the band its hour-of-week baseline expects is shaded behind the line.
 */
export class TrendChart extends Component {
  static override template = xml`<div style="height: 220px"><canvas t-ref="canvas"/></div>`;
  static override props = ["points", "label", "unit", "band?"];
  declare canvas: { el: HTMLCanvasElement | null };
  declare chart: { destroy(): void } | undefined;

  override setup(): void {
    this.canvas = useRef<HTMLCanvasElement>("canvas");
    onMounted(() => this.draw());
    onPatched(() => this.draw());
    onWillUnmount(() => this.chart?.destroy());
  }

  draw(): void {
    this.chart?.destroy();
    const points = this.props.points as Point[];
    const band = bandAlong(points, (this.props.band as BandHour[] | undefined) ?? []);
    const shade = { borderWidth: 0, pointRadius: 0, backgroundColor: "rgba(33, 111, 140, 0.12)", spanGaps: true };
    const hasBand = band.high.some((v) => v !== null);
    this.chart = new Chart(this.canvas.el!, {
      type: "line",
      data: {
        labels: points.map((p) => new Date(p.at).toLocaleString()),
        datasets: [
          { label: this.props.label, data: points.map((p) => p.value), spanGaps: false, borderColor: "#216f8c", pointRadius: 2, tension: 0.2 },
          ...(hasBand ? [{ label: "expected (low)", data: band.low, ...shade }, { label: "expected (high)", data: band.high, fill: "-1", ...shade }] : []),
        ],
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 8 } } } },
    });
  }
}

export type { RecordRow };
