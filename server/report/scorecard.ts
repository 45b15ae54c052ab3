/**
 * The scorecard, pure: the five questions the business asks of its Odoo hosting, each answered over the last
 * N days with its figures and a verdict in plain words. "unknown" is an answer: a question the store holds no
 * evidence for is said to be unmeasured, never answered "yes".
 */
import { formatDuration } from "../sli/format.ts";
import type { Incident } from "../detect/incidents.ts";
import { symptomWords } from "./customer-symptom.ts";
import { medianOf } from "./incident-figures.ts";

export type Answer = "yes" | "partly" | "no" | "unknown";

export interface ScorecardAnswer {
  key: "detection" | "isolation" | "backups" | "tenants" | "changes";
  question: string;
  answer: Answer;
  verdict: string;
  figures: Record<string, unknown>;
}

export interface Scorecard {
  tenant: string;
  days: number;
  from: string;
  to: string;
  answers: ScorecardAnswer[];
}

export interface TenantShare {
  resource: string;
  mean: number;
  max: number;
  readings: number;
}

export interface ScorecardInput {
  tenant: string;
  days: number;
  from: number;
  to: number;
  /** Incidents opened in the period, each with its first customer-visible breach (null: none began in it). */
  incidents: ReadonlyArray<{ incident: Incident; customerSymptom: { sli: string; at: number } | null }>;
  restoreTests: { lastSuccessAt: number | null; lastFailureAt: number | null; inPeriod: number; failedInPeriod: number; objectiveSeconds: number };
  /** The tenant's shares of the database server's resources; empty when no per-database signal was sampled. */
  tenantShares: readonly TenantShare[];
  /** Deploys and module upgrades of the tenant and of the whole platform in the period. */
  deploys: ReadonlyArray<{ at: number }>;
  /** How long after a change an incident counts as following it. */
  changeWindowMs: number;
  /** The tenant's audit trail in the period, counted by category and action (absent: the addon records none). */
  audit?: ReadonlyArray<{ category: string; action: string; n: number }>;
  /** The capacity report's estimate for the tenant, when unit prices are configured. */
  monthlyCost?: { currency: string; total: number };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Do we detect before customers do? Detection is the first notification; customers see the first breach. */
function detection(input: ScorecardInput): ScorecardAnswer {
  const question = "Do we detect problems before customers do?";
  const rows = input.incidents.map(({ incident: i, customerSymptom: s }) => ({ notified: i.firstNotifiedAt, symptom: s }));
  const before = rows.filter((r) => r.notified !== null && (r.symptom === null || r.notified <= r.symptom.at)).length;
  const after = rows.filter((r) => r.symptom !== null && (r.notified === null || r.notified > r.symptom.at)).length;
  const unnoticed = rows.length - before - after;
  const leads = rows.filter((r) => r.notified !== null && r.symptom !== null).map((r) => (r.symptom!.at - r.notified!) / 1000);
  const medianLead = medianOf(leads);
  const reached = rows.filter((r) => r.symptom !== null).length;
  const bySymptom = new Map<string, number>();
  for (const r of rows) if (r.symptom) bySymptom.set(symptomWords(r.symptom.sli), (bySymptom.get(symptomWords(r.symptom.sli)) ?? 0) + 1);
  const words = [...bySymptom].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "the first customer-visible breach";
  const figures = { incidents: rows.length, detectedBeforeCustomers: before, customersFirst: after, neverNotified: unnoticed, reachedCustomers: reached, medianLeadSeconds: medianLead };
  if (before + after === 0) {
    const verdict = rows.length ? `${plural(rows.length, "incident")}, none notified (all silenced or muted): nothing to judge` : `No incident in the last ${input.days} days: nothing to judge`;
    return { key: "detection", question, answer: "unknown", verdict, figures };
  }
  let verdict = `Detected before customers: ${before} of ${before + after} incidents`;
  if (medianLead !== null) verdict += `; median ${formatDuration(Math.abs(medianLead))} ${medianLead >= 0 ? "before" : "after"} ${words}`;
  if (reached < rows.length) verdict += `; ${rows.length - reached} never reached customers`;
  return { key: "detection", question, answer: after === 0 ? "yes" : before === 0 ? "no" : "partly", verdict, figures };
}

/** Can we isolate the layer? The share of incidents whose probable cause was found, by layer. */
function isolation(input: ScorecardInput): ScorecardAnswer {
  const question = "Can we isolate the layer at fault?";
  const layers = new Map<string, number>();
  for (const { incident } of input.incidents) {
    const layer = incident.causes[0]?.layer ?? "unknown";
    layers.set(layer, (layers.get(layer) ?? 0) + 1);
  }
  const total = input.incidents.length;
  const withCause = total - (layers.get("unknown") ?? 0);
  const byLayer = Object.fromEntries([...layers].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  const figures = { incidents: total, withCause, share: total ? withCause / total : null, byLayer };
  if (!total) return { key: "isolation", question, answer: "unknown", verdict: `No incident in the last ${input.days} days: nothing to judge`, figures };
  const known = Object.entries(byLayer).filter(([l]) => l !== "unknown").map(([l, n]) => `${l} ${n}`);
  const verdict = `Probable cause found for ${withCause} of ${total} incidents (${pct(withCause / total)})${known.length ? `: ${known.join(", ")}` : ""}`;
  const share = withCause / total;
  return { key: "isolation", question, answer: share >= 0.8 ? "yes" : share > 0 ? "partly" : "no", verdict, figures };
}

/** Are backups and restores tested? The age of the last successful restore test against its objective. */
function backups(input: ScorecardInput): ScorecardAnswer {
  const question = "Are backups and restores tested?";
  const r = input.restoreTests;
  const age = r.lastSuccessAt === null ? null : Math.max(0, (input.to - r.lastSuccessAt) / 1000);
  const lastFailed = r.lastFailureAt !== null && (r.lastSuccessAt === null || r.lastFailureAt > r.lastSuccessAt);
  const figures = { lastRestoreTestAt: r.lastSuccessAt === null ? null : new Date(r.lastSuccessAt).toISOString(), ageSeconds: age, objectiveSeconds: r.objectiveSeconds, testsInPeriod: r.inPeriod, failedInPeriod: r.failedInPeriod, lastAttemptFailed: lastFailed };
  if (age === null) {
    return { key: "backups", question, answer: "no", verdict: `No successful restore test reported${lastFailed ? " (the last attempt failed)" : ""}: the backups are unproven`, figures };
  }
  let verdict = `Last successful restore test ${formatDuration(age)} ago (objective: every ${formatDuration(r.objectiveSeconds)}); ${plural(r.inPeriod, "test")} in ${input.days} days, ${r.failedInPeriod} failed`;
  if (lastFailed) verdict += "; the last attempt failed";
  return { key: "backups", question, answer: age <= r.objectiveSeconds ? (lastFailed ? "partly" : "yes") : "no", verdict, figures };
}

const RESOURCE_WORDS: Record<string, string> = { connections: "connections", active_sessions: "active sessions", lock_waits: "lock waits", statement_time: "statement time", size: "database size" };

/** Are tenants isolated, and is cost visible? The tenant's shares of the shared database, and noisy neighbours. */
function tenants(input: ScorecardInput): ScorecardAnswer {
  const question = "Are tenants isolated, and is each tenant's cost visible?";
  const noisy = input.incidents.filter(({ incident }) => incident.causes[0]?.layer === "tenant").length;
  const shares = [...input.tenantShares].sort((a, b) => a.resource.localeCompare(b.resource));
  const figures = { shares: shares.map((s) => ({ ...s })), incidentsCausedByAnotherTenant: noisy };
  if (!shares.length) {
    return { key: "tenants", question, answer: "unknown", verdict: "Not measured: no per-database PostgreSQL signals for this tenant (configure sources.postgres with its database)", figures };
  }
  const used = shares.map((s) => `${pct(s.mean)} of ${RESOURCE_WORDS[s.resource] ?? s.resource}`).join(", ");
  const peak = shares.reduce((a, b) => (b.max > a.max ? b : a));
  const cost = input.monthlyCost && input.monthlyCost.total > 0 ? `; estimated cost ${input.monthlyCost.total.toFixed(2)} ${input.monthlyCost.currency} a month` : "";
  const verdict = `${input.tenant} used on average ${used} (peak ${pct(peak.max)} of ${RESOURCE_WORDS[peak.resource] ?? peak.resource}); ${plural(noisy, "incident")} caused by another tenant${cost}`;
  return { key: "tenants", question, answer: noisy === 0 ? "yes" : "partly", verdict, figures: { ...figures, monthlyCost: input.monthlyCost ?? null } };
}

/** Are changes governed? Deploys recorded, and how many were followed by an incident. */
function changes(input: ScorecardInput): ScorecardAnswer {
  const question = "Are changes governed?";
  const deploys = [...input.deploys].sort((a, b) => a.at - b.at);
  const starts = input.incidents.map(({ incident }) => incident.firstAbnormalAt);
  const followed = (at: number) => starts.some((s) => s >= at && s <= at + input.changeWindowMs);
  const failing = deploys.filter((d) => followed(d.at)).length;
  const afterChange = input.incidents.filter(({ incident: i }) => deploys.some((d) => i.firstAbnormalAt >= d.at && i.firstAbnormalAt <= d.at + input.changeWindowMs)).length;
  const blamed = input.incidents.filter(({ incident }) => incident.causes[0]?.layer === "change").length;
  const audited = auditWords(input.audit);
  const figures = {
    deploys: deploys.length, deploysFollowedByIncident: failing, changeFailureRate: deploys.length ? failing / deploys.length : null, incidentsAfterDeploy: afterChange,
    incidentsCausedByChange: blamed, windowSeconds: input.changeWindowMs / 1000, audit: input.audit ?? null,
  };
  if (!deploys.length) {
    const verdict = `No deploy or module upgrade recorded in ${input.days} days: changes are not tracked, or none happened (POST /api/v1/events/deploy)${audited}`;
    return { key: "changes", question, answer: audited ? "partly" : "unknown", verdict, figures };
  }
  const rate = failing / deploys.length;
  const verdict = `${plural(deploys.length, "deploy or module upgrade", "deploys or module upgrades")} in ${input.days} days; ${failing} followed by an incident within ${formatDuration(input.changeWindowMs / 1000)} (${pct(rate)}); ${plural(blamed, "incident")} blamed on a change${audited}`;
  return { key: "changes", question, answer: rate <= 0.15 ? "yes" : rate <= 0.5 ? "partly" : "no", verdict, figures };
}

/** "; audit trail: 2 administrator grants, 1 API key created, …" or "" when the tenant's Odoo records none. */
function auditWords(audit: ScorecardInput["audit"]): string {
  if (!audit?.length) return "";
  const count = (category: string, action?: string) => audit.filter((a) => a.category === category && (action === undefined || a.action === action)).reduce((n, a) => n + a.n, 0);
  const parts = [
    plural(count("privilege", "granted"), "administrator grant"), plural(count("user_created"), "internal user created", "internal users created"),
    plural(count("api_key", "created"), "API key created", "API keys created"), plural(count("config") + count("module"), "configuration change"),
    plural(count("login_failed"), "failed login"),
  ];
  return `; audit trail, each with who and when: ${parts.join(", ")}`;
}

export function scorecard(input: ScorecardInput): Scorecard {
  return {
    tenant: input.tenant,
    days: input.days,
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    answers: [detection(input), isolation(input), backups(input), tenants(input), changes(input)],
  };
}
