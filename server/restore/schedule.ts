/**
 * The backend's restore tests: each on its own cron schedule, on the instance that holds the shared ("global")
 * work, and on demand from the API. A test runs once at a time across every backend on the store (a lease per
 * test); one failing or hanging never stops another, nor the sampler (pg_restore is a child process).
 */
import cron, { type ScheduledTask } from "node-cron";
import type { RestoreTest } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import type { Store } from "../store/store.ts";
import { recordRestoreTest, runRestoreTest, type RestoreResult, type RunOptions } from "./runner.ts";

/** Refused: the test is running here or on another backend. */
export class RestoreTestRunning extends Error {
  override name = "RestoreTestRunning";
}

export interface RestoreTests {
  /** The configured tests (no secret is read from them here). */
  readonly tests: readonly RestoreTest[];
  running(name: string): boolean;
  /** Runs a test now, records its event, answers its result; throws RestoreTestRunning when it already runs. */
  run(name: string): Promise<RestoreResult>;
  /** Stops the schedules, aborts tests in flight (their scratch databases are still dropped) and waits for them. */
  stop(): Promise<void>;
}

export interface RestoreScheduleDeps {
  store: Pick<Store, "events" | "leases">;
  log: Logger;
  /** This backend's id in the leases (the cluster's). */
  instance: string;
  /** Whether this instance does the shared work now: scheduled runs happen only there. */
  ownsSharedWork: () => boolean;
  /** false: no cron schedules (tests, and a backend started without its scheduler); runs on demand still work. */
  schedule?: boolean;
  runOptions?: Omit<RunOptions, "signal">;
}

/** A lease outlives a renewal missed or two, and lapses within a minute of a backend killed mid-test. */
const LEASE_MS = 60_000;
const RENEW_MS = 15_000;
const leaseOf = (name: string) => `restore-test:${name}`;

export function startRestoreTests(tests: readonly RestoreTest[], deps: RestoreScheduleDeps): RestoreTests {
  const inFlight = new Map<string, Promise<RestoreResult>>();
  const aborter = new AbortController();
  let stopped = false;

  const execute = async (test: RestoreTest): Promise<RestoreResult> => {
    const resource = [leaseOf(test.name)];
    const held = await deps.store.leases.acquire(resource, deps.instance, LEASE_MS);
    if (!held.has(resource[0]!)) throw new RestoreTestRunning(`restore test "${test.name}" is running on another backend`);
    const renew = setInterval(() => void deps.store.leases.acquire(resource, deps.instance, LEASE_MS).catch(() => {}), RENEW_MS);
    try {
      const result = await runRestoreTest(test, { ...deps.runOptions, signal: aborter.signal });
      // A test cut short by the backend's shutdown proves nothing either way: not recorded.
      if (aborter.signal.aborted) return result;
      await recordRestoreTest(deps.store, result).catch((err: Error) => deps.log.error({ test: test.name, err: err.message }, "restore test result could not be recorded in the store"));
      const fields = { test: test.name, tenant: test.tenant, archive: result.archive, durationSeconds: result.durationSeconds, withinObjective: result.withinObjective };
      if (result.status === "success") deps.log.info(fields, "restore test passed");
      else deps.log.error({ ...fields, error: result.error }, "restore test FAILED");
      return result;
    } finally {
      clearInterval(renew);
      await deps.store.leases.release(resource, deps.instance).catch(() => {});
    }
  };

  const run = (name: string): Promise<RestoreResult> => {
    const test = tests.find((t) => t.name === name);
    if (!test) return Promise.reject(new Error(`no restore test named "${name}"`));
    if (stopped) return Promise.reject(new RestoreTestRunning("the backend is stopping"));
    if (inFlight.has(name)) return Promise.reject(new RestoreTestRunning(`restore test "${name}" is already running`));
    const p = execute(test).finally(() => inFlight.delete(name));
    inFlight.set(name, p);
    return p;
  };

  const tasks: ScheduledTask[] =
    deps.schedule === false
      ? []
      : tests.map((test) =>
          cron.schedule(
            test.schedule,
            async () => {
              if (!deps.ownsSharedWork()) return;
              await run(test.name).catch((err: Error) => {
                if (err instanceof RestoreTestRunning) deps.log.warn({ test: test.name }, `scheduled restore test skipped: ${err.message}`);
                else deps.log.error({ test: test.name, err: err.message }, "scheduled restore test could not run");
              });
            },
            { name: `restore-test:${test.name}`, timezone: test.timeZone, noOverlap: true, logger: cronLogger(deps.log) },
          ),
        );
  if (tasks.length) deps.log.info({ tests: tests.map((t) => ({ name: t.name, schedule: t.schedule, timeZone: t.timeZone })) }, "restore tests scheduled");

  return {
    tests,
    running: (name) => inFlight.has(name),
    run,
    async stop() {
      stopped = true;
      await Promise.allSettled(tasks.map((t) => t.destroy()));
      aborter.abort();
      await Promise.allSettled(inFlight.values());
    },
  };
}

/** node-cron's own messages (a missed run after a long pause, for instance) in the backend's log. */
function cronLogger(log: Logger) {
  return {
    info: (m: string) => log.debug({ component: "node-cron" }, m),
    warn: (m: string) => log.warn({ component: "node-cron" }, m),
    error: (m: string | Error) => log.error({ component: "node-cron", err: String(m) }, "node-cron error"),
    debug: (m: string | Error) => log.debug({ component: "node-cron" }, String(m)),
  };
}
