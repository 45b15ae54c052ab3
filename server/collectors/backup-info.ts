/**
 * Readers of the backup tools' own reports, reduced to "when did the last good backup finish, and how big".
 * pgBackRest: `pgbackrest info --output=json`; WAL-G: `wal-g backup-list --json --detail`.
 */
export interface BackupFact {
  /** "event" when pushed to POST /api/v1/events/backup by the backup job itself. */
  tool: "pgbackrest" | "wal-g" | "event";
  finished: Date;
  sizeBytes: number | null;
}

interface PgBackRestStanza {
  name?: string;
  backup?: Array<{ timestamp?: { stop?: number }; info?: { size?: number }; error?: boolean }>;
}

/** The newest backup without error over all stanzas, or undefined when there is none. */
export function lastPgBackRestBackup(json: unknown): BackupFact | undefined {
  if (!Array.isArray(json)) throw new Error("pgBackRest info: expected a JSON array of stanzas");
  const backups = (json as PgBackRestStanza[]).flatMap((s) => s.backup ?? []).filter((b) => b.error !== true && typeof b.timestamp?.stop === "number");
  const last = backups.sort((a, b) => a.timestamp!.stop! - b.timestamp!.stop!).at(-1);
  return last && { tool: "pgbackrest", finished: new Date(last.timestamp!.stop! * 1000), sizeBytes: last.info?.size ?? null };
}

interface WalgBackup {
  finish_time?: string;
  time?: string;
  uncompressed_size?: number;
  compressed_size?: number;
}

export function lastWalgBackup(json: unknown): BackupFact | undefined {
  if (!Array.isArray(json)) throw new Error("WAL-G backup-list: expected a JSON array of backups");
  const dated = (json as WalgBackup[])
    .map((b) => ({ b, at: new Date(b.finish_time ?? b.time ?? "") }))
    .filter((x) => !Number.isNaN(x.at.getTime()))
    .sort((x, y) => x.at.getTime() - y.at.getTime());
  const last = dated.at(-1);
  return last && { tool: "wal-g", finished: last.at, sizeBytes: last.b.compressed_size ?? last.b.uncompressed_size ?? null };
}
