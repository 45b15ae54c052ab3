/**
 * npm run restore-test: runs the configured restore tests once, now, prints their results and records them in the
 * backend's store, as the backend's schedule does. Run --help for the options.
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "../server/config/load.ts";
import { recordRestoreTest, runRestoreTest, type RestoreResult } from "../server/restore/runner.ts";
import { openStore } from "../server/store/open.ts";
import type { Store } from "../server/store/store.ts";

const HELP = `Usage: npm run restore-test -- --config FILE [--name NAME] [--no-record]

Restores each restore test's newest pg_dump archive (restoreTests in the config file) into a scratch database,
checks the key tables' row counts against those recorded at backup time and runs the sample query, drops the
scratch database, and prints the result as JSON (a summary on stderr). Exit code 1 when a test failed.

  --config FILE   the backend's config file (also CONFIG_FILE)
  --name NAME     only this test
  --no-record     print only; by default the result is recorded as a backup event (kind restore_test) in the
                  config's PostgreSQL store. The embedded store belongs to the running backend and is not opened:
                  run POST /api/v1/restore-tests/NAME/run there instead to record it.`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { config: { type: "string" }, name: { type: "string" }, "no-record": { type: "boolean" }, help: { type: "boolean" } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const file = values.config ?? process.env.CONFIG_FILE;
  if (!file) return usage("--config: the config file holding restoreTests");
  let config: Config;
  try {
    config = loadConfig(process.env, file);
  } catch (err) {
    if (err instanceof ConfigError) return usage(err.message);
    throw err;
  }
  const tests = config.restoreTests.filter((t) => values.name === undefined || t.name === values.name);
  if (!tests.length) return usage(values.name ? `no restore test named "${values.name}" in ${file}` : `${file}: no restoreTests configured`);

  let store: Store | undefined;
  if (!values["no-record"]) {
    if (config.store.url) store = await openStore({ url: config.store.url, poolSize: 2 });
    else console.error("the config's store is the embedded one (the backend's own): results are printed, not recorded");
  }
  const results: RestoreResult[] = [];
  try {
    for (const test of tests) {
      console.error(`restore test ${test.name}: restoring…`);
      const result = await runRestoreTest(test);
      results.push(result);
      if (store) await recordRestoreTest(store, result);
      console.error(summary(result));
    }
  } finally {
    await store?.close();
  }
  console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
  return results.every((r) => r.status === "success") ? 0 : 1;
}

/** One line a person reads: verdict, archive, duration against the objective, failed checks. */
function summary(r: RestoreResult): string {
  const timing = r.durationSeconds === null ? "not restored" : `restored in ${r.durationSeconds.toFixed(1)} s of ${r.recoveryObjectiveSeconds} s allowed${r.withinObjective === false ? " (OBJECTIVE MISSED)" : ""}`;
  const passed = r.checks.filter((c) => c.ok).length;
  return `restore test ${r.name}: ${r.status.toUpperCase()}, ${r.archive ?? "no archive"}, ${timing}, ${passed}/${r.checks.length} checks passed${r.note ? `; ${r.note}` : ""}${r.error ? `; ${r.error}` : ""}`;
}

function usage(message: string): number {
  console.error(`${message}\n\n${HELP}`);
  return 2;
}

process.exitCode = await main();
