/**
 * Probable causes of an alert, ranked from evidence: pure. Candidates are signals that left their normal (see
 * evidence.ts), deploys and module changes, and the symptom's own integration (a carrier's label service, the
 * mail server). The model (cause-model.ts) keeps only what can reach the symptom; each is scored by onset order
 * (a cause starts before or with its symptom), strength of its deviation, distance in the model and, for
 * changes, recency. Output: the top three with evidence a person can check, or [] for "unknown".
 */
import { changeEdge, edge, isInert, LABEL_SLIS, noisyNeighbour, SATURATION_OF, WORKLOAD_SLIS, type CauseLayer, type Edge, type Symptom, type Topology } from "./cause-model.ts";
import { deviationStrength, type SeriesEvidence } from "./evidence.ts";
import { formatDuration } from "../sli/format.ts";

export interface RankedCause {
  rank: number;
  layer: CauseLayer;
  /** What is to blame, in a few words: "the DHL Express label service", "row locks in acme's database". */
  subject: string;
  /** Why, in words a person can check: "lock waits 0 -> 7 from 10:02 UTC, 40 s before late waves". */
  evidence: string;
  /** Share of the weight of evidence this cause carries among the candidates (0..1). */
  confidence: number;
  signal: { tenant: string; sli: string; labels: Record<string, string> } | null;
  /** Identity of the cause across rounds: a ranking changes only when these do. */
  key: string;
  score: number;
  /** When the cause began (its deviation's onset, the deploy's time). */
  onset: number;
}

export interface DeployMarker {
  tenant: string | null;
  at: number;
  text: string;
}

export interface CauseContext {
  topology: Topology;
  /** Deviating series of the symptom's tenant and of shared infrastructure (and the other tenants' shares). */
  deviating: readonly SeriesEvidence[];
  /** Every series of the symptom's SLI in its tenant (its carrier peers). */
  peers: readonly SeriesEvidence[];
  deploys: readonly DeployMarker[];
  /** Titles and value formatting, from the catalogue. */
  describe: (sli: string) => { title: string; format: (v: number) => string };
  /** One sampling interval: what "at the same time" means. */
  toleranceMs: number;
}

export interface SymptomInfo extends Symptom {
  /** When the symptom's own deviation began (its evidence onset, else the alert's start). */
  onset: number;
  evidence?: SeriesEvidence;
}

/** A change counts as a suspect for this long before the symptom's onset. */
export const CHANGE_WINDOW_MS = 60 * 60_000;
const PRIOR: Record<CauseLayer, number> = {
  change: 1, tenant: 0.95, database: 0.9, integration: 0.85, cache: 0.8, host: 0.8, application: 0.8, ingress: 0.6, business: 0.5,
  tls: 0.5, backup: 0.5, security: 0.5, capacity: 0.8, monitoring: 0.5,
};
const DISTANCE = [1, 0.9, 0.6] as const;
/** Business gauges that count failures of the application's own jobs. */
const FAILURE_COUNTS: ReadonlySet<string> = new Set(["cron_failing_jobs", "cron_stuck_jobs", "queue_job_failed"]);

const hhmm = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

function lead(causeAt: number, symptomAt: number, what: string, toleranceMs: number): string {
  const d = symptomAt - causeAt;
  if (Math.abs(d) <= Math.min(toleranceMs, 30_000)) return `at the same time as ${what}`;
  const text = formatDuration(Math.abs(d) / 1000);
  return d > 0 ? `${text} before ${what}` : `${text} after ${what}`;
}

/** Onset order: a cause seen well after its symptom is no cause; one long before it fades. */
function onsetFactor(causeAt: number, symptomAt: number, toleranceMs: number): number | null {
  const leadMs = symptomAt - causeAt;
  if (leadMs < -toleranceMs) return null;
  if (leadMs <= 15 * 60_000) return 1;
  return Math.max(0.2, Math.exp(-(leadMs - 15 * 60_000) / 3_600_000));
}

const strength01 = (s: number) => Math.min(1, Math.log2(1 + s) / Math.log2(9));

const labelText = (labels: Record<string, string>) => {
  const l = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(", ");
  return l ? ` (${l})` : "";
};

function seriesCause(e: SeriesEvidence, link: Edge, s: SymptomInfo, ctx: CauseContext, symptomTitle: string): RankedCause | null {
  const onset = onsetFactor(e.onset!, s.onset, ctx.toleranceMs);
  if (onset === null) return null;
  const { title, format } = ctx.describe(e.sli);
  const score = PRIOR[link.layer] * DISTANCE[link.distance] * (0.5 + 0.5 * strength01(deviationStrength(e))) * onset;
  const where = e.tenant === "global" ? "" : e.tenant === s.tenant ? "" : ` of ${e.tenant}`;
  return {
    rank: 0,
    layer: link.layer,
    subject: `${title}${labelText(e.labels)}${where}`,
    evidence: `${title}${labelText(e.labels)}${where} ${format(e.normalValue)} -> ${format(e.value)} from ${hhmm(e.onset!)}, ${lead(e.onset!, s.onset, symptomTitle, ctx.toleranceMs)}`,
    confidence: 0,
    signal: { tenant: e.tenant, sli: e.sli, labels: e.labels },
    key: `${link.layer}:${e.tenant}/${e.sli}/${Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(",")}`,
    score,
    onset: e.onset!,
  };
}

/** The symptom's own integration: a carrier's label service, the outgoing mail server. */
function integrationCause(s: SymptomInfo, ctx: CauseContext, symptomTitle: string): RankedCause | null {
  const e = s.evidence;
  // A condition that stood when first sampled has no witnessed onset: its own service is still the suspect.
  const onset = e?.onset ?? (e?.abnormal ? e.firstSeenAt : null);
  if (!e || onset === null) return null;
  const { format } = ctx.describe(s.sli);
  const change = e.onset !== null ? `${format(e.normalValue)} -> ${format(e.value)} from ${hhmm(onset)}` : `${format(e.value)} since first sampled at ${hhmm(onset)}`;
  if (LABEL_SLIS.has(s.sli) && s.labels.carrier) {
    const withData = ctx.peers.filter((p) => p.labels.carrier !== s.labels.carrier);
    const alsoFailing = withData.filter((p) => (p.onset ?? (p.abnormal ? p.firstSeenAt : null)) !== null && Math.abs((p.onset ?? p.firstSeenAt) - onset) <= 2 * ctx.toleranceMs);
    // Every carrier failing at once points at what they share (a change, the network), not at each service.
    const common = withData.length > 0 && alsoFailing.length === withData.length;
    const peersText = withData.length === 0 ? "" : common ? ", and every other carrier began failing with it" : `, while ${withData.length - alsoFailing.length} other carrier${withData.length - alsoFailing.length === 1 ? " prints" : "s print"} normally`;
    return {
      rank: 0,
      layer: "integration",
      subject: `the ${s.labels.carrier} label service`,
      evidence: `${s.labels.carrier} ${symptomTitle.toLowerCase()} ${change}${peersText}`,
      confidence: 0,
      signal: { tenant: s.tenant, sli: s.sli, labels: s.labels },
      key: `integration:${s.tenant}/carrier=${s.labels.carrier}`,
      score: PRIOR.integration * (common ? 0.45 : 1) * (0.5 + 0.5 * strength01(deviationStrength(e))),
      onset,
    };
  }
  if (s.sli === "mail_failed") {
    return {
      rank: 0, layer: "integration", subject: "the outgoing mail server",
      evidence: `failed mails ${change}${labelText(s.labels)}`,
      confidence: 0, signal: { tenant: s.tenant, sli: s.sli, labels: s.labels }, key: `integration:${s.tenant}/mail`, score: PRIOR.integration, onset,
    };
  }
  // A standing infrastructure condition (a limit set too low, a self-signed chain) is its own layer's problem; a
  // standing business one is explained only by what changed, which nobody saw.
  if (e.onset === null) return s.layer !== "business" && !isInert(s.sli) ? selfCause(s, e, onset, ctx, symptomTitle) : null;
  if (WORKLOAD_SLIS.has(s.sli)) {
    // A volume that surged with nothing else abnormal: the work itself.
    return {
      rank: 0, layer: "business", subject: "a surge of work", evidence: `${symptomTitle} ${format(e.normalValue)} -> ${format(e.value)} from ${hhmm(e.onset)} with no slower layer underneath`,
      confidence: 0, signal: { tenant: s.tenant, sli: s.sli, labels: s.labels }, key: `business:${s.tenant}/${s.sli}/surge`, score: PRIOR.business * 0.6, onset: e.onset,
    };
  }
  if (FAILURE_COUNTS.has(s.sli)) {
    // Jobs that fail are their own first suspect: the code they run, or what it calls.
    return {
      rank: 0, layer: "application", subject: `${symptomTitle.toLowerCase()}${labelText(s.labels)}`, evidence: `${symptomTitle}${labelText(s.labels)} ${format(e.normalValue)} -> ${format(e.value)} from ${hhmm(e.onset)}`,
      confidence: 0, signal: { tenant: s.tenant, sli: s.sli, labels: s.labels }, key: `application:${s.tenant}/${s.sli}/${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(",")}`,
      score: 0.45 * (0.5 + 0.5 * strength01(deviationStrength(e))), onset: e.onset,
    };
  }
  return s.layer !== "business" ? selfCause(s, e, onset, ctx, symptomTitle) : null;
}

/** An infrastructure signal nothing else explains is its own layer's problem. */
function selfCause(s: SymptomInfo, e: SeriesEvidence, onset: number, ctx: CauseContext, symptomTitle: string): RankedCause {
  const { format } = ctx.describe(s.sli);
  const what = `${symptomTitle}${labelText(s.labels)}`;
  const change = e.onset !== null ? `${format(e.normalValue)} -> ${format(e.value)} from ${hhmm(onset)}` : `${format(e.value)} since first sampled at ${hhmm(onset)}`;
  return {
    rank: 0, layer: s.layer, subject: what, evidence: `${what} ${change}`, confidence: 0, signal: { tenant: s.tenant, sli: s.sli, labels: s.labels },
    key: `${s.layer}:${s.tenant}/${s.sli}/${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(",")}`, score: 0.45 * (0.5 + 0.5 * strength01(deviationStrength(e))), onset,
  };
}

function changeCause(d: DeployMarker, s: SymptomInfo, ctx: CauseContext, symptomTitle: string): RankedCause | null {
  const link = changeEdge(d.tenant, s);
  const leadMs = s.onset - d.at;
  if (!link || leadMs > CHANGE_WINDOW_MS || leadMs < -ctx.toleranceMs) return null;
  const recency = leadMs <= 15 * 60_000 ? 1 : Math.exp(-(leadMs - 15 * 60_000) / (30 * 60_000));
  return {
    rank: 0, layer: "change", subject: `the change ${d.text}`,
    evidence: `deploy ${d.text}${d.tenant ? ` on ${d.tenant}` : ""} at ${hhmm(d.at)}, ${lead(d.at, s.onset, symptomTitle, ctx.toleranceMs)}`,
    confidence: 0, signal: null, key: `change:${d.tenant ?? "global"}@${d.at}`, score: PRIOR.change * DISTANCE[link.distance] * recency, onset: d.at,
  };
}

/** Ranks the probable causes of a symptom: at most three, best first; [] when nothing qualifies. */
export function rankCauses(s: SymptomInfo, ctx: CauseContext): RankedCause[] {
  const symptomTitle = ctx.describe(s.sli).title;
  const found: RankedCause[] = [];
  const saturated = new Set<string>();
  for (const [resource, slis] of Object.entries(SATURATION_OF)) {
    if (ctx.deviating.some((e) => e.tenant === "global" || e.tenant === s.tenant ? slis.includes(e.sli) : false)) saturated.add(resource);
  }
  for (const e of ctx.deviating) {
    if (e.tenant === s.tenant && e.sli === s.sli && sameLabels(e.labels, s.labels)) continue;
    const link = e.sli === "pg_tenant_share" ? noisyNeighbour(e, s, saturated) : edge(e, s, ctx.topology);
    if (!link) continue;
    const c = seriesCause(e, link, s, ctx, symptomTitle);
    if (c && link.layer === "integration" && e.sli === "mail_failed") {
      // Failed mails name the server that refuses them: the same cause as the failures' own incident.
      c.subject = "the outgoing mail server";
      c.key = `integration:${e.tenant}/mail`;
    }
    if (c && link.layer === "tenant") {
      c.subject = `${e.tenant}, taking ${Math.round(e.value * 100)}% of the database's ${e.labels.resource ?? "resources"}`;
      c.key = `tenant:${e.tenant}/${e.labels.resource ?? ""}`;
    }
    if (c) found.push(c);
  }
  for (const d of ctx.deploys) {
    const c = changeCause(d, s, ctx, symptomTitle);
    if (c) found.push(c);
  }
  const own = integrationCause(s, ctx, symptomTitle);
  if (own) found.push(own);
  const best = new Map<string, RankedCause>();
  // One per key, and one per subject: the same module upgrade reported by several markers is one change to a person.
  for (const c of found) if ((best.get(c.key)?.score ?? -1) < c.score) best.set(c.key, c);
  for (const [key, c] of best) if ([...best.values()].some((o) => o !== c && o.subject === c.subject && (o.score > c.score || (o.score === c.score && o.key < c.key)))) best.delete(key);
  const top = [...best.values()].sort((a, b) => b.score - a.score || a.key.localeCompare(b.key)).slice(0, 3);
  const total = Math.max(1, top.reduce((n, c) => n + c.score, 0));
  return top.map((c, i) => ({ ...c, rank: i + 1, confidence: Math.round((c.score / total) * 100) / 100 }));
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * Keeps a ranking stable: the previous first cause stays first while it is still a candidate and no other cause
 * beats it by a clear margin, so that the cause changes only when the evidence does.
 */
export function stabilize(prev: readonly RankedCause[], next: readonly RankedCause[], margin = 0.15): RankedCause[] {
  // Evidence that faded (the cause recovered first, its onset cleared) does not unexplain what happened.
  if (!next.length) return [...prev];
  const first = prev[0];
  if (!first || !next.length || next[0]!.key === first.key) return [...next];
  const kept = next.find((c) => c.key === first.key);
  if (!kept || next[0]!.score > kept.score + margin) return [...next];
  const reordered = [kept, ...next.filter((c) => c.key !== first.key)];
  return reordered.map((c, i) => ({ ...c, rank: i + 1 }));
}
