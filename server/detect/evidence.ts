/**
 * What each series has been doing lately, kept from the readings of every run (no store reads): the value it had
 * while it was normal, and when its current deviation began. A signal is news only when it *left* its normal:
 * a Redis fragmentation ratio that has read 6.8 since it was first seen is not a cause of anything, while lock
 * waits going from 0 to 7 at 10:02 are. Pure: the caller feeds readings in time order.
 */
import type { Layer } from "../sli/catalog.ts";

export interface EvidenceReading {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  layer: Layer;
  at: number;
  value: number | null;
  /** Outside its objective (or its seasonal band, where the caller judged one). */
  abnormal: boolean;
  objective: number;
  better: "lower" | "higher";
}

export interface SeriesEvidence {
  tenant: string;
  sli: string;
  labels: Record<string, string>;
  layer: Layer;
  objective: number;
  better: "lower" | "higher";
  firstSeenAt: number;
  /** The last value within the objective; the first value seen while the series has never been normal. */
  normalValue: number;
  everNormal: boolean;
  value: number;
  at: number;
  abnormal: boolean;
  /** When the current deviation began; null while normal, or while it is only the series' usual oddity. */
  onset: number | null;
  /** The value at the onset: what "worse" is measured against. */
  onsetValue: number | null;
}

/**
 * A series that has been out of bounds since it was first seen becomes news only when it gets this much worse
 * (relative to the value it was first seen with): half as bad again.
 */
export const WORSENING = 0.5;

/** How much worse `value` is than `from` on the harmful side, relative to |from| (0 when better or equal). */
export function worsening(from: number, value: number, better: "lower" | "higher"): number {
  const harm = better === "lower" ? value - from : from - value;
  if (harm <= 0) return 0;
  return from === 0 ? Infinity : harm / Math.abs(from);
}

/** Advances one series by one reading. A missing reading changes nothing. */
export function observe(prev: SeriesEvidence | undefined, r: EvidenceReading): SeriesEvidence | undefined {
  if (r.value === null) return prev;
  const base = { tenant: r.tenant, sli: r.sli, labels: r.labels, layer: r.layer, objective: r.objective, better: r.better, value: r.value, at: r.at, abnormal: r.abnormal };
  if (!prev) {
    // First sight: an abnormal value is a known condition, not an onset we witnessed.
    return { ...base, firstSeenAt: r.at, normalValue: r.value, everNormal: !r.abnormal, onset: null, onsetValue: null };
  }
  if (!r.abnormal) return { ...prev, ...base, normalValue: r.value, everNormal: true, onset: null, onsetValue: null };
  if (prev.onset !== null) return { ...prev, ...base };
  if (prev.everNormal || worsening(prev.normalValue, r.value, r.better) >= WORSENING) return { ...prev, ...base, onset: r.at, onsetValue: r.value };
  return { ...prev, ...base };
}

/**
 * How far the series is from its normal, in units of the distance between its normal and its objective
 * (1 = just at the objective, 5 = five times as far out): the strength of a deviation.
 */
export function deviationStrength(e: SeriesEvidence): number {
  if (!e.everNormal && e.onset === null) {
    // Never seen normal: how far out of its objective it stands is all there is to measure.
    const harm = e.better === "lower" ? e.value - e.objective : e.objective - e.value;
    return Math.max(0, harm / (Math.abs(e.objective) || 1));
  }
  const span = Math.abs(e.objective - e.normalValue) || Math.abs(e.objective) || Math.abs(e.normalValue) || 1;
  const harm = e.better === "lower" ? e.value - e.normalValue : e.normalValue - e.value;
  return Math.max(0, harm / span);
}

/** The evidence of every series, keyed by tenant/sli/labels, with the deviating ones and the peers indexed. */
export class EvidenceBook {
  readonly #series = new Map<string, SeriesEvidence>();
  /** Only the series with an onset: what cause ranking scans, a handful among tens of thousands. */
  readonly #deviating = new Map<string, SeriesEvidence>();
  readonly #peers = new Map<string, Set<string>>();

  constructor(private readonly keyOf: (tenant: string, sli: string, labels: Record<string, string>) => string) {}

  observe(r: EvidenceReading): SeriesEvidence | undefined {
    const key = this.keyOf(r.tenant, r.sli, r.labels);
    const prev = this.#series.get(key);
    const next = observe(prev, r);
    if (!next || next === prev) return next;
    this.#series.set(key, next);
    if (next.onset !== null) this.#deviating.set(key, next);
    else this.#deviating.delete(key);
    if (!prev) {
      const peerKey = `${r.tenant}/${r.sli}`;
      let set = this.#peers.get(peerKey);
      if (!set) this.#peers.set(peerKey, (set = new Set()));
      set.add(key);
    }
    return next;
  }

  get(tenant: string, sli: string, labels: Record<string, string>): SeriesEvidence | undefined {
    return this.#series.get(this.keyOf(tenant, sli, labels));
  }

  /** Series of these tenants whose deviation has an onset: the candidates a cause is drawn from. */
  deviating(tenants: ReadonlySet<string> | null): SeriesEvidence[] {
    const out: SeriesEvidence[] = [];
    for (const e of this.#deviating.values()) if (tenants === null || tenants.has(e.tenant)) out.push(e);
    return out;
  }

  /** Every series of a tenant with this SLI (e.g. all carriers of a label SLI). */
  peers(tenant: string, sli: string): SeriesEvidence[] {
    return [...(this.#peers.get(`${tenant}/${sli}`) ?? [])].map((k) => this.#series.get(k)!);
  }

  get size(): number {
    return this.#series.size;
  }
}
