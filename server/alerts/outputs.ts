import { mttd, mttr, type Incident, type IncidentTransition } from "../detect/incidents.ts";
import type { SliDefinition } from "../sli/catalog.ts";
import type { AlertRecord } from "../store/alerts.ts";
import type { Outbox, OutboxMessage } from "../store/outbox.ts";
import { alertmanagerPlan, labelsIdentity, type AlertmanagerPost } from "./alertmanager-alert.ts";
import { incidentRef } from "./incident-text.ts";

/** The outputs beside email and Odoo: Alertmanager and signed webhooks. */
export interface OutputOptions {
  alertmanager?: {
    /** Each Alertmanager URL gets every post (the members of a cluster deduplicate among themselves). */
    receivers: readonly string[];
    resendSeconds: number;
    dashboardUrl?: (tenant: string) => string | undefined;
  };
  /** Names of the configured webhooks: each gets every incident notification. */
  webhooks?: readonly string[];
}

type Enqueue = (m: OutboxMessage) => Promise<void>;

/**
 * Writes this round's Alertmanager posts of one alert to the outbox, and notes in the alert what Alertmanager
 * holds. A post replaces any older post of the same alert still waiting (Alertmanager needs the latest state
 * only, and an old "firing" arriving after a "resolved" would fire it again).
 */
export async function enqueueAlertmanager(
  outbox: Outbox, enqueue: Enqueue, c: { record: AlertRecord; prev: AlertRecord | undefined; def: SliDefinition; transition: string | null },
  am: NonNullable<OutputOptions["alertmanager"]>, now: number, intervalMs: number, timeZone?: string,
): Promise<void> {
  const { posts, posted } = alertmanagerPlan({
    record: c.record, prev: c.prev, def: c.def, changed: c.transition !== null, now, resendMs: am.resendSeconds * 1000,
    toleranceMs: intervalMs / 2, dashboardUrl: am.dashboardUrl?.(c.record.tenant), timeZone,
  });
  if (posted) c.record.details.alertmanager = posted;
  else delete c.record.details.alertmanager;
  for (const post of posts) {
    const identity = labelsIdentity(post.labels);
    for (const receiver of am.receivers) {
      const groupKey = `alertmanager/${identity}`;
      await outbox.supersede("alertmanager", receiver, groupKey);
      await enqueue({
        idempotencyKey: `${c.record.fingerprint}@${c.record.since}/alertmanager/${identity}/${post.state}/${now}/${receiver}`,
        channel: "alertmanager",
        recipient: receiver,
        subject: `[${post.state.toUpperCase()}] ${post.annotations.summary ?? c.record.sli}`,
        body: JSON.stringify(post satisfies AlertmanagerPost),
        groupKey,
      });
    }
  }
}

/** One incident notification as a webhook receives it (the signed body). */
export function webhookPayload(i: Incident, transition: IncidentTransition, key: string, subject: string, text: string, dashboardUrl?: string): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    version: 1,
    type: "incident",
    id: key,
    transition,
    subject,
    text,
    incident: {
      id: i.id,
      ref: incidentRef(i),
      tenant: i.tenant,
      state: i.state,
      severity: i.severity,
      title: i.title,
      openedAt: iso(i.openedAt),
      firstAbnormalAt: iso(i.firstAbnormalAt),
      firstNotifiedAt: iso(i.firstNotifiedAt),
      resolvedAt: iso(i.resolvedAt),
      mttdSeconds: mttd(i),
      mttrSeconds: mttr(i),
      dashboardUrl: dashboardUrl ?? null,
      causes: i.causes.map((c) => ({ rank: c.rank, layer: c.layer, subject: c.subject, evidence: c.evidence, confidence: c.confidence })),
      alerts: i.alerts.map((a) => ({ sli: a.sli, title: a.title, labels: a.labels, kind: a.kind, severity: a.severity, state: a.state, since: iso(a.since), value: a.value, objective: a.objective, muted: a.muted })),
    },
  };
}

/** The incident notification for every webhook, one outbox row each (retried on its own). */
export async function enqueueWebhooks(enqueue: Enqueue, names: readonly string[], episode: string, payloadOf: (key: string) => Record<string, unknown>, subject: string, groupKey: string): Promise<void> {
  for (const name of names) {
    const key = `${episode}/webhook/${name}`;
    await enqueue({ idempotencyKey: key, channel: "webhook", recipient: name, subject, body: JSON.stringify(payloadOf(key)), groupKey });
  }
}
