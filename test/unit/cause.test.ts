import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { probableCause, type Signal } from "../../server/detect/cause.ts";

const sig = (s: Partial<Signal> & Pick<Signal, "sli">): Signal => ({ tenant: "eu", title: s.sli, labels: {}, layer: "business", value: 1, breaching: true, ...s });
const labels = (carrier: string) => ({ tenant: "eu", sli: "label_failure_ratio", labels: { carrier } });

describe("probable cause of a business alert", () => {
  const cases: Array<[string, ReturnType<typeof labels> | { tenant: string; sli: string; labels: Record<string, string> }, Signal[], string | null]> = [
    ["one carrier failing while the others print: its integration", labels("DHL"),
      [sig({ sli: "label_failure_ratio", labels: { carrier: "DHL" } }), sig({ sli: "label_failure_ratio", labels: { carrier: "UPS" }, breaching: false })],
      "integration: the DHL label service (the other carriers are within their objective)"],
    ["every carrier failing is not one carrier's fault", labels("DHL"),
      [sig({ sli: "label_failure_ratio", labels: { carrier: "DHL" } }), sig({ sli: "label_failure_ratio", labels: { carrier: "UPS" } })], null],
    ["another tenant taking most connections is named before the contention it causes", { tenant: "eu", sli: "late_open_deliveries", labels: {} },
      [sig({ tenant: "us", sli: "pg_tenant_share", layer: "database", value: 0.82, labels: { resource: "connections" } }), sig({ tenant: "global", sli: "pg_lock_waiting_sessions", title: "Sessions waiting on a lock", layer: "database" })],
      "noisy tenant: us takes 82% of the database's connections"],
    ["lock waits on the shared PostgreSQL", { tenant: "eu", sli: "wave_delay_p95_seconds", labels: {} },
      [sig({ tenant: "global", sli: "pg_lock_waiting_sessions", title: "Sessions waiting on a lock", layer: "database" }), sig({ tenant: "global", sli: "host_cpu_used_ratio", layer: "host" })],
      "database: Sessions waiting on a lock"],
    ["another tenant's database trouble is not this tenant's cause", { tenant: "eu", sli: "wave_delay_p95_seconds", labels: {} },
      [sig({ tenant: "us", sli: "pg_lock_waiting_sessions", layer: "database" })], null],
    ["a saturated host", { tenant: "eu", sli: "ready_backlog", labels: {} },
      [sig({ tenant: "global", sli: "host_memory_used_ratio", title: "Memory used", layer: "host" })], "infrastructure: Memory used"],
    ["a failing scheduled job behind a growing backlog", { tenant: "eu", sli: "mail_outgoing_backlog", labels: {} },
      [sig({ sli: "cron_failing_jobs", title: "Scheduled jobs failing" })], "application: Scheduled jobs failing"],
    ["one failing job does not explain another", { tenant: "eu", sli: "mail_failed", labels: { failure_type: "mail_smtp" } },
      [sig({ sli: "cron_failing_jobs", title: "Scheduled jobs failing" })], null],
    ["nothing else out of bounds: unknown, not guessed", { tenant: "eu", sli: "late_open_deliveries", labels: {} },
      [sig({ tenant: "global", sli: "host_cpu_used_ratio", layer: "host", breaching: false })], null],
  ];
  for (const [name, alert, signals, want] of cases) test(name, () => assert.equal(probableCause(alert, signals), want));
});
