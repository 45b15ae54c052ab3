/**
 * A consistent pg_dump with the key tables' row counts of the very snapshot it dumps: a REPEATABLE READ transaction
 * exports its snapshot, counts the tables, and pg_dump --snapshot dumps that snapshot while the transaction is
 * open. The counts go beside the archive (`<archive>.counts.json`), where a restore test finds them.
 */
import { rename, rm, stat, writeFile } from "node:fs/promises";
import pg from "pg";
import { DEFAULT_KEY_TABLES } from "../config/restore-schema.ts";
import { databaseOf, libpqEnv, quoteIdent, runPgTool, scrubber, toolFailure } from "./pg-process.ts";
import { countsFileOf, type BackupCounts } from "./plan.ts";

export interface BackupOptions {
  /** The database to dump: postgres://user:password@host:port/database. */
  sourceUrl: string;
  /** The archive to write (pg_dump's custom format); it appears under this name only once complete. */
  file: string;
  keyTables?: readonly string[];
  timeoutSeconds?: number;
  pgBinDir?: string;
}

export interface BackupTaken extends BackupCounts {
  file: string;
  countsFile: string;
  started: string;
  finished: string;
  sizeBytes: number;
}

/** Takes the backup; throws an Error saying what failed (never the URL's password) and leaves no partial archive. */
export async function takeBackup(opts: BackupOptions): Promise<BackupTaken> {
  const scrub = scrubber(opts.sourceUrl);
  const started = new Date();
  const partial = `${opts.file}.partial`;
  const db = new pg.Client({ connectionString: opts.sourceUrl, connectionTimeoutMillis: 10_000, application_name: "logistics-observability-backup" });
  db.on("error", () => {});
  try {
    await db.connect();
    await db.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const [snap] = (await db.query<{ snapshot: string; taken_at: Date }>("SELECT pg_export_snapshot() AS snapshot, now() AS taken_at")).rows;
    const counts: Record<string, number> = {};
    const absentTables: string[] = [];
    for (const table of opts.keyTables ?? DEFAULT_KEY_TABLES) {
      const [found] = (await db.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [quoteIdent(table)])).rows;
      if (found?.found) counts[table] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)).rows[0]!.n);
      else absentTables.push(table);
    }
    const timeoutSeconds = opts.timeoutSeconds ?? 6 * 3600;
    const run = await runPgTool("pg_dump", ["--format=custom", `--snapshot=${snap!.snapshot}`, "--file", partial], {
      env: libpqEnv(opts.sourceUrl), timeoutMs: timeoutSeconds * 1000, binDir: opts.pgBinDir,
    });
    if (run.code !== 0) throw new Error(toolFailure("pg_dump", run, timeoutSeconds));
    await db.query("COMMIT");
    const sizeBytes = (await stat(partial)).size;
    const recorded: BackupCounts = { database: databaseOf(opts.sourceUrl), takenAt: snap!.taken_at.toISOString(), counts, absentTables, sizeBytes };
    // The counts first: the archive never appears without them.
    const countsFile = countsFileOf(opts.file);
    await writeFile(`${countsFile}.partial`, `${JSON.stringify(recorded, null, 2)}\n`);
    await rename(`${countsFile}.partial`, countsFile);
    await rename(partial, opts.file);
    return { ...recorded, file: opts.file, countsFile, started: started.toISOString(), finished: new Date().toISOString(), sizeBytes };
  } catch (err) {
    await rm(partial, { force: true });
    throw new Error(scrub(err instanceof Error ? err.message : String(err)));
  } finally {
    await db.end().catch(() => {});
  }
}
