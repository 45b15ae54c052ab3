import { step } from "../detect/lifecycle.ts";
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
  ) {}

  async evaluate(report: RunReport): Promise<void> {
    const tenants = [...new Set(report.samples.map((s) => s.tenant))];
    const known = new Map<string, AlertRecord>();
    for (const t of tenants) for (const a of await this.store.alerts.list({ tenant: t })) known.set(a.fingerprint, a);
    for (const sample of report.samples) {
      const def = sliDefinition(sample.sli);
      if (!def) continue;
      const objective = objectiveOf(def, this.options.targets);
      const fingerprint = fingerprintOf(sample);
      const prev = known.get(fingerprint);
      const breaching = sample.value === null ? undefined : statusOf(sample.value, def, objective) === "breach";
      const { status, transition } = step(prev, breaching, sample.at.getTime(), this.options.forSeconds);
      if (!status) {
        if (prev) await this.store.alerts.remove(fingerprint);
        continue;
      }
      const record: AlertRecord = { ...status, fingerprint, tenant: sample.tenant, sli: sample.sli, labels: sample.labels, severity: "ticket", value: sample.value ?? prev?.value ?? null, objective };
      await this.store.alerts.upsert(record, report.finishedAt);
      if (transition) {
        const { subject, body } = notification(record, transition, def.title);
        for (const recipient of this.options.recipients) {
          await this.store.outbox.enqueue({ idempotencyKey: `${fingerprint}/${record.since}/${transition}/${recipient}`, channel: "smtp", recipient, subject, body });
        }
      }
    }
  }
}
