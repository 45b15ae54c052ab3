import { AlertEvaluator, type AlertOptions } from "../../server/alerts/evaluator.ts";
import { SloTracker } from "../../server/slo/tracker.ts";
import type { CalendarRule } from "../../server/detect/seasonal.ts";
import type { FailingSource } from "../../server/detect/silence.ts";
import { Objectives, type SloPolicy } from "../../server/sli/objectives.ts";
import type { Sample } from "../../server/sli/sample.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface TimelineOptions {
  targets?: Record<string, number>;
  slo?: Partial<SloPolicy>;
  alerts?: Partial<AlertOptions>;
  calendar?: CalendarRule[];
  failing?: () => FailingSource[];
  store?: Store;
  /** The simulated present at start-up (what the ledgers are restored up to). */
  now?: number;
}

/**
 * The whole alerting pipeline (SLO ledgers, burn-rate, threshold and seasonal checks, lifecycle, store and outbox)
 * driven by simulated time: `at(t, readings)` is one collector run finishing at t. Rule tests read like promtool's:
 * series in, alerts and notifications out at given times.
 */
export async function alertTimeline(opts: TimelineOptions = {}) {
  const store = opts.store ?? (await openStore({ inMemory: true }));
  const objectives = new Objectives(opts.targets ?? {}, { target: 0.99, windowDays: 28, slis: {}, ...opts.slo });
  const tracker = new SloTracker(store.slo, objectives, { calendar: opts.calendar ?? [], offsetMinutes: () => 0 });
  await tracker.restore(new Date(opts.now ?? Date.now()));
  const evaluator = new AlertEvaluator(
    store,
    tracker,
    { forSeconds: 120, intervalSeconds: 60, recipients: ["ops@example.com"], repeatMinutes: 0, anomalyThreshold: 5, channelOf: () => "smtp", ...opts.alerts },
    opts.failing,
  );
  return {
    store,
    tracker,
    evaluator,
    /** One run of each source the readings name (the Odoo collector by default), finishing at t. */
    async at(t: number, readings: Array<{ sli: string; value: number | null; labels?: Record<string, string>; tenant?: string; source?: string }>) {
      const bySource = new Map<string, Sample[]>();
      for (const r of readings) {
        const source = r.source ?? "odoo_business";
        const list = bySource.get(source) ?? [];
        list.push({ tenant: r.tenant ?? "acme", source, sli: r.sli, labels: r.labels ?? {}, at: new Date(t), value: r.value, missing: r.value === null ? "test: missing" : null });
        bySource.set(source, list);
      }
      for (const [source, samples] of bySource) {
        const owner = source === "odoo_business" ? "acme" : "global";
        // As the runner does: the run is stored, then judged.
        await store.recordRun(owner, source, samples);
        await evaluator.evaluate({ tenant: owner, source, ok: true, durationSeconds: 0.1, finishedAt: new Date(t), samples });
      }
    },
    async deploy(t: number, version: string, tenant: string | null = "acme") {
      await store.events.append("deploy", tenant, new Date(t), { version, author: "test" });
    },
    async incidents() {
      return store.incidents.list({});
    },
    async alert(sli: string, kind?: string) {
      return (await store.alerts.list({ tenant: "acme" })).find((a) => a.sli === sli && (!kind || a.kind === kind));
    },
    async subjects() {
      return (await store.outbox.all()).map((m) => m.subject);
    },
  };
}
