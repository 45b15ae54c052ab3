import { Component, onMounted, onPatched, onWillUnmount, useRef } from "@odoo/owl";
import type { DrillCount } from "./drill.ts";
import { bandAlong, formatObjective, formatValue, statusText, type BandHour, type SliView } from "./format.ts";
import type { IncidentCard as Card } from "./incidents.ts";
import type { Point } from "./model.ts";
import { _t } from "./t.ts";

// Templates live in static/src/dashboard/dashboard.xml, where Odoo's translation exporter finds their words.

const STATUS_CLASS: Record<SliView["status"], string> = { ok: "text-bg-success", breach: "text-bg-danger", missing: "text-bg-secondary" };

export type TileView = SliView & { detail: string; budget: string | null; budgetLeft: number | null };

/** One service level: value, objective and its state in words; a click opens its trend. */
export class SliTile extends Component {
  static override template = "logistics_observability.SliTile";
  static override props = ["tile", "selected", "lang", "onSelect"];

  get value(): string {
    return formatValue(this.props.tile.value, this.props.tile.unit, this.props.lang);
  }
  get objective(): string {
    return formatObjective(this.props.tile, this.props.lang);
  }
  get status(): string {
    return statusText(this.props.tile.status);
  }
  get statusClass(): string {
    return STATUS_CLASS[this.props.tile.status as SliView["status"]];
  }
}

/** What is wrong now: an open incident in plain words, how much it touches, its probable cause, what to open. */
export class IncidentCard extends Component {
  static override template = "logistics_observability.IncidentCard";
  static override props = ["card", "since", "affected", "onDrill", "onOpen"];

  get affected(): DrillCount[] {
    return (this.props.affected as DrillCount[]).filter((c) => c.count !== null);
  }
  get card(): Card {
    return this.props.card;
  }
}

/**
 * One service level over the chosen range (Chart.js from Odoo's web.chartjs_lib bundle) with its objective as a
 * dashed line and, for a seasonal one, the band its hour-of-week baseline expects shaded behind it.
 */
export class TrendChart extends Component {
  static override template = "logistics_observability.TrendChart";
  static override props = ["points", "label", "objective", "band?", "time"];
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
    const time = this.props.time as (iso: string) => string;
    this.chart = new Chart(this.canvas.el!, {
      type: "line",
      data: {
        labels: points.map((p) => time(p.at)),
        datasets: [
          { label: this.props.label, data: points.map((p) => p.value), spanGaps: false, borderColor: "#216f8c", pointRadius: 2, tension: 0.2 },
          { label: _t("Objective"), data: points.map(() => this.props.objective), borderColor: "#d9534f", borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 },
          ...(hasBand ? [{ label: _t("Expected (low)"), data: band.low, ...shade }, { label: _t("Expected (high)"), data: band.high, fill: "-1", ...shade }] : []),
        ],
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: true, position: "bottom", labels: { boxWidth: 12, filter: (item: { text: string }) => item.text !== _t("Expected (low)") } } }, scales: { x: { ticks: { maxTicksLimit: 8 } } } },
    });
  }
}
