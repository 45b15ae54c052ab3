import type { Incident } from "../../server/detect/incidents.ts";
import type { RankedCause } from "../../server/detect/rank-causes.ts";

const MIN = 60_000;

/** An incident as the store returns it; times in ms. */
export function incident(over: Partial<Incident> & { causeLayer?: string } = {}): Incident {
  const { causeLayer, ...rest } = over;
  const opened = rest.openedAt ?? Date.parse("2026-11-30T10:00:00Z");
  const cause = causeLayer && ({ rank: 1, layer: causeLayer, subject: `the ${causeLayer} thing`, evidence: "x 0 -> 3", confidence: 0.8, signal: null, key: causeLayer, score: 1, onset: opened } as RankedCause);
  return {
    id: 1, scope: "eu", tenant: "eu", state: "resolved", severity: "page", title: "Late open deliveries", openedAt: opened, resolvedAt: opened + 30 * MIN,
    firstAbnormalAt: opened - 2 * MIN, firstNotifiedAt: opened, causes: cause ? [cause] : [], timeline: [],
    alerts: [{ ref: "r", fingerprint: "f", sli: "late_open_deliveries", title: "t", labels: {}, kind: "slo", severity: "page", state: "resolved", since: opened, value: 1, objective: 1, muted: false }],
    notified: { severity: "page", causeKey: null, at: opened, repeats: 0 },
    ...rest,
  };
}
