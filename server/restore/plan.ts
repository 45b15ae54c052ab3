/**
 * What a restore test decides, without I/O: which archive to restore, what the restored tables are compared with,
 * when the test failed and whether the restore met its recovery time objective. runner.ts does the I/O around it.
 */
import { z } from "zod";

/** Said by a result whose archive has no `<archive>.counts.json`: tables and the sample query are still checked. */
export const NO_COUNTS_NOTE = "no row counts recorded at backup time";

/** A file of an archive directory. */
export interface ArchiveEntry {
  name: string;
  mtimeMs: number;
  size: number;
}

/** The newest `*.dump` file (the later name on equal times, as timestamped names sort), or undefined. */
export function newestDump(entries: readonly ArchiveEntry[]): ArchiveEntry | undefined {
  return entries
    .filter((e) => e.name.endsWith(".dump"))
    .sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name))
    .at(-1);
}

/** Where scripts/backup.ts writes the row counts of an archive's snapshot. */
export const countsFileOf = (archive: string): string => `${archive}.counts.json`;

/** `<archive>.counts.json`: the key tables' row counts in the very snapshot pg_dump wrote. */
export const backupCountsSchema = z.object({
  database: z.string(),
  takenAt: z.iso.datetime({ offset: true }),
  counts: z.record(z.string(), z.number().int().min(0)),
  /** Key tables that did not exist in the database at backup time. */
  absentTables: z.array(z.string()).default([]),
  sizeBytes: z.number().int().min(0).optional(),
});
export type BackupCounts = z.infer<typeof backupCountsSchema>;

/** One check of a restored database, as the event and the API show it. */
export interface RestoreCheck {
  name: string;
  ok: boolean;
  expected: number | null;
  actual: number | null;
  detail: string;
}

/**
 * Each key table against the backup: its restored row count (null: the table does not exist) equals the count
 * recorded at backup time. Without recorded counts, a table must exist; its count is shown, not judged.
 */
export function tableChecks(keyTables: readonly string[], restored: ReadonlyMap<string, number | null>, atBackup: BackupCounts | undefined): RestoreCheck[] {
  return keyTables.map((table) => {
    const actual = restored.get(table) ?? null;
    const name = `table ${table}`;
    if (!atBackup) {
      return actual === null
        ? { name, ok: false, expected: null, actual, detail: `does not exist after the restore (${NO_COUNTS_NOTE})` }
        : { name, ok: true, expected: null, actual, detail: `${actual} rows restored (${NO_COUNTS_NOTE})` };
    }
    const expected = atBackup.counts[table];
    if (expected === undefined) {
      const absentThen = atBackup.absentTables.includes(table);
      if (absentThen && actual === null) return { name, ok: true, expected: null, actual, detail: "did not exist at backup time either" };
      return { name, ok: false, expected: null, actual, detail: absentThen ? "did not exist at backup time but does after the restore" : "not counted at backup time" };
    }
    if (actual === null) return { name, ok: false, expected, actual, detail: `does not exist after the restore; ${expected} rows at backup time` };
    return actual === expected
      ? { name, ok: true, expected, actual, detail: `${actual} rows, as at backup time` }
      : { name, ok: false, expected, actual, detail: `${actual} rows restored, ${expected} at backup time` };
  });
}

/** The sample query ran on the restored database: the rows it answered, or why it failed. */
export function sampleCheck(outcome: { rows: number } | { error: string }): RestoreCheck {
  return "error" in outcome
    ? { name: "sample query", ok: false, expected: null, actual: null, detail: `failed: ${outcome.error}` }
    : { name: "sample query", ok: true, expected: null, actual: outcome.rows, detail: `${outcome.rows} rows` };
}

/** The scratch database was dropped, or why not (it is left behind: someone must drop it). */
export function dropCheck(database: string, error: string | undefined): RestoreCheck {
  return error === undefined
    ? { name: "scratch database dropped", ok: true, expected: null, actual: null, detail: `${database} dropped` }
    : { name: "scratch database dropped", ok: false, expected: null, actual: null, detail: `${database} could not be dropped: ${error}` };
}

/** `lo_restore_<name>_<random>`: a test's name may hold '-', which an unquoted database name may not. */
export function scratchDatabaseName(test: string, random: string): string {
  return `lo_restore_${test.replaceAll("-", "_")}_${random}`.slice(0, 63);
}

/** pg_restore's deadline when the test sets none: twice the objective, at least an hour, so a slow restore is still measured. */
export const defaultTimeoutSeconds = (recoveryObjectiveSeconds: number): number => Math.max(3600, 2 * recoveryObjectiveSeconds);

export interface Verdict {
  status: "success" | "failure";
  /** null: the restore did not complete, so there is no duration to hold to the objective. */
  withinObjective: boolean | null;
  objectiveRatio: number | null;
  error?: string;
}

/**
 * A test succeeds when the restore completed and every check passed. Meeting the objective is judged apart (a
 * slow restore is still a restore): `restore_test_duration_of_objective_ratio` alerts on it. The error says the
 * first cause: a restore that failed outright, then the checks that failed (each in `checks`).
 */
export function judge(input: { failure?: string; restoreSeconds: number | null; recoveryObjectiveSeconds: number; checks: readonly RestoreCheck[] }): Verdict {
  const ratio = input.restoreSeconds === null ? null : input.restoreSeconds / input.recoveryObjectiveSeconds;
  const timing = { withinObjective: ratio === null ? null : ratio <= 1, objectiveRatio: ratio };
  const failed = input.checks.filter((c) => !c.ok);
  const tables = failed.filter((c) => c.name.startsWith("table "));
  const reasons = input.failure
    ? [input.failure, ...(failed.length ? [`${failed.length} of ${input.checks.length} checks failed`] : [])]
    : [
        ...(input.restoreSeconds === null ? ["the restore did not complete"] : []),
        ...(tables.length ? [`key tables differ from the backup: ${tables.map((c) => `${c.name.slice("table ".length)} (${c.detail})`).join("; ")}`] : []),
        ...failed.filter((c) => !tables.includes(c)).map((c) => `${c.name}: ${c.detail}`),
      ];
  return reasons.length ? { status: "failure", ...timing, error: reasons.join("; ").slice(0, 2000) } : { status: "success", ...timing };
}

/** The restore-test part of a backup event's payload, as the runner writes it. */
export interface RestoreEventPayload {
  kind: "restore_test";
  status: "success" | "failure";
  name?: string;
  durationSeconds?: number | null;
  recoveryObjectiveSeconds?: number;
}

/** A test's latest event of each status (events pushed without a name are one test, `null`). */
export interface LatestRestoreEvent {
  name: string | null;
  at: Date;
  payload: RestoreEventPayload & Record<string, unknown>;
}

/**
 * The restore-test signals: how many tests' last run failed after their last success, and the worst ratio of a
 * last successful restore's duration to its objective (undefined when none reported both). Tests no longer
 * configured are left out when `configured` is given; pushed events (no name) always count.
 */
export function restoreTestSignals(latest: readonly LatestRestoreEvent[], configured?: ReadonlySet<string>): { failing: number; worstObjectiveRatio: number | undefined } {
  const byName = new Map<string | null, { success?: LatestRestoreEvent; failure?: LatestRestoreEvent }>();
  for (const e of latest) {
    if (e.name !== null && configured && !configured.has(e.name)) continue;
    const slot = byName.get(e.name) ?? {};
    const status = e.payload.status;
    if (!slot[status] || slot[status]!.at < e.at) slot[status] = e;
    byName.set(e.name, slot);
  }
  let failing = 0;
  let worst: number | undefined;
  for (const { success, failure } of byName.values()) {
    if (failure && (!success || failure.at > success.at)) failing++;
    const d = success?.payload.durationSeconds;
    const rto = success?.payload.recoveryObjectiveSeconds;
    if (typeof d === "number" && typeof rto === "number" && rto > 0) worst = Math.max(worst ?? 0, d / rto);
  }
  return { failing, worstObjectiveRatio: worst };
}
