import { readFile } from "node:fs/promises";
import type { Sources } from "../config/load.ts";
import { restoreTestSignals, type LatestRestoreEvent } from "../restore/plan.ts";
import { reading, type Reading } from "../sli/sample.ts";
import type { Store } from "../store/store.ts";
import { lastPgBackRestBackup, lastWalgBackup, type BackupFact } from "./backup-info.ts";
import type { CollectContext, Collector } from "./collector.ts";

const secondsSince = (at: Date, now: Date) => Math.max(0, (now.getTime() - at.getTime()) / 1000);

/**
 * Backup and recovery evidence: the last successful base backup (pushed events, or the pgBackRest / WAL-G reports
 * when configured), the last successful restore test, and the WAL archiving gap. Without evidence the SLI is
 * missing, which is itself the alarm: an unproven backup is not a backup. Restore tests are judged per test name
 * (the backend's own, server/restore/; pushed events without a name are one test): how many failed last, and how
 * long the last successful restore took against its recovery time objective.
 */
export class BackupsCollector implements Collector {
  readonly tenant = "global";
  readonly source = "backups";
  readonly slis = ["backup_last_success_age_seconds", "backup_failing", "backup_last_size_bytes", "restore_test_last_success_age_seconds", "restore_test_failing", "restore_test_duration_of_objective_ratio", "wal_archive_gap_seconds"];

  constructor(
    private readonly store: Store,
    private readonly config: Sources["backups"],
    /** The configured restore tests: the results of tests no longer configured are left out. */
    private readonly restoreTestNames: readonly string[] = [],
  ) {}

  async collect({ now }: CollectContext): Promise<Reading[]> {
    const facts: BackupFact[] = [];
    const base = await this.store.events.lastBackup("base", "success");
    if (base) facts.push({ tool: "event", finished: base.at, sizeBytes: typeof base.payload.size === "number" ? base.payload.size : null });
    const { pgbackrestInfoFile, walgBackupListFile } = this.config ?? {};
    if (pgbackrestInfoFile) facts.push(...present(lastPgBackRestBackup(await readJson(pgbackrestInfoFile))));
    if (walgBackupListFile) facts.push(...present(lastWalgBackup(await readJson(walgBackupListFile))));
    const last = facts.sort((a, b) => a.finished.getTime() - b.finished.getTime()).at(-1);
    const restore = await this.store.events.lastBackup("restore_test", "success");
    const wal = await this.store.events.lastBackup("wal", "success");
    // A failed attempt after the last success is news now, a day before the success grows too old.
    const failed = await this.store.events.lastBackup("base", "failure");
    const latestRestores = (await this.store.events.latestRestoreTests()).map((e) => ({ name: e.name, at: e.at, payload: e.payload as LatestRestoreEvent["payload"] }));
    const restores = restoreTestSignals(latestRestores, this.restoreTestNames.length ? new Set(this.restoreTestNames) : undefined);
    return [
      reading("backup_last_success_age_seconds", last && secondsSince(last.finished, now), "no successful backup reported"),
      reading("backup_failing", failed && (!base || failed.at > base.at) ? 1 : 0, ""),
      reading("backup_last_size_bytes", last?.sizeBytes ?? undefined, "the last backup reported no size"),
      reading("restore_test_last_success_age_seconds", restore && secondsSince(restore.at, now), "no successful restore test reported"),
      reading("restore_test_failing", restores.failing, ""),
      reading("restore_test_duration_of_objective_ratio", restores.worstObjectiveRatio, "no successful restore test reported its duration and recovery time objective"),
      reading("wal_archive_gap_seconds", wal && secondsSince(wal.at, now), "no WAL archiving event reported"),
    ];
  }
}

const present = <T>(x: T | undefined): T[] => (x === undefined ? [] : [x]);

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new Error(`backup report ${file}: cannot be read (${err.code ?? err.message})`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`backup report ${file}: not valid JSON`);
  }
}
