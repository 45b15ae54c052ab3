/**
 * A gauge family kept as rendered text, one chunk per owner of its series (a tenant's collector run, a tenant's
 * SLO ledgers). A run re-renders only its own chunks when it lands; a scrape only joins the chunks, so a scrape
 * costs a string join whatever the number of series, and the formatting is paid once per sampling cycle.
 * Names and label names are checked when the family is made, as prom-client does, so a mistake fails at start.
 */

import { Registry } from "prom-client";
import type { RunReport } from "../collectors/report.ts";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export type Labels = Readonly<Record<string, string>>;

/** Prometheus text format 0.0.4: backslash, double quote and line feed are escaped in label values. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

export class GaugeFamily {
  readonly #header: string;
  readonly #labelNames: ReadonlySet<string>;
  readonly #chunks = new Map<string, string>();

  constructor(
    readonly name: string,
    help: string,
    labelNames: readonly string[],
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name: ${name}`);
    for (const l of labelNames) if (!LABEL_NAME.test(l) || l.startsWith("__")) throw new Error(`invalid label name ${l} of ${name}`);
    this.#labelNames = new Set(labelNames);
    this.#header = `# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n# TYPE ${name} gauge\n`;
  }

  /**
   * One series line. Empty label values are left out: Prometheus reads `carrier=""` as no carrier label, so
   * writing it only costs bytes and makes two spellings of one series.
   */
  line(labels: Labels, value: number): string {
    let text = this.name;
    let first = true;
    for (const k in labels) {
      const v = labels[k]!;
      if (!this.#labelNames.has(k)) throw new Error(`${this.name}: label ${k} not declared`);
      if (v === "") continue;
      text += `${first ? "{" : ","}${k}="${escapeLabelValue(v)}"`;
      first = false;
    }
    return `${text}${first ? "" : "}"} ${formatValue(value)}\n`;
  }

  /** Replaces the series `owner` holds (an empty text drops them). */
  set(owner: string, text: string): void {
    if (text) this.#chunks.set(owner, text);
    else this.#chunks.delete(owner);
  }

  /** Replaces the series of `owner` with these. */
  setSeries(owner: string, series: Iterable<readonly [Labels, number]>): void {
    let text = "";
    for (const [labels, value] of series) text += this.line(labels, value);
    this.set(owner, text);
  }

  /** HELP, TYPE and every chunk, or those of the owners `exported` keeps. */
  render(exported?: (owner: string) => boolean): string {
    let text = this.#header;
    for (const [owner, chunk] of this.#chunks) if (!exported || exported(owner)) text += chunk;
    return text;
  }
}

/**
 * The backend's registry: prom-client's metrics (the process' own, rendered at scrape) followed by the gauge
 * families above, and the hooks that re-render a family's chunks once a run has been judged (SLO ledgers and
 * alert states change then, not when Prometheus scrapes).
 */
export class ExpositionRegistry extends Registry {
  readonly #families: Array<{ family: GaugeFamily; exported?: (owner: string) => boolean }> = [];
  readonly #afterJudgement: Array<(report: RunReport) => Promise<void>> = [];

  /** A new family; `exported` filters its owners at scrape (the tenants this instance holds). */
  family(name: string, help: string, labelNames: readonly string[], exported?: (owner: string) => boolean): GaugeFamily {
    if (this.getSingleMetric(name) || this.#families.some((f) => f.family.name === name)) throw new Error(`metric ${name} registered twice`);
    const family = new GaugeFamily(name, help, labelNames);
    this.#families.push({ family, exported });
    return family;
  }

  afterJudgement(refresh: (report: RunReport) => Promise<void>): void {
    this.#afterJudgement.push(refresh);
  }

  /** Called once the alert evaluation of a run is done. */
  async judged(report: RunReport): Promise<void> {
    for (const refresh of this.#afterJudgement) await refresh(report);
  }

  override async metrics(): Promise<string> {
    let text = await super.metrics();
    for (const { family, exported } of this.#families) text += `\n${family.render(exported)}`;
    return text;
  }
}
