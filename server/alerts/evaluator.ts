import { step } from "../detect/lifecycle.ts";
import { inhibitedBy, silenceMatches, type FailingSource, type Silence } from "../detect/silence.ts";
import { windowLabel } from "../detect/burn-rate.ts";
import { probableCause, type Signal } from "../detect/cause.ts";
import type { RunReport } from "../collectors/report.ts";
import { alertingOf, sliDefinition, type SliDefinition } from "../sli/catalog.ts";
import type { Sample } from "../sli/sample.ts";
import { statusOf } from "../sli/status.ts";
import type { AlertKind, AlertRecord } from "../store/alerts.ts";
import type { Store } from "../store/store.ts";
import type { Outbox } from "../store/outbox.ts";
import { notificationText, odooNotification, type NotifyTransition } from "./notification.ts";
import { seriesKey, type SloTracker } from "../slo/tracker.ts";

export interface AlertOptions {
  /** How long a threshold or an anomaly must hold before its alert fires (burn rates carry their own windows). */
  forSeconds: number;
  /** Operations addresses: SMTP notifications of tenants without an Odoo to deliver them. */
  recipients: readonly string[];
  /** A firing alert is notified again after this long; 0 never. */
  repeatMinutes: number;
  /** Robust deviations from the hour-of-week baseline that make an anomaly. */
  anomalyThreshold: number;
  /** Odoo when the tenant's addon records and mails alerts itself, else direct SMTP. */
  channelOf: (tenant: string) => "odoo" | "smtp";
  dashboardUrl?: (tenant: string) => string | undefined;
}

/** One judgement of one series at one time. */
interface Check {
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

const SEVERITY_RANK = { ticket: 1, page: 2 } as const;

/**
 * A burn rate hovering at its factor would fire and resolve every few minutes, each time a new episode: the
 * alert resolves only after its rules have been quiet this long.
 */
const BURN_KEEP_FIRING_SECONDS = 10 * 60;

/**
 * Evaluated after each collector run: every reading is judged by its SLI's kind of alerting (threshold with a
 * for-duration, or multi-window burn rates of its SLO) and, for seasonal SLIs, against its hour-of-week
 * baseline. Each judgement moves one alert through the pure lifecycle; the state is kept in the store (a restart
 * resumes it) and every notification is written to the outbox before anything is sent.
 */
export class AlertEvaluator {
  constructor(
    private readonly store: Store,
    private readonly slo: SloTracker,
    private readonly options: AlertOptions,
    /** Collectors whose last run failed (the runner's health): what inhibition reasons from. */
    private readonly failing: () => FailingSource[] = () => [],
  ) {}

  async evaluate(report: RunReport): Promise<void> {
    const now = report.finishedAt;
    await this.announceExpiredSilences(now);
    await this.slo.observe(report.samples);
    const silences = await this.store.silences.active(now);
    const failing = this.failing();
    const known = new Map<string, AlertRecord>();
    for (const t of new Set(report.samples.map((s) => s.tenant))) for (const a of await this.store.alerts.list({ tenant: t })) known.set(a.fingerprint, a);
    const touched = new Set<string>();
    let signals: Promise<Signal[]> | undefined;
    const context = { silences, failing, now, signals: () => (signals ??= this.signals()) };
    for (const sample of report.samples) {
      const def = sliDefinition(sample.sli);
      if (!def) continue;
      for (const check of this.checks(sample, def)) {
        touched.add(check.fingerprint);
        await this.apply(check, sample, def, known.get(check.fingerprint), context);
      }
    }
    // Series this run did not report (a carrier's label set after a failed run) keep their state, but their
    // silence and inhibition follow the present.
    for (const a of known.values()) {
      if (touched.has(a.fingerprint)) continue;
      const identity = { ...a, layer: sliDefinition(a.sli)?.layer ?? "business" };
      const silencedBy = silences.find((s) => silenceMatches(s, identity, now.getTime()))?.id ?? null;
      const inhibited = inhibitedBy(identity, failing);
      if (silencedBy !== a.silencedBy || inhibited !== a.inhibitedBy) await this.store.alerts.setMuting(a.fingerprint, silencedBy, inhibited);
    }
  }

  private checks(sample: Sample, def: SliDefinition): Check[] {
    const fingerprint = seriesKey(sample.tenant, sample.sli, sample.labels);
    const objective = this.slo.objectives.objective(sample.tenant, def);
    const checks: Check[] = [];
    if (alertingOf(def) === "threshold") {
      const breaching = sample.value === null ? undefined : statusOf(sample.value, def, objective) === "breach";
      checks.push({ fingerprint, kind: "threshold", breaching, forSeconds: this.options.forSeconds, keepFiringSeconds: 0, severity: "ticket", objective, details: {} });
    } else {
      const st = this.slo.status(sample.tenant, sample.sli, sample.labels, sample.at.getTime());
      const rule = st?.verdict.rule;
      checks.push({
        fingerprint,
        kind: "burn_rate",
        breaching: sample.value === null || !st ? undefined : st.verdict.severity !== null,
        forSeconds: 0,
        keepFiringSeconds: BURN_KEEP_FIRING_SECONDS,
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
    const seasonal = this.slo.seasonalStatus(sample);
    if (seasonal) {
      // Only the harmful side: a backlog far above its usual level, not a quiet hour.
      const score = def.better === "lower" ? seasonal.score : -seasonal.score;
      checks.push({
        fingerprint: `${fingerprint}/anomaly`,
        kind: "anomaly",
        breaching: score > this.options.anomalyThreshold,
        forSeconds: this.options.forSeconds,
        keepFiringSeconds: 0,
        severity: "ticket",
        objective: def.better === "lower" ? seasonal.band.high : seasonal.band.low,
        details: { expected: seasonal.expected, band: seasonal.band, score: seasonal.score, baseline: seasonal.baseline.source },
      });
    }
    return checks;
  }

  /** Every latest reading judged against its objective: the evidence probable causes are drawn from. */
  private async signals(): Promise<Signal[]> {
    return (await this.store.latest()).flatMap((s) => {
      const def = sliDefinition(s.sli);
      if (!def) return [];
      const breaching = s.value !== null && statusOf(s.value, def, this.slo.objectives.objective(s.tenant, def)) === "breach";
      return [{ tenant: s.tenant, sli: s.sli, title: def.title, labels: s.labels, layer: def.layer ?? "business", value: s.value, breaching }];
    });
  }

  private async apply(
    check: Check,
    sample: Sample,
    def: SliDefinition,
    prev: AlertRecord | undefined,
    { silences, failing, now, signals }: { silences: Silence[]; failing: FailingSource[]; now: Date; signals: () => Promise<Signal[]> },
  ): Promise<void> {
    const at = sample.at.getTime();
    const { status, transition } = step(prev, check.breaching, at, check.forSeconds, check.keepFiringSeconds);
    if (!status) {
      if (prev) await this.store.alerts.remove(check.fingerprint);
      return;
    }
    const identity = { tenant: sample.tenant, sli: sample.sli, labels: sample.labels, layer: def.layer ?? "business" };
    const active = prev && prev.state !== "resolved" && transition !== "fired";
    const severity = check.severity ?? (active ? prev.severity : "ticket");
    const record: AlertRecord = {
      ...status,
      fingerprint: check.fingerprint,
      kind: check.kind,
      tenant: sample.tenant,
      sli: sample.sli,
      labels: sample.labels,
      severity: status.state === "resolved" && prev ? prev.severity : severity,
      value: sample.value ?? prev?.value ?? null,
      objective: check.objective,
      details: check.breaching === undefined && prev ? prev.details : check.details,
      silencedBy: silences.find((s) => silenceMatches(s, identity, now.getTime()))?.id ?? null,
      inhibitedBy: inhibitedBy(identity, failing),
      lastNotifiedAt: transition === "fired" ? null : (prev?.lastNotifiedAt ?? null),
      repeats: transition === "fired" ? 0 : (prev?.repeats ?? 0),
    };
    if (status.state === "firing" && (def.layer ?? "business") === "business" && check.breaching) {
      record.details = { ...record.details, probableCause: probableCause(record, await signals()) };
    }
    const escalated = status.state === "firing" && !transition && prev?.state === "firing" && SEVERITY_RANK[severity] > SEVERITY_RANK[prev.severity];
    const due = this.options.repeatMinutes > 0 && status.state === "firing" && !transition && !escalated && at - (record.lastNotifiedAt ?? record.firedAt ?? at) >= this.options.repeatMinutes * 60_000;
    // Fired while silenced or inhibited: announced once the muting ends, not at the next repeat.
    const unannounced = status.state === "firing" && !transition && record.lastNotifiedAt === null;
    const notify: NotifyTransition | null =
      transition === "fired" || escalated || unannounced ? "fired" : transition === "resolved" ? (record.lastNotifiedAt !== null ? "resolved" : null) : due ? "repeat" : null;
    // Silenced or inhibited: the state moves on, the notification is not written. The notification and the state
    // that records it commit together, so that a failure cannot write one without the other.
    await this.store.atomically(async ({ alerts, outbox }) => {
      if (notify && record.silencedBy === null && record.inhibitedBy === null) {
        if (notify === "repeat") record.repeats++;
        await this.enqueue(outbox, record, notify, def);
        if (notify !== "resolved") record.lastNotifiedAt = at;
      }
      await alerts.upsert(record, now);
    });
  }

  private async enqueue(outbox: Outbox, a: AlertRecord, transition: NotifyTransition, def: SliDefinition): Promise<void> {
    const { subject, body } = notificationText(a, transition, def, this.options.dashboardUrl?.(a.tenant));
    const episode = `${a.fingerprint}/${a.since}/${transition}${transition === "fired" ? `/${a.severity}` : transition === "repeat" ? `/${a.repeats}` : ""}`;
    if (this.options.channelOf(a.tenant) === "odoo") {
      const key = `${episode}/odoo`;
      // The text goes along: it is what the SMTP fallback sends if Odoo cannot be reached.
      const payload = { notification: odooNotification(a, transition, def, key), text: body };
      // The episode is the group: its notifications reach Odoo in order.
      await outbox.enqueue({ idempotencyKey: key, channel: "odoo", recipient: a.tenant, subject, body: JSON.stringify(payload), groupKey: `${a.fingerprint}@${a.since}` });
      return;
    }
    for (const recipient of this.options.recipients) {
      await outbox.enqueue({ idempotencyKey: `${episode}/${recipient}`, channel: "smtp", recipient, subject, body, groupKey: `${a.tenant}/${def.layer ?? "business"}` });
    }
  }

  /** A silence that ended is announced once, so that nobody believes alerts are still muted. */
  private async announceExpiredSilences(now: Date): Promise<void> {
    for (const s of await this.store.silences.takeExpired(now)) {
      const matchers = Object.entries(s.matchers).map(([k, v]) => `${k}=${v}`).join(", ");
      for (const recipient of this.options.recipients) {
        await this.store.outbox.enqueue({
          idempotencyKey: `silence/${s.id}/expired/${recipient}`,
          channel: "smtp",
          recipient,
          subject: `[NOTICE] silence ended: ${matchers}`,
          body: `The silence by ${s.creator} (${s.comment}) ended at ${new Date(s.endsAt).toISOString()}; alerts matching ${matchers} notify again.`,
          groupKey: "notice",
        });
      }
    }
  }
}
