/**
 * A restore test, the I/O around plan.ts: create a scratch database, pg_restore the archive into it, check it,
 * drop it whatever happened, and say what was found. Never throws: every failure is in the result.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { RestoreTest } from "../config/load.ts";
import type { StoredEvent } from "../store/events.ts";
import type { Store } from "../store/store.ts";
import { readBackupCounts, resolveArchive, type Archive } from "./archive.ts";
import { databaseOf, libpqEnv, quoteIdent, runPgTool, scrubber, toolFailure, withDatabase } from "./pg-process.ts";
import { defaultTimeoutSeconds, dropCheck, judge, NO_COUNTS_NOTE, sampleCheck, scratchDatabaseName, tableChecks, type BackupCounts, type RestoreCheck } from "./plan.ts";

/** What a restore test found: the payload of its event (`kind: "backup"`), and the answer of the API. */
export interface RestoreResult {
  kind: "restore_test";
  status: "success" | "failure";
  name: string;
  tenant: string | null;
  tool: "pg_restore";
  /** The archive's file name (never its directory, never a URL). */
  archive: string | null;
  archiveSizeBytes: number | null;
  /** When the archive's snapshot was taken, from its counts file. */
  backupTakenAt: string | null;
  started: string;
  finished: string;
  /** Creating the scratch database and pg_restore: the recovery the objective is about (null: not started). */
  durationSeconds: number | null;
  /** The checks after it. */
  checkSeconds: number | null;
  recoveryObjectiveSeconds: number;
  /** null when the restore did not complete. */
  withinObjective: boolean | null;
  objectiveRatio: number | null;
  checks: RestoreCheck[];
  note?: string;
  error?: string;
}

export interface RunOptions {
  /** Aborting stops pg_restore; the scratch database is still dropped. */
  signal?: AbortSignal;
  /** Directory of pg_restore (default: the PATH). */
  pgBinDir?: string;
}

/** Every statement of the checks is bounded: a restored table is counted, not scanned for ever. */
const CHECK_STATEMENT_TIMEOUT_MS = 300_000;
const round = (s: number) => Math.round(s * 1000) / 1000;

export async function runRestoreTest(test: RestoreTest, opts: RunOptions = {}): Promise<RestoreResult> {
  const url = test.scratchUrl.reveal();
  const scrub = scrubber(url);
  const started = new Date();
  const checks: RestoreCheck[] = [];
  let archive: Archive | undefined;
  let counts: BackupCounts | undefined;
  let failure: string | undefined;
  let restoreSeconds: number | null = null;
  let elapsedSeconds: number | null = null;
  let checkSeconds: number | null = null;
  try {
    archive = await resolveArchive(test.archive.path);
    counts = await readBackupCounts(archive.path);
    const database = scratchDatabaseName(test.name, randomBytes(4).toString("hex"));
    const admin = client(url);
    await admin.connect();
    let created = false;
    try {
      const t0 = performance.now();
      await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
      created = true;
      const timeoutSeconds = test.timeoutSeconds ?? defaultTimeoutSeconds(test.recoveryObjectiveSeconds);
      const run = await runPgTool("pg_restore", ["--no-owner", "--no-acl", "--jobs", String(test.jobs), "--dbname", database, archive.path], {
        env: libpqEnv(url, database), timeoutMs: timeoutSeconds * 1000, signal: opts.signal, binDir: opts.pgBinDir,
      });
      elapsedSeconds = (performance.now() - t0) / 1000;
      if (run.code === 0) restoreSeconds = elapsedSeconds;
      else failure = scrub(toolFailure("pg_restore", run, timeoutSeconds));
      // What a partial restore holds is worth saying too; a stopped one is not looked at.
      if (!run.killed) {
        const t1 = performance.now();
        checks.push(...(await checkDatabase(withDatabase(url, database), test, counts, scrub)));
        checkSeconds = (performance.now() - t1) / 1000;
      }
    } finally {
      if (created) checks.push(dropCheck(database, await dropDatabase(admin, database).then(() => undefined, (err: Error) => scrub(err.message))));
      await admin.end().catch(() => {});
    }
  } catch (err) {
    failure = scrub(err instanceof Error ? err.message : String(err));
  }
  const verdict = judge({ failure, restoreSeconds, recoveryObjectiveSeconds: test.recoveryObjectiveSeconds, checks });
  return {
    kind: "restore_test",
    status: verdict.status,
    name: test.name,
    tenant: test.tenant ?? null,
    tool: "pg_restore",
    archive: archive?.file ?? null,
    archiveSizeBytes: archive?.sizeBytes ?? null,
    backupTakenAt: counts?.takenAt ?? null,
    started: started.toISOString(),
    finished: new Date().toISOString(),
    durationSeconds: elapsedSeconds === null ? null : round(elapsedSeconds),
    checkSeconds: checkSeconds === null ? null : round(checkSeconds),
    recoveryObjectiveSeconds: test.recoveryObjectiveSeconds,
    withinObjective: verdict.withinObjective,
    objectiveRatio: verdict.objectiveRatio === null ? null : round(verdict.objectiveRatio),
    checks,
    ...(archive && !counts && { note: NO_COUNTS_NOTE }),
    ...(verdict.error !== undefined && { error: verdict.error }),
  };
}

/** Appends the result as a backup event (`payload.kind: "restore_test"`), at its finish, for its tenant. */
export function recordRestoreTest(store: Pick<Store, "events">, result: RestoreResult): Promise<StoredEvent> {
  return store.events.append("backup", result.tenant, new Date(result.finished), { ...result });
}

function client(url: string): pg.Client {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, statement_timeout: CHECK_STATEMENT_TIMEOUT_MS, application_name: "logistics-observability-restore" });
  c.on("error", () => {});
  return c;
}

/** Counts each key table and runs the sample query, read-only, on the restored database. */
async function checkDatabase(url: string, test: RestoreTest, counts: BackupCounts | undefined, scrub: (s: string) => string): Promise<RestoreCheck[]> {
  const db = client(url);
  try {
    await db.connect();
    const restored = new Map<string, number | null>();
    for (const table of test.keyTables) {
      const [exists] = (await db.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [quoteIdent(table)])).rows;
      restored.set(table, exists?.found ? Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)).rows[0]!.n) : null);
    }
    let sample: { rows: number } | { error: string };
    try {
      await db.query("BEGIN READ ONLY");
      const answer = (await db.query(test.sampleQuery)) as pg.QueryResult | pg.QueryResult[];
      sample = { rows: (Array.isArray(answer) ? answer.at(-1)! : answer).rows.length };
    } catch (err) {
      sample = { error: scrub((err as Error).message) };
    } finally {
      await db.query("ROLLBACK").catch(() => {});
    }
    return [...tableChecks(test.keyTables, restored, counts), sampleCheck(sample)];
  } catch (err) {
    return [{ name: "checks", ok: false, expected: null, actual: null, detail: `the restored database ${databaseOf(url)} could not be checked: ${scrub((err as Error).message)}` }];
  } finally {
    await db.end().catch(() => {});
  }
}

/** Drops the scratch database, ending sessions still in it (FORCE, PostgreSQL 13 and later). */
async function dropDatabase(admin: pg.Client, database: string): Promise<void> {
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  } catch (err) {
    if ((err as { code?: string }).code !== "42601") throw err;
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
  }
}
