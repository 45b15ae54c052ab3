import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import type { RankedCause } from "../../server/detect/rank-causes.ts";
import { silentLogger } from "../../server/log/logger.ts";
import type { Sample } from "../../server/sli/sample.ts";
import { incident } from "./incident.ts";
import { freePort } from "./ports.ts";
import { until } from "./until.ts";

const MIN = 60_000;
const DAY = 86_400_000;

/** What the tenant's configuration holds and no public answer may show. */
export interface TenantSecrets {
  password: string;
  hostPort: string;
  db: string;
  login: string;
}

export interface StatusBackend {
  backend: Backend;
  base: string;
  operatorToken: string;
  /** Of tenant "eu": public, its Odoo on a port nothing listens on. */
  secrets: TenantSecrets;
  stop(): Promise<void>;
}

const sample = (tenant: string, source: string, sli: string, at: number, value: number | null, labels: Record<string, string> = {}): Sample => ({
  tenant, source, sli, labels, at: new Date(at), value, missing: value === null ? "not sampled" : null,
});

/**
 * A backend on port 0 with a temp data directory, whose tenants' Odoo do not run (free ports nothing listens on):
 * "eu" (public) and "us" (not public), sampled every 5 s. The history the store would hold after weeks is written
 * through the store's own APIs (an old first reading, two resolved incidents, an open database incident with its
 * cause, a journey run, PostgreSQL readings); that Odoo cannot be reached comes from the real collector, whose failed
 * cycles this waits for.
 */
export async function startStatusBackend(): Promise<StatusBackend> {
  const dir = mkdtempSync(join(tmpdir(), "lo-status-"));
  const [euPort, usPort] = [await freePort(), await freePort()];
  const operatorToken = "status-operator-token-0123456789";
  const secrets: TenantSecrets = { password: "Sup3r-Secret-Passw0rd", hostPort: `127.0.0.1:${euPort}`, db: "eu_prod_logistics", login: "monitor.eu@example.com" };
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify({
    port: 0, apiToken: operatorToken, dataDir: dir,
    sampling: { intervalSeconds: 5, timeoutSeconds: 4 },
    alerts: { forSeconds: 0 },
    tenants: [
      { name: "eu", url: `http://${secrets.hostPort}`, db: secrets.db, user: secrets.login, password: secrets.password, timeoutMs: 1000 },
      { name: "us", url: `http://127.0.0.1:${usPort}`, db: "us_prod", user: "monitor.us@example.com", password: "another-Secret-1", timeoutMs: 1000 },
    ],
    statusPage: { title: "Acme logistics", publicTenants: ["eu"] },
  }));
  const backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true });
  const { store } = backend;
  const now = Date.now();

  const runsBefore = backend.runner.healthOf("eu", "odoo_business")?.runs ?? 0;
  // Weeks of history: the first reading 20 days ago (its own owner, so that the collector's runs never delete it).
  await store.recordRun("history", "odoo_business", [sample("eu", "odoo_business", "sampling_up", now - 20 * DAY, 1, { source: "odoo_business" })]);
  const cause: RankedCause = { rank: 1, layer: "database", subject: "row locks in eu's database", evidence: "Sessions waiting on a lock 0 -> 7 from 10:02 UTC", confidence: 0.8, signal: null, key: "locks", score: 1, onset: now - 40 * MIN };
  const alertOn = (sli: string, severity: "page" | "ticket", since: number, state: "firing" | "resolved", labels: Record<string, string> = {}) => (
    { ref: `${sli}@${since}`, fingerprint: sli, sli, title: sli, labels, kind: "threshold", severity, state, since, value: 7, objective: 0, muted: false }
  );
  // Scopes of their own, so that the running evaluator never takes these for its tenant's incident.
  await store.incidents.save(incident({ id: null, scope: "eu|seed-deliveries", severity: "page", title: "Late open deliveries", openedAt: now - 3 * DAY, resolvedAt: now - 3 * DAY + 2 * 3_600_000,
    alerts: [alertOn("late_open_deliveries", "page", now - 3 * DAY, "resolved")] }), new Date());
  await store.incidents.save(incident({ id: null, scope: "eu|seed-carriers", severity: "ticket", title: "Carrier label failures (Secret Carrier Ltd)", openedAt: now - 10 * DAY, resolvedAt: now - 10 * DAY + 3_600_000,
    alerts: [alertOn("label_failure_ratio", "ticket", now - 10 * DAY, "resolved", { carrier: "Secret Carrier Ltd" })] }), new Date());
  await store.incidents.save(incident({ id: null, scope: "eu|seed-database", state: "open", severity: "ticket", title: "Sessions waiting on a lock", openedAt: now - 30 * MIN, resolvedAt: null,
    causes: [cause], alerts: [alertOn("pg_lock_waiting_sessions", "ticket", now - 35 * MIN, "firing")] }), new Date());
  // An incident of the shared database server whose cause names another tenant.
  await store.incidents.save(incident({ id: null, scope: "global|seed-connections", tenant: "global", state: "open", severity: "ticket", title: "Connections used of max_connections", openedAt: now - 20 * MIN, resolvedAt: null,
    causes: [{ ...cause, subject: "connections of tenant us", evidence: "us holds 70% of the connections", key: "us-connections" }], alerts: [alertOn("pg_connections_used_ratio", "ticket", now - 25 * MIN, "firing")] }), new Date());
  // The shared PostgreSQL server's readings, the tenant's share among them, as its collector stamps them.
  await store.recordRun("global", "postgres", [
    sample("global", "postgres", "pg_connections_used_ratio", now, 0.42), sample("eu", "postgres", "pg_lock_waiting_sessions", now, 7), sample("eu", "postgres", "pg_cache_hit_ratio", now, 0.998),
  ]);
  // The warehouse journey's last run, failed at its second step.
  await store.journeys.append("eu", new Date(now - 2 * MIN), {
    journey: "warehouse", ok: false, seconds: 1.4,
    steps: [{ step: "login", ok: true, seconds: 0.9 }, { step: "inventory_overview", ok: false, seconds: 0.5, error: "the Inventory overview did not load" }],
    skipped: ["ready_deliveries", "open_delivery"],
  });
  await store.recordRun("eu", "odoo_journey", [sample("eu", "odoo_journey", "journey_success", now - 2 * MIN, 0, { journey: "warehouse" })]);

  // Two real cycles of the collector against the closed port after the seeding, judged (the monitoring incident opened).
  await until(30_000, async () => {
    const health = backend.runner.healthOf("eu", "odoo_business");
    const open = await store.incidents.open();
    return (health?.runs ?? 0) >= runsBefore + 2 && health?.ok === false && open.some((i) => i.tenant === "eu" && i.alerts.some((a) => a.sli === "sampling_up"));
  }, "two failed cycles of eu's Odoo, and its incident");
  return {
    backend,
    base: `http://127.0.0.1:${backend.port}`,
    operatorToken,
    secrets,
    async stop() {
      await backend.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
