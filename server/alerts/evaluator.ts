import { step } from "../detect/lifecycle.ts";
import { inhibitedBy, silenceMatches, type FailingSource, type Silence } from "../detect/silence.ts";
import { deviationStrength, EvidenceBook, worsening, type SeriesEvidence } from "../detect/evidence.ts";
import { CHANGE_WINDOW_MS, rankCauses, stabilize, type DeployMarker, type RankedCause } from "../detect/rank-causes.ts";
import { advance, decide, told, type AlertUpdate, type Incident, type IncidentAlert } from "../detect/incidents.ts";
import type { RunReport } from "../collectors/report.ts";
import { sliDefinition, type SliDefinition } from "../sli/catalog.ts";
import type { Sample } from "../sli/sample.ts";
import { statusOf } from "../sli/status.ts";
import type { AlertRecord } from "../store/alerts.ts";
import type { Store } from "../store/store.ts";
import type { Outbox, OutboxMessage } from "../store/outbox.ts";
import { seriesKey, type SloTracker } from "../slo/tracker.ts";
import { checksOf, knownSince, type Check } from "./rules.ts";
import { alertFacts, formatValue, notificationText, odooNotification } from "./notification.ts";
import { incidentBody, incidentRef, incidentSubject, odooIncidentNotification, redactTenants } from "./incident-text.ts";
import { ALERT_MODEL, INCIDENT_MODEL } from "../notify/odoo.ts";
import { enqueueAlertmanager, enqueueWebhooks, webhookPayload, type OutputOptions } from "./outputs.ts";

export interface AlertOptions {
  /** How long an ambiguous threshold breach or an anomaly must hold before its alert fires. */
  forSeconds: number;
  /** The sampling interval: recovery and missing readings are judged in intervals. */
  intervalSeconds?: number;
  /** Operations addresses: SMTP notifications of tenants without an Odoo to deliver them. */
  recipients: readonly string[];
  /** An open incident is notified again after this long; 0 never. */
  repeatMinutes: number;
  /** Robust deviations from the hour-of-week baseline that make an anomaly. */
  anomalyThreshold: number;
  /** Odoo when the tenant's addon records and mails incidents itself, else direct SMTP. */
  channelOf: (tenant: string) => "odoo" | "smtp";
  dashboardUrl?: (tenant: string) => string | undefined;
  /** The operations addresses' time zone, for the times in their emails. */
  timeZone?: string;
  /** Tenants whose Odoo uses the monitored Redis: Redis explains nothing of the others. */
  redisTenants?: readonly string[];
  /** Every configured tenant: their names are kept out of each other's notifications. */
  tenants?: readonly string[];
  /** Alertmanager (every firing alert) and signed webhooks (every incident notification). */
  outputs?: OutputOptions;
}

/** One alert after this round's judgement, before it is written. */
interface AlertChange {
  record: AlertRecord;
  prev: AlertRecord | undefined;
  def: SliDefinition;
  transition: AlertUpdate["transition"];
  evidence: SeriesEvidence | undefined;
}

const SEVERITY_RANK = { ticket: 1, page: 2 } as const;
/** A firing alert is news again when it is twice as bad as when people were last told (noise is not). */
const WORSE_AGAIN = 1;
/** Deploy and backup events are read at most this often (one small query), not once per report. */
const EVENTS_TTL_MS = 30_000;

/**
 * The alerting pipeline after each collector run, as stages: evidence (every reading, kept in memory) -> rules
 * -> lifecycle -> mute -> causes -> incidents -> decide -> outbox. The stages are pure (rules.ts, detect/*);
 * this class only feeds them and writes what they decide: alert and incident state and the notifications they
 * write commit in one transaction, and a restart resumes from the store.
 */
/** How long a quiet collector is trusted to have no alert before the store is asked again. */
const QUIET_RECHECK_MS = 10 * 60_000;

export class AlertEvaluator {
  /** What each series has been doing: the candidates of cause ranking, from the readings of every run. */
  readonly evidence = new EvidenceBook(seriesKey);
  #open: Map<string, Incident> | undefined;
  #events: { at: number; deploys: DeployMarker[]; backups: Array<{ at: number; text: string }> } | undefined;
  readonly #intervalMs: number;
  /** Collectors (tenant/source) whose runs are quiet with no alert of their own, until when that is trusted. */
  readonly #quiet = new Map<string, number>();
  /** Notifications written so far: the delivery runs a pass when this grows, not on every evaluation. */
  enqueued = 0;

  constructor(
    private readonly store: Store,
    private readonly slo: SloTracker,
    private readonly options: AlertOptions,
    /** Collectors whose last run failed (the runner's health): what inhibition reasons from. */
    private readonly failing: () => FailingSource[] = () => [],
  ) {
    this.#intervalMs = (options.intervalSeconds ?? 60) * 1000;
  }

  async evaluate(report: RunReport): Promise<void> {
    const now = report.finishedAt;
    const ages = this.observeEvidence(report);
    // A run with nothing but missing readings and a healthy sampling_up, and no alert of its own, can change nothing:
    // a tenant without the addon's audit trail, a capacity source not configured. Known quiet, it costs no query.
    const silent = report.samples.every((s) => s.value === null || (s.sli === "sampling_up" && s.value === 1));
    const quietKey = `${report.tenant}/${report.source}`;
    if (!silent) this.#quiet.delete(quietKey);
    else if ((this.#quiet.get(quietKey) ?? 0) > now.getTime()) return;
    const known = new Map<string, AlertRecord>();
    for (const a of await this.store.alerts.ofTenants([...new Set(report.samples.map((s) => s.tenant))])) known.set(a.fingerprint, a);
    if (silent && ![...known.values()].some((a) => a.details.source === report.source)) {
      // Asked again after a while: another instance may have judged this source meanwhile (a lease moved).
      this.#quiet.set(quietKey, now.getTime() + QUIET_RECHECK_MS);
      return;
    }
    await this.announceExpiredSilences(now);
    await this.slo.observe(report.samples);
    const silences = await this.store.silences.active(now);
    const failing = this.failing();

    const changes: AlertChange[] = [];
    const removed: string[] = [];
    for (const sample of report.samples) {
      const def = sliDefinition(sample.sli);
      if (!def) continue;
      const evidence = this.evidence.get(sample.tenant, sample.sli, sample.labels);
      const strength = evidence ? deviationStrength(evidence) : 0;
      for (const check of checksOf(sample, def, this.slo, { ...this.options, intervalSeconds: this.#intervalMs / 1000 }, evidence, strength)) {
        const prev = known.get(check.fingerprint);
        known.delete(check.fingerprint);
        const ageOf = (sli: string) => ages.get(`${sample.tenant}/${sli}`) ?? null;
        const change = this.judge(check, sample, def, prev, evidence, ageOf, report.ok);
        if (change && change !== "removed" && def.layer === "monitoring" && sample.value === 0) {
          change.record.details.error = failing.find((f) => f.tenant === sample.tenant && f.source === report.source)?.error ?? change.record.details.error;
        }
        if (change && change !== "removed" && sample.sli === "journey_failed_step" && sample.value === 1) change.record.details.error = await this.journeyError(sample);
        if (change === "removed") removed.push(check.fingerprint);
        else if (change) changes.push(change);
      }
    }
    // Series this run did not report keep their state, unless a healthy run has not seen them for two intervals:
    // a reading that went missing with the fix (a Redis limit removed) must not keep its alert firing forever.
    for (const prev of known.values()) {
      const def = sliDefinition(prev.sli);
      if (!def) continue;
      // Another collector's alerts are judged with that collector's runs: carried through every run of the tenant,
      // each alert was re-ranked and rewritten once per collector (business, journeys, security, capacity).
      if (prev.details.source !== undefined && prev.details.source !== report.source) continue;
      const gone = report.ok && prev.details.source === report.source && prev.state !== "resolved" && now.getTime() - Number(prev.details.lastReadingAt ?? prev.since) >= 2 * this.#intervalMs;
      if (gone && prev.state === "firing") {
        const record: AlertRecord = { ...prev, state: "resolved", resolvedAt: now.getTime(), clearSince: null, details: { ...prev.details, resolvedBy: "reading gone" } };
        changes.push({ record, prev, def, transition: "resolved", evidence: undefined });
      } else if (gone) removed.push(prev.fingerprint);
      else changes.push({ record: { ...prev }, prev, def, transition: null, evidence: undefined });
    }
    for (const c of changes) this.mute(c, silences, failing, now.getTime());
    const events = await this.events(now.getTime());
    for (const c of changes) if (c.record.state !== "resolved") this.rank(c, events.deploys);
    await this.commit(changes, removed, events, now);
  }

  /** Every reading becomes evidence; returns the age readings of this run, by tenant/sli (the largest label). */
  private observeEvidence(report: RunReport): Map<string, number> {
    const ages = new Map<string, number>();
    for (const s of report.samples) {
      const def = sliDefinition(s.sli);
      if (!def) continue;
      const objective = this.slo.objectives.objective(s.tenant, def);
      const abnormal = s.value !== null && statusOf(s.value, def, objective) === "breach";
      this.evidence.observe({ tenant: s.tenant, sli: s.sli, labels: s.labels, layer: def.layer ?? "business", at: s.at.getTime(), value: s.value, abnormal, objective, better: def.better });
      if (s.value !== null && def.unit === "seconds") ages.set(`${s.tenant}/${s.sli}`, Math.max(ages.get(`${s.tenant}/${s.sli}`) ?? 0, s.value));
    }
    return ages;
  }

  /** Lifecycle of one check: the record it leaves, "removed", or undefined when there is no alert. */
  private judge(
    check: Check, sample: Sample, def: SliDefinition, prev: AlertRecord | undefined, evidence: SeriesEvidence | undefined, ageOf: (sli: string) => number | null, runOk: boolean,
  ): AlertChange | "removed" | undefined {
    const { value, source } = sample;
    const at = sample.at.getTime();
    // An infrastructure reading a healthy run no longer has (a Redis limit removed: no ratio to compute) for two
    // intervals counts as recovered. A business reading may be missing for a failed query: it waits.
    const gone = check.breaching === undefined && runOk && (def.layer ?? "business") !== "business" && prev?.state === "firing" && at - Number(prev.details.lastReadingAt ?? prev.since) >= 2 * this.#intervalMs;
    const { status, transition } = step(prev, gone ? false : check.breaching, at, check.forSeconds, gone ? 0 : check.keepFiringSeconds);
    if (!status) return prev ? "removed" : undefined;
    const active = prev !== undefined && prev.state !== "resolved" && transition !== "fired";
    // A condition that already held when its series was first seen is known, not news: a ticket with its real
    // age, a page only once it gets worse (its evidence then has an onset).
    const knownCondition = evidence !== undefined && !evidence.everNormal && evidence.onset === null;
    const severity = knownCondition ? "ticket" : (check.severity ?? (active ? prev.severity : "ticket"));
    const since = transition === "fired" && knownCondition ? Math.min(status.since, knownSince(def.id, at, ageOf)) : status.since;
    const record: AlertRecord = {
      ...status,
      since,
      fingerprint: check.fingerprint,
      kind: check.kind,
      tenant: sample.tenant,
      sli: sample.sli,
      labels: sample.labels,
      severity: status.state === "resolved" && prev ? prev.severity : severity,
      value: value ?? prev?.value ?? null,
      objective: check.objective,
      details: { ...(check.breaching === undefined && prev ? prev.details : check.details), source, lastReadingAt: value === null ? prev?.details.lastReadingAt : at },
      silencedBy: prev?.silencedBy ?? null,
      inhibitedBy: prev?.inhibitedBy ?? null,
      lastNotifiedAt: transition === "fired" ? null : (prev?.lastNotifiedAt ?? null),
      repeats: transition === "fired" ? 0 : (prev?.repeats ?? 0),
      incidentId: transition === "fired" ? null : (prev?.incidentId ?? null),
    };
    if (status.state === "firing") {
      const noted = transition === "fired" ? null : (prev?.details.notedValue as number | undefined);
      record.details.notedValue = noted ?? record.value;
      if (prev?.details.causes) record.details.causes = prev.details.causes;
    }
    let change: AlertUpdate["transition"] = transition;
    if (status.state === "firing" && !transition && prev?.state === "firing") {
      const noted = prev.details.notedValue as number | undefined;
      if (SEVERITY_RANK[record.severity] > SEVERITY_RANK[prev.severity]) change = "escalated";
      else if (typeof noted === "number" && record.value !== null && check.breaching && worsening(noted, record.value, def.better) >= WORSE_AGAIN) change = "worse";
      if (change) record.details.notedValue = record.value;
    }
    return { record, prev, def, transition: change, evidence };
  }

  private mute(c: AlertChange, silences: Silence[], failing: FailingSource[], now: number): void {
    const identity = { tenant: c.record.tenant, sli: c.record.sli, labels: c.record.labels, layer: c.def.layer ?? "business" };
    c.record.silencedBy = silences.find((s) => silenceMatches(s, identity, now))?.id ?? null;
    c.record.inhibitedBy = inhibitedBy(identity, failing);
  }

  /** Probable causes of a firing or pending alert, from the evidence in memory: no store reads. */
  private rank(c: AlertChange, deploys: readonly DeployMarker[]): void {
    const r = c.record;
    if (c.def.layer === "monitoring") return this.monitoringCause(c);
    const tenants = new Set([r.tenant, "global"]);
    const deviating = this.evidence.deviating(null).filter((e) => tenants.has(e.tenant) || e.sli === "pg_tenant_share");
    const evidence = c.evidence ?? this.evidence.get(r.tenant, r.sli, r.labels);
    const onset = evidence?.onset ?? r.since;
    const next = rankCauses(
      { tenant: r.tenant, sli: r.sli, labels: r.labels, layer: c.def.layer ?? "business", onset, evidence },
      {
        topology: { redisTenants: new Set(this.options.redisTenants ?? []) },
        deviating,
        peers: this.evidence.peers(r.tenant, r.sli),
        deploys,
        describe: (sli) => {
          const def = sliDefinition(sli);
          return { title: def?.title ?? sli, format: (v) => (def ? formatValue(v, def.unit) : String(v)) };
        },
        toleranceMs: this.#intervalMs,
      },
    );
    const causes = stabilize((r.details.causes as RankedCause[] | undefined) ?? [], next);
    r.details.causes = causes;
    r.details.probableCause = causes[0] ? `${causes[0].layer}: ${causes[0].subject}` : "unknown";
    r.details.abnormalSince = Math.min(onset, r.since);
  }

  /** A source that cannot be sampled is its own cause: what the run failed with is the evidence. */
  private monitoringCause(c: AlertChange): void {
    const r = c.record;
    const source = r.labels.source ?? "?";
    const error = String(r.details.error ?? "the run failed");
    const cause: RankedCause = {
      rank: 1, layer: "monitoring", subject: `${source} cannot be sampled`, evidence: `${source} of ${r.tenant}: ${error}`, confidence: 1,
      signal: { tenant: r.tenant, sli: r.sli, labels: r.labels }, key: `monitoring:${r.tenant}/${source}`, score: 1, onset: r.since,
    };
    r.details.causes = [cause];
    r.details.probableCause = `monitoring: ${cause.subject}: ${error}`;
    r.details.abnormalSince = r.since;
  }

  /** What the journey's user saw at the failing step, from the run that produced the reading. */
  private async journeyError(sample: Sample): Promise<string | undefined> {
    const [run] = await this.store.journeys.list({ tenant: sample.tenant, journey: sample.labels.journey, from: new Date(sample.at.getTime() - 1000), to: sample.at, limit: 1 });
    return run?.failedStep === sample.labels.step && run?.error ? run.error : undefined;
  }

  /** Incidents per scope, what to tell, and the writes of the round, in one transaction. */
  private async commit(changes: AlertChange[], removed: string[], events: Awaited<ReturnType<AlertEvaluator["events"]>>, now: Date): Promise<void> {
    const open = await this.openIncidents();
    const byScope = new Map<string, AlertChange[]>();
    const moved = new Map<string, AlertChange[]>();
    // Where each firing alert's series already is: an alert whose cause is another alert joins that one's incident
    // (late waves caused by lock waits caused by a blocking session: one incident).
    const scopeOfSeries = new Map<string, string>();
    for (const [scope, i] of open) for (const a of i.alerts) if (a.state === "firing") scopeOfSeries.set(a.fingerprint, scope);
    const scopes = changes.map((c) => scopeOf(c.record, open));
    for (const [n, c] of changes.entries()) {
      const scope = scopes[n];
      if (scope != null && c.record.state === "firing" && !scopeOfSeries.has(c.record.fingerprint)) scopeOfSeries.set(c.record.fingerprint, scope);
    }
    for (const [n, c] of changes.entries()) {
      const own = scopes[n];
      if (own == null) continue;
      let scope = own;
      const signal = (c.record.details.causes as RankedCause[] | undefined)?.[0]?.signal;
      const joined = signal && homeOf(c.record, open) === null ? scopeOfSeries.get(seriesKey(signal.tenant, signal.sli, signal.labels)) : undefined;
      if (joined !== undefined && signal && !(signal.tenant === c.record.tenant && signal.sli === c.record.sli)) scope = joined;
      const list = byScope.get(scope) ?? [];
      list.push(c);
      byScope.set(scope, list);
      const home = homeOf(c.record, open);
      if (home !== null && home !== scope) moved.set(home, [...(moved.get(home) ?? []), c]);
    }
    const nowMs = now.getTime();
    await this.store.atomically(async ({ alerts, incidents, outbox }) => {
      for (const [home, list] of moved) {
        const left = leave(open.get(home)!, list.map((c) => ref(c.record)), nowMs);
        await incidents.save(left, now);
        if (left.state === "open") open.set(home, left);
        else open.delete(home);
      }
      for (const [scope, list] of byScope) {
        const current = open.get(scope);
        const inIncident = new Set(current?.alerts.map((a) => a.ref) ?? []);
        const updates = list
          .filter((c) => c.record.state === "firing" || inIncident.has(ref(c.record)))
          .map((c): AlertUpdate => ({ alert: incidentAlert(c), transition: c.transition, abnormalSince: Number(c.record.details.abnormalSince ?? c.record.since), causes: (c.record.details.causes as RankedCause[] | undefined) ?? [] }));
        const next = updates.length ? advance(scope, list[0]!.record.tenant, current, updates, nowMs) : undefined;
        if (next) {
          this.noteEvents(next, events, current, list);
          const transition = decide(current, next, updates, nowMs, this.options.repeatMinutes * 60_000);
          if (transition) told(next, transition, nowMs);
          next.id = await incidents.save(next, now);
          if (next.state === "open") open.set(scope, next);
          else open.delete(scope);
          for (const c of list) if (c.record.state === "firing" || inIncident.has(ref(c.record))) c.record.incidentId = next.id;
          await this.enqueueAlertRecords(outbox, list, next);
          if (transition) {
            await this.enqueueIncident(outbox, next, transition);
            for (const c of list) if (c.record.state === "firing" && !c.record.silencedBy && !c.record.inhibitedBy) c.record.lastNotifiedAt = nowMs;
          }
        }
      }
      const am = this.options.outputs?.alertmanager;
      if (am) for (const c of changes) await enqueueAlertmanager(outbox, (m) => this.enqueue(outbox, m), c, am, nowMs, this.#intervalMs, this.options.timeZone);
      // A resolved episode that stays resolved changes nothing worth a write (most series of a healthy fleet).
      for (const c of changes) if (!(c.record.state === "resolved" && c.prev?.state === "resolved" && !c.transition)) await alerts.upsert(c.record, now);
      for (const f of removed) await alerts.remove(f);
    });
  }

  /** Deploys and backups in the incident's window, and silences of its alerts, go on its timeline once. */
  private noteEvents(i: Incident, events: { deploys: DeployMarker[]; backups: Array<{ at: number; text: string }> }, before: Incident | undefined, list: AlertChange[]): void {
    const has = (at: number, text: string) => i.timeline.some((e) => e.at === at && e.text === text);
    const from = i.firstAbnormalAt - CHANGE_WINDOW_MS;
    for (const d of events.deploys) if (d.at >= from && (d.tenant === null || d.tenant === i.tenant) && !has(d.at, `deploy ${d.text}`)) i.timeline.push({ at: d.at, kind: "deploy", text: `deploy ${d.text}` });
    for (const b of events.backups) if (b.at >= from && !has(b.at, b.text)) i.timeline.push({ at: b.at, kind: "backup", text: b.text });
    for (const c of list) {
      const was = before?.alerts.find((a) => a.ref === ref(c.record));
      if (c.record.silencedBy !== null && was && !was.muted) i.timeline.push({ at: Date.now(), kind: "silence", text: `${c.def.title} silenced (silence #${c.record.silencedBy})` });
    }
    i.timeline.sort((a, b) => a.at - b.at);
  }

  /** Alert records in the tenant's Odoo (linked to their incident there), without mail: the incident is mailed. */
  private async enqueueAlertRecords(outbox: Outbox, list: AlertChange[], i: Incident): Promise<void> {
    if (this.channelOf(i) !== "odoo") return;
    for (const c of list) {
      const t = c.transition === "fired" || c.transition === "resolved" ? c.transition : null;
      if (!t) continue;
      const a = c.record;
      const key = `${a.fingerprint}/${a.since}/${t}/odoo`;
      const { subject, body } = notificationText(a, t, c.def, undefined, this.options.timeZone);
      const notification = { ...odooNotification(a, t, c.def, key), mail: false };
      await this.enqueue(outbox, { idempotencyKey: key, channel: "odoo", recipient: a.tenant, subject, body: JSON.stringify({ model: ALERT_MODEL, notification, text: body }), groupKey: `incident/${i.id}` });
    }
  }

  private async enqueueIncident(outbox: Outbox, i: Incident, transition: NonNullable<ReturnType<typeof decide>>): Promise<void> {
    const subject = redactTenants(incidentSubject(i, transition), i.tenant, this.options.tenants ?? []);
    const body = redactTenants(incidentBody(i, transition, this.options.dashboardUrl?.(i.tenant), this.options.timeZone), i.tenant, this.options.tenants ?? []);
    const episode = `incident/${incidentRef(i)}/${transition}/${transition === "repeat" ? i.notified.repeats : i.timeline.length}`;
    const hooks = this.options.outputs?.webhooks ?? [];
    if (hooks.length) await enqueueWebhooks((m) => this.enqueue(outbox, m), hooks, episode, (key) => webhookPayload(i, transition, key, subject, body, this.options.dashboardUrl?.(i.tenant)), subject, `incident/${i.id}`);
    if (this.channelOf(i) === "odoo") {
      const key = `${episode}/odoo`;
      const notification = odooIncidentNotification(i, transition, key, subject, body);
      await this.enqueue(outbox, { idempotencyKey: key, channel: "odoo", recipient: i.tenant, subject, body: JSON.stringify({ model: INCIDENT_MODEL, notification, text: body }), groupKey: `incident/${i.id}` });
      return;
    }
    for (const recipient of this.options.recipients) {
      await this.enqueue(outbox, { idempotencyKey: `${episode}/${recipient}`, channel: "smtp", recipient, subject, body, groupKey: `incident/${i.id}` });
    }
  }

  /** Every notification the evaluator writes goes through here: the count tells the delivery to run a pass. */
  private async enqueue(outbox: Outbox, message: OutboxMessage): Promise<void> {
    this.enqueued++;
    await outbox.enqueue(message);
  }

  /**
   * The monitor's own failures go to the operations addresses by SMTP: the tenant's Odoo may be what cannot be
   * reached, and its credentials what was revoked.
   */
  private channelOf(i: Incident): "odoo" | "smtp" {
    return isMonitoringScope(i.scope) ? "smtp" : this.options.channelOf(i.tenant);
  }

  /** Another backend may have opened or closed incidents: read them from the store again at the next evaluation. */
  forgetOpenIncidents(): void {
    this.#open = undefined;
  }

  private async openIncidents(): Promise<Map<string, Incident>> {
    this.#open ??= new Map((await this.store.incidents.open()).map((i) => [i.scope, i]));
    return this.#open;
  }

  /** Deploy markers and backup events of the last hour, refreshed every half minute. */
  private async events(now: number) {
    if (this.#events && now - this.#events.at < EVENTS_TTL_MS && now >= this.#events.at) return this.#events;
    const list = await this.store.events.list({ from: new Date(now - CHANGE_WINDOW_MS - 2 * 3_600_000), to: new Date(now + this.#intervalMs), limit: 200 });
    const deploys: DeployMarker[] = [];
    const backups: Array<{ at: number; text: string }> = [];
    for (const e of list) {
      const p = e.payload as { version?: string; kind?: string; status?: string };
      if (e.kind === "deploy") deploys.push({ tenant: e.tenant, at: e.at.getTime(), text: String(p.version ?? "") });
      else backups.push({ at: e.at.getTime(), text: `${p.kind ?? "backup"} ${p.status ?? ""}`.trim() });
    }
    this.#events = { at: now, deploys, backups };
    return this.#events;
  }

  /** A silence that ended is announced once, so that nobody believes alerts are still muted. */
  private async announceExpiredSilences(now: Date): Promise<void> {
    for (const s of await this.store.silences.takeExpired(now)) {
      const matchers = Object.entries(s.matchers).map(([k, v]) => `${k}=${v}`).join(", ");
      for (const recipient of this.options.recipients) {
        await this.enqueue(this.store.outbox, {
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

const ref = (a: AlertRecord) => `${a.fingerprint}@${a.since}`;

/** Incidents of the monitor's own failures: one per failing collector, never mixed with what it samples. */
const MONITORING_SCOPE = "monitoring:";
const isMonitoringScope = (scope: string) => scope.includes(`|${MONITORING_SCOPE}`);

/**
 * Which incident an alert belongs to. Alerts that share a cause form one incident (the late waves and the lock
 * waits that explain them; a carrier's failures and their own label service); alerts nothing explains share their
 * tenant's incident while they overlap. An alert stays in the incident it joined. null: it joins none (pending,
 * or resolved outside any incident).
 */
function scopeOf(a: AlertRecord, open: ReadonlyMap<string, Incident>): string | null {
  const cause = (a.details.causes as RankedCause[] | undefined)?.[0];
  const home = homeOf(a, open);
  // An unexplained alert that gets a cause (a standing failure that got worse after a deploy) leaves its tenant's
  // incident of unexplained alerts for the incident of that cause.
  if (home !== null && !(home === a.tenant && cause && a.state === "firing")) return home;
  if (a.state !== "firing") return null;
  if (a.sli === "sampling_up") return `${a.tenant}|${MONITORING_SCOPE}${a.labels.source ?? ""}`;
  // Who changed what, and who is guessing passwords, is an incident of its own: never the cause or a part of an
  // outage that happens to overlap it.
  if (sliDefinition(a.sli)?.layer === "security") return `${a.tenant}|security`;
  return cause ? `${a.tenant}|${cause.key}` : a.tenant;
}

/** The open incident an alert already belongs to. */
function homeOf(a: AlertRecord, open: ReadonlyMap<string, Incident>): string | null {
  if (a.incidentId != null) for (const [scope, i] of open) if (i.id === a.incidentId) return scope;
  return null;
}

/** An incident without the alerts that moved to the incidents of their causes; with none left firing it closes. */
function leave(i: Incident, refs: readonly string[], now: number): Incident {
  const next = structuredClone(i);
  next.alerts = next.alerts.filter((a) => !refs.includes(a.ref));
  next.timeline.push({ at: now, kind: "moved", text: `${refs.length} alert${refs.length === 1 ? "" : "s"} moved to the incident of ${refs.length === 1 ? "its" : "their"} cause` });
  if (!next.alerts.some((a) => a.state === "firing")) {
    next.state = "resolved";
    next.resolvedAt = now;
  }
  return next;
}

function incidentAlert(c: AlertChange): IncidentAlert {
  const a = c.record;
  return {
    ref: ref(a), fingerprint: a.fingerprint, sli: a.sli, title: a.kind === "anomaly" ? `${c.def.title} unusual for the hour` : c.def.title, labels: a.labels, kind: a.kind,
    severity: a.severity, state: a.state, since: a.since, value: a.value, objective: a.objective, muted: a.silencedBy !== null || a.inhibitedBy !== null,
    facts: alertFacts(a, c.def),
  };
}
