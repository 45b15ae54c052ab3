import { Counter } from "prom-client";
import { createApp } from "../api/app.ts";
import type { BusinessCollector } from "../collectors/business/index.ts";
import type { Collector } from "../collectors/collector.ts";
import { Runner } from "../collectors/runner.ts";
import { ConfigError, type Config, type Tenant } from "../config/load.ts";
import { Secret } from "../config/secret.ts";
import { startDemoOdoo } from "../demo/server.ts";
import type { Logger } from "../log/logger.ts";
import { Metrics } from "../metrics/registry.ts";
import { defaultJitter } from "../scheduler/cadence.ts";
import { Scheduler } from "../scheduler/scheduler.ts";
import { objectiveOf } from "../sli/status.ts";
import { unknownTargetKeys } from "../sli/catalog.ts";
import { openStore } from "../store/open.ts";
import { AlertEvaluator } from "../alerts/evaluator.ts";
import { buildCollectors } from "./collectors.ts";
import { freshenLedgers, GLOBAL, startCluster, tenantResource, type Cluster } from "./cluster.ts";
import { listenEarly } from "./listen.ts";
import { outputOptions, startDelivery } from "./delivery.ts";
import { startDigests } from "./digest-schedule.ts";
import { startRestoreTests } from "../restore/schedule.ts";
import { watchStore } from "./store-watch.ts";
import type { Store } from "../store/store.ts";
import { SloTracker } from "../slo/tracker.ts";
import { Objectives, sanitizeSettings } from "../sli/objectives.ts";
import { sliDefinition } from "../sli/catalog.ts";
import { zoneOffsetMs } from "../odoo/datetime.ts";
import { registerAlertMetrics, registerSloMetrics } from "../metrics/slo-metrics.ts";

/** The Logistics Health dashboard inside the tenant's Odoo (the addon's client action). */
function dashboardUrl(t: Tenant | undefined): string | undefined {
  return t && !t.demo ? `${new URL(t.url).origin}/odoo/action-logistics_observability.logistics_dashboard_action` : undefined;
}

export interface Backend {
  port: number;
  store: Store;
  runner: Runner;
  collectors: BusinessCollector[];
  /** Every collector, business and infrastructure, in the order the scheduler runs them. */
  collectorsAll: Collector[];
  tenants: Tenant[];
  /** What this instance samples and judges when several backends share the store. */
  cluster: Cluster;
  /** Stops sampling, waits for runs in flight, closes the HTTP server and the store. */
  stop(): Promise<void>;
}

/**
 * Wires the backend: store, demo Odoo when no tenant is configured, one business collector per tenant, the
 * runner, the scheduler and the HTTP API. main.ts adds only process concerns (signals, exit codes).
 */
export async function startBackend(config: Config, log: Logger, opts: { inMemoryStore?: boolean; schedule?: boolean } = {}): Promise<Backend> {
  const badTargets = unknownTargetKeys(config.targets);
  if (badTargets.length) throw new ConfigError(`invalid configuration: targets.${badTargets[0]}: unknown SLI id`);
  // Listening comes first: an orchestrator's liveness probe gets its answer while the store opens (the embedded
  // store takes seconds to tens of seconds), and readiness says why it is not ready yet.
  const listening = await listenEarly(config, log);
  const store = await openStore({ url: config.store.url, dataDir: config.dataDir, inMemory: opts.inMemoryStore, poolSize: config.store.poolSize }).catch(async (err: unknown) => {
    await listening.close();
    throw err;
  });
  log.info({ store: store.kind }, store.kind === "pglite" ? `store: embedded PGlite in ${config.dataDir}/pglite` : "store: PostgreSQL");

  let tenants = config.tenants;
  let closeDemo: (() => Promise<void>) | undefined;
  if (config.demo) {
    const demo = await startDemoOdoo({});
    closeDemo = demo.close;
    tenants = [{ name: "demo", url: demo.url, db: demo.db, user: demo.user, credential: new Secret(demo.password), credentialKind: "password", timezone: "UTC", timeoutMs: 10_000, demo: true }];
    log.warn({ url: demo.url }, "DEMO MODE: no tenant configured, sampling the built-in demo Odoo (simulated logistics workload). Set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD to sample a real Odoo.");
  }

  const metrics = new Metrics((def) => objectiveOf(def, config.targets));
  const runner = new Runner(store, metrics, log, config.sampling.timeoutSeconds * 1000);
  const timezoneOf = new Map(tenants.map((t) => [t.name, t.timezone]));
  const offsetMinutes = (tenant: string, at: number) => zoneOffsetMs(new Date(at), timezoneOf.get(tenant) ?? "UTC") / 60_000;
  const slo = new SloTracker(store.slo, new Objectives(config.targets, config.slo), { calendar: config.calendar, offsetMinutes });
  const restored = await slo.restore(new Date());
  if (restored) log.info({ buckets: restored }, "SLO ledgers restored from the store");
  // Set once the cluster is up: until then (and with one instance) every tenant is this instance's.
  let ownsTenant = (_tenant: string) => true;
  registerSloMetrics(metrics.registry, slo, (tenant) => ownsTenant(tenant));
  void registerAlertMetrics(metrics.registry, (tenant) => store.alerts.list({ tenant }));

  const onSettings = async (tenant: string, raw: unknown) => {
    const { settings, rejected } = sanitizeSettings(raw, (id) => sliDefinition(id) !== undefined);
    if (rejected.length) log.warn({ tenant, rejected }, "Odoo settings ignored: unknown SLI or value out of range");
    const before = JSON.stringify(slo.objectives.tenantSettings(tenant) ?? null);
    if (before === JSON.stringify(settings)) return;
    slo.objectives.setTenant(tenant, settings);
    await store.slo.saveSettings(tenant, settings, new Date());
    log.info({ tenant, objectives: settings.objectives, slo: settings.slo }, "objectives synced from the tenant's Odoo settings");
  };
  const set = buildCollectors(config, tenants, store, { onSettings });
  const collectors = set.business;
  const byTenant = new Map(collectors.map((c) => [c.tenant, c]));
  // Remembered, so that alerts still go the Odoo way (and fall back to SMTP) while that Odoo is down; a tenant
  // whose addon settings were synced before a restart has the addon until its collector says otherwise.
  const withAddon = new Set<string>();
  for (const { tenant } of await store.slo.allSettings()) if (tenants.some((t) => t.name === tenant && !t.demo)) withAddon.add(tenant);
  const evaluator = new AlertEvaluator(
    store,
    slo,
    {
      forSeconds: config.alerts.forSeconds,
      intervalSeconds: config.sampling.intervalSeconds,
      redisTenants: config.sources.redis?.usedBy ?? [],
      tenants: tenants.map((t) => t.name),
      recipients: config.alerts.recipients,
      repeatMinutes: config.alerts.repeatMinutes,
      anomalyThreshold: config.alerts.anomalyThreshold,
      channelOf: (tenant) => (withAddon.has(tenant) ? "odoo" : "smtp"),
      dashboardUrl: (tenant) => dashboardUrl(tenants.find((t) => t.name === tenant)),
      timeZone: config.alerts.timeZone,
      outputs: outputOptions(config, (tenant) => dashboardUrl(tenants.find((t) => t.name === tenant))),
    },
    () => runner.health().filter((h) => !h.ok),
  );
  // What judging costs, per run: the fleet benchmark adds it up per cycle (the alert round).
  const evaluationSeconds = new Counter({ name: "logistics_alert_evaluation_seconds_total", help: "Time spent judging runs' readings (alerts, SLOs, incidents).", registers: [metrics.registry] });
  // One evaluation at a time: runs of different collectors finish concurrently, and two evaluations reading and
  // writing the same alert would undo each other.
  let evaluating: Promise<void> = Promise.resolve();
  runner.onRun((report) => {
    const addon = byTenant.get(report.tenant)?.addonInstalled;
    if (addon === true && !tenants.find((t) => t.name === report.tenant)?.demo) withAddon.add(report.tenant);
    if (addon === false) withAddon.delete(report.tenant);
    evaluating = evaluating.catch(() => {}).then(async () => {
      const before = evaluator.enqueued;
      const started = performance.now();
      await evaluator.evaluate(report);
      evaluationSeconds.inc((performance.now() - started) / 1000);
      if (evaluator.enqueued !== before) delivery.nudge();
      // Its alert states are current: the tenant's Odoo notes it, and says so on its records when this stops.
      if (report.ok && report.source === "odoo_business" && withAddon.has(report.tenant)) delivery.heartbeat(report.tenant);
    });
    return evaluating;
  });
  // Judged: the run's SLO budgets and alert counts are rendered once for the scrapes until the next run.
  runner.onRun((report) => metrics.judged(report));
  const delivery = startDelivery(config, tenants, store, log);
  const stopDigests = startDigests(config, tenants, { store, objectives: slo.objectives, log, nudge: () => delivery.nudge(), dashboardUrl: (t) => dashboardUrl(tenants.find((x) => x.name === t)) });
  const stopStoreWatch = watchStore(config, runner, log);
  if (!config.alerts.smtp || !config.alerts.recipients.length) {
    log.warn("no alerts.smtp or alerts.recipients: pages about the monitor itself (a tenant it cannot sample, its store failing) reach nobody");
  }
  // When the collectors of a tenant taken from another backend last ran: taken during a cycle, it is sampled in
  // that cycle only if its previous holder had not sampled it yet (a killed instance's tenants wait no longer).
  const lastRunAt = new Map<string, number>();
  const intervalMs = config.sampling.intervalSeconds * 1000;
  // Several backends on one PostgreSQL store share the tenants; the global collectors and housekeeping run on one.
  const cluster = await startCluster(store, [...new Set(set.all.map((c) => tenantResource(c.tenant)))], config.sampling.intervalSeconds * 1000, log, async (gained) => {
    const now = new Date();
    for (const r of gained) if (r !== GLOBAL) await slo.restoreTenant(r.slice("tenant:".length), now);
    evaluator.forgetOpenIncidents();
    for (const [owner, at] of await store.lastRunAt(gained.map((r) => (r === GLOBAL ? GLOBAL : r.slice("tenant:".length))))) lastRunAt.set(owner, at);
  });
  const mayRun = (tenant: string, cycleStartedAt: number) => {
    const since = cluster.heldSince(tenantResource(tenant));
    if (since === undefined) return false;
    if (since <= cycleStartedAt) return true;
    return Date.now() - (lastRunAt.get(tenant) ?? 0) > intervalMs / 2;
  };
  ownsTenant = (tenant) => cluster.owns(tenantResource(tenant));
  // Restore tests are shared work: scheduled on the instance holding the global lease, once at a time per test.
  const restoreTests = startRestoreTests(config.restoreTests, { store, log, instance: cluster.instance, ownsSharedWork: () => cluster.owns(GLOBAL), schedule: opts.schedule !== false });
  const scheduler = new Scheduler(set.all, runner, {
    intervalSeconds: config.sampling.intervalSeconds,
    jitterSeconds: config.sampling.jitterSeconds ?? defaultJitter(config.sampling.intervalSeconds),
    owns: (c, cycleStartedAt) => mayRun(c.tenant, cycleStartedAt),
    maxConcurrent: config.sampling.maxConcurrentRuns,
  }, log);

  const app = createApp({
    config: { ...config, tenants },
    store,
    runner,
    metrics,
    log,
    serverVersion: (t) => byTenant.get(t)?.serverVersion,
    postgresDetails: () => set.postgres?.details(),
    scheduler: opts.schedule !== false ? () => scheduler.progress() : undefined,
    slo: { tracker: slo, calendar: config.calendar, offsetMinutes, freshen: freshenLedgers(slo, (t) => cluster.owns(tenantResource(t)), () => tenants.map((t) => t.name)) },
    digestTimeZone: config.digest.timeZone,
    restoreTests,
    capacity: (now) => set.capacity.report(now),
  });
  listening.serve(app);
  log.info({ host: config.host, port: listening.port, tenants: tenants.map((t) => t.name) }, `serving http://${listening.shown}:${listening.port} (/healthz, /readyz, /metrics, /api/v1)`);
  const { server, port } = listening;

  // Hourly on the monotonic clock (a timer, not a wall-clock schedule): a clock step neither skips nor repeats it.
  const retention = setInterval(async () => {
    if (!cluster.owns(GLOBAL)) return;
    const cutoff = new Date(Date.now() - config.store.retentionDays * 86_400_000);
    const n = await store.prune(cutoff).catch((err) => log.error({ err: String(err) }, "retention prune failed"));
    await store.slo.prune(new Date()).catch((err) => log.error({ err: String(err) }, "SLO rollup prune failed"));
    if (n) log.info({ deleted: n }, "retention: old samples deleted");
  }, 3_600_000);
  if (opts.schedule !== false) scheduler.start();

  return {
    port,
    store,
    runner,
    collectors,
    collectorsAll: set.all,
    tenants,
    cluster,
    async stop() {
      clearInterval(retention);
      await stopDigests();
      await restoreTests.stop();
      delivery.stop();
      stopStoreWatch();
      await scheduler.stop();
      await cluster.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled(set.all.map((c) => c.close?.()));
      await store.close();
      await closeDemo?.();
    },
  };
}
