import { Component, onMounted, onWillUnmount, onPatched, useRef, xml } from "@odoo/owl";
import { formatObjective, formatValue, type SliView } from "./format.ts";
import type { RecordRow } from "./lists.ts";
import type { Point } from "./model.ts";

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
        <li t-if="!props.rows.length" class="list-group-item small text-muted">None</li>
        <li t-foreach="props.rows" t-as="row" t-key="row.model + row.id" class="list-group-item list-group-item-action small o_logistics_record"
            role="button" t-on-click="() => props.onOpen(row)">
          <span class="fw-bold" t-esc="row.name"/> <span class="text-muted" t-esc="row.detail"/>
          <span class="float-end text-muted" t-esc="row.when"/>
        </li>
      </ul>
    </div>`;
  static override props = ["title", "rows", "onOpen"];
}

/** A line chart of one SLI over the chosen range (Chart.js from Odoo's web.chartjs_lib bundle). */
export class TrendChart extends Component {
  static override template = xml`<div style="height: 220px"><canvas t-ref="canvas"/></div>`;
  static override props = ["points", "label", "unit"];
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
    this.chart = new Chart(this.canvas.el!, {
      type: "line",
      data: {
        labels: points.map((p) => new Date(p.at).toLocaleString()),
        datasets: [{ label: this.props.label, data: points.map((p) => p.value), spanGaps: false, borderColor: "#216f8c", pointRadius: 2, tension: 0.2 }],
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 8 } } } },
    });
  }
}

export type { RecordRow };
