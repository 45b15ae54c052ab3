/**
 * Rules, the first stage: one reading judged by its SLI's kind of alerting (a threshold, the SLO's burn rates, the
 * hour-of-week baseline). Pure given the SLO tracker's answers: no state changes here.
 */
import { windowLabel } from "../detect/burn-rate.ts";
import type { SeriesEvidence } from "../detect/evidence.ts";
import { alertingOf, type SliDefinition } from "../sli/catalog.ts";
import type { Sample } from "../sli/sample.ts";
import { statusOf } from "../sli/status.ts";
import type { AlertKind } from "../store/alerts.ts";
import { seriesKey, type SloTracker } from "../slo/tracker.ts";

/** One judgement of one series at one time. */
export interface Check {
  fingerprint: string;
  kind: AlertKind;
  /** undefined: no reading, nothing changes. */
  breaching: boolean | undefined;
  forSeconds: number;
  keepFiringSeconds: number;
  severity: "page" | "ticket" | null;
  objective: number;
  details: Record<string, unknown>;
}

export interface RuleOptions {
  /** How long an ambiguous threshold breach must hold before it fires. */
  forSeconds: number;
  /** One sampling interval: how long a recovered burn-rate alert keeps firing, so one good reading does not flap it. */
  intervalSeconds: number;
  anomalyThreshold: number;
}

/**
 * Gauges that count things already broken (failing jobs, failed mails, failed archiving, an invalid chain): one
 * reading is the whole evidence, so they fire without a for-duration.
 */
const UNAMBIGUOUS: ReadonlySet<string> = new Set([
  "cron_failing_jobs", "cron_stuck_jobs", "queue_job_failed", "mail_failed", "pg_wal_archive_failures", "redis_persistence_ok", "tls_chain_valid",
  "tls_leaf_expiry_days", "tls_chain_expiry_days", "backup_last_success_age_seconds", "backup_failing", "restore_test_last_success_age_seconds",
  "restore_test_failing", "restore_test_duration_of_objective_ratio",
  "security_login_bursts", "security_credential_stuffing_sources", "security_privilege_grants", "security_unusual_exporters",
]);

/**
 * Checks a person runs by hand to know whether users can work: a journey failing twice in a row pages, like the
 * monitor's own sampling; one failed run may be a blip.
 */
const PAGES_ON_SECOND_FAILURE: ReadonlySet<string> = new Set(["journey_failed_step"]);

/** Grants of administrator rights and attacks on logins: people act on them now, not next morning. */
const PAGES_AT_ONCE: ReadonlySet<string> = new Set(["security_login_bursts", "security_credential_stuffing_sources", "security_privilege_grants"]);

/**
 * A threshold waits its for-duration only while the evidence is ambiguous: a failure count, or a series that left
 * its normal by far (at least twice as far out as its objective), is already the news.
 */
export function thresholdWait(def: SliDefinition, evidence: SeriesEvidence | undefined, forSeconds: number, strength: number): number {
  if (UNAMBIGUOUS.has(def.id)) return 0;
  if (evidence?.onset != null && strength >= 2) return 0;
  return forSeconds;
}

export function checksOf(sample: Sample, def: SliDefinition, slo: SloTracker, opts: RuleOptions, evidence: SeriesEvidence | undefined, strength: number): Check[] {
  // A tenant's share is news only as the noisy neighbour of a saturated resource (a cause, in the ranking), never as
  // an alert of its own: alone on a server, or simply the largest, a tenant holds most of everything.
  if (def.id === "pg_tenant_share") return [];
  const fingerprint = seriesKey(sample.tenant, sample.sli, sample.labels);
  const objective = slo.objectives.objective(sample.tenant, def);
  const bad = sample.value === null ? undefined : statusOf(sample.value, def, objective) === "breach";
  const checks: Check[] = [];
  if (def.layer === "monitoring" || PAGES_ON_SECOND_FAILURE.has(def.id)) {
    // One failed run may be a blip; the second in a row pages, whatever the for-duration: nothing else will.
    checks.push({ fingerprint, kind: "threshold", breaching: bad, forSeconds: Math.min(opts.forSeconds, 0.8 * opts.intervalSeconds), keepFiringSeconds: 0, severity: "page", objective, details: {} });
  } else if (alertingOf(def) === "threshold") {
    const severity = PAGES_AT_ONCE.has(def.id) ? "page" : "ticket";
    checks.push({ fingerprint, kind: "threshold", breaching: bad, forSeconds: thresholdWait(def, evidence, opts.forSeconds, strength), keepFiringSeconds: 0, severity, objective, details: {} });
  } else {
    const st = slo.status(sample.tenant, sample.sli, sample.labels, sample.at.getTime());
    const rule = st?.verdict.rule;
    checks.push({
      fingerprint,
      kind: "burn_rate",
      // The budget says how bad it has been; the reading says whether it still is. A service that recovered
      // stops burning now, not when its short window has forgotten the outage.
      breaching: bad === undefined || !st ? undefined : st.verdict.severity !== null && bad,
      forSeconds: 0,
      keepFiringSeconds: opts.intervalSeconds,
      severity: st?.verdict.severity ?? null,
      objective,
      details: st
        ? {
            budgetRemaining: st.budgetRemaining,
            burnRates: st.burnRates,
            target: st.slo.target,
            windowDays: st.slo.windowSeconds / 86_400,
            rule: rule ? `${rule.factor}x over ${windowLabel(rule.longSeconds)} and ${windowLabel(rule.shortSeconds)}` : null,
          }
        : {},
    });
  }
  const seasonal = slo.seasonalStatus(sample);
  if (seasonal) {
    // Only the harmful side: a backlog far above its usual level, not a quiet hour.
    const score = def.better === "lower" ? seasonal.score : -seasonal.score;
    checks.push({
      fingerprint: `${fingerprint}/anomaly`,
      kind: "anomaly",
      breaching: score > opts.anomalyThreshold,
      forSeconds: opts.forSeconds,
      keepFiringSeconds: 0,
      severity: "ticket",
      objective: def.better === "lower" ? seasonal.band.high : seasonal.band.low,
      details: { expected: seasonal.expected, band: seasonal.band, score: seasonal.score, baseline: seasonal.baseline.source },
    });
  }
  return checks;
}

/** Age SLIs that tell how old a condition really is when it is first seen (the oldest late delivery, not the episode). */
const AGE_OF: Readonly<Record<string, string>> = {
  late_open_deliveries: "ready_backlog_oldest_age_seconds",
  on_time_delivery_ratio: "ready_backlog_oldest_age_seconds",
  delivery_avg_delay_seconds: "ready_backlog_oldest_age_seconds",
  ready_backlog: "ready_backlog_oldest_age_seconds",
  ready_backlog_oldest_age_seconds: "ready_backlog_oldest_age_seconds",
  mail_outgoing_backlog: "mail_outgoing_oldest_age_seconds",
  mail_outgoing_oldest_age_seconds: "mail_outgoing_oldest_age_seconds",
  queue_job_backlog: "queue_job_oldest_wait_seconds",
  queue_job_oldest_wait_seconds: "queue_job_oldest_wait_seconds",
  cron_max_lag_seconds: "cron_max_lag_seconds",
};

/** When a condition first seen at `at` really began, from its tenant's age readings of the same run. */
export function knownSince(sli: string, at: number, ageOf: (sli: string) => number | null): number {
  const ageSli = AGE_OF[sli];
  const age = ageSli ? ageOf(ageSli) : null;
  return age !== null && age > 0 ? at - age * 1000 : at;
}
