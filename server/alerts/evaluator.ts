import { step } from "../detect/lifecycle.ts";
import { inhibitedBy, silenceMatches, type FailingSource, type Silence } from "../detect/silence.ts";
import type { RunReport } from "../metrics/registry.ts";
import { sliDefinition } from "../sli/catalog.ts";
import type { Sample } from "../sli/sample.ts";
import { objectiveOf, statusOf } from "../sli/status.ts";
import type { AlertRecord } from "../store/alerts.ts";
import { labelsKey, type Store } from "../store/store.ts";

export interface AlertOptions {
  /** How long a breach must last before the alert fires. */
  forSeconds: number;
  targets: Record<string, number>;
  /** Email recipients of fired and resolved notifications (through the outbox). */
  recipients: readonly string[];
}

const fingerprintOf = (s: Sample) => `${s.tenant}/${s.sli}/${labelsKey(s.labels)}`;

/** Subject and body of a notification: what is affected, against what objective, since when. */
export function notification(a: AlertRecord, transition: "fired" | "resolved", unitTitle: string): { subject: string; body: string } {
  const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(", ");
  const what = `${a.tenant}: ${unitTitle}${labels ? ` (${labels})` : ""}`;
  const subject = `[${transition === "fired" ? a.severity.toUpperCase() : "RESOLVED"}] ${what}`;
  const body = [
    `${what} ${transition === "fired" ? "breaches its objective" : "is back within its objective"}.`,
    `Value: ${a.value ?? "missing"}; objective: ${a.objective}.`,
    `Since: ${new Date(a.since).toISOString()}${a.resolvedAt ? `; resolved: ${new Date(a.resolvedAt).toISOString()}` : ""}.`,
  ].join("\n");
  return { subject, body };
}

/**
 * Threshold alerts on every SLI's objective, evaluated after each collector run: the pure lifecycle step per
 * series, the state kept in the store (a restart resumes pending and firing alerts), and every transition
 * written to the outbox before anything is sent.
 */
export class AlertEvaluator {
  constructor(
    private readonly store: Store,
    private readonly options: AlertOptions,
    /** Collectors whose last run failed (the runner's health): what inhibition reasons from. */
    private readonly failing: () => FailingSource[] = () => [],
  ) {}

  async evaluate(report: RunReport): Promise<void> {
    await this.announceExpiredSilences(report.finishedAt);
    const silences = await this.store.silences.active(report.finishedAt);
    const failing = this.failing();
    const tenants = [...new Set(report.samples.map((s) => s.tenant))];
    const known = new Map<string, AlertRecord>();
    for (const t of tenants) for (const a of await this.store.alerts.list({ tenant: t })) known.set(a.fingerprint, a);
    const touched = new Set<string>();
    for (const sample of report.samples) {
      const def = sliDefinition(sample.sli);
      if (!def) continue;
      touched.add(fingerprintOf(sample));
      const objective = objectiveOf(def, this.options.targets);
      const fingerprint = fingerprintOf(sample);
      const prev = known.get(fingerprint);
      const breaching = sample.value === null ? undefined : statusOf(sample.value, def, objective) === "breach";
      const { status, transition } = step(prev, breaching, sample.at.getTime(), this.options.forSeconds);
      if (!status) {
        if (prev) await this.store.alerts.remove(fingerprint);
        continue;
      }
      const identity = { tenant: sample.tenant, sli: sample.sli, labels: sample.labels, layer: def.layer ?? "business" };
      const record: AlertRecord = {
        ...status, fingerprint, tenant: sample.tenant, sli: sample.sli, labels: sample.labels, severity: "ticket", value: sample.value ?? prev?.value ?? null, objective,
        silencedBy: silences.find((s: Silence) => silenceMatches(s, identity, report.finishedAt.getTime()))?.id ?? null,
        inhibitedBy: inhibitedBy(identity, failing),
      };
      await this.store.alerts.upsert(record, report.finishedAt);
      // Silenced or inhibited: the state moves on, the notification is not written.
      if (transition && record.silencedBy === null && record.inhibitedBy === null) {
        const { subject, body } = notification(record, transition, def.title);
        for (const recipient of this.options.recipients) {
          await this.store.outbox.enqueue({ idempotencyKey: `${fingerprint}/${record.since}/${transition}/${recipient}`, channel: "smtp", recipient, subject, body });
        }
      }
    }
    // Series this run did not report (a carrier's label set after a failed run) keep their state, but their
    // silence and inhibition follow the present.
    for (const a of known.values()) {
      if (touched.has(a.fingerprint)) continue;
      const identity = { ...a, layer: sliDefinition(a.sli)?.layer ?? "business" };
      const silencedBy = silences.find((s) => silenceMatches(s, identity, report.finishedAt.getTime()))?.id ?? null;
      const inhibited = inhibitedBy(identity, failing);
      if (silencedBy !== a.silencedBy || inhibited !== a.inhibitedBy) await this.store.alerts.upsert({ ...a, silencedBy, inhibitedBy: inhibited }, report.finishedAt);
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
        });
      }
    }
  }
}
