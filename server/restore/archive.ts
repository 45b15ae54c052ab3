import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { backupCountsSchema, countsFileOf, newestDump, type BackupCounts } from "./plan.ts";

export interface Archive {
  path: string;
  /** The file name only: what events and the API show (never the directory layout of the backup host). */
  file: string;
  sizeBytes: number;
}

/** The configured archive: the file itself, or the newest `*.dump` of a directory. Errors say which path and why. */
export async function resolveArchive(path: string): Promise<Archive> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`archive ${path}: ${err.code === "ENOENT" ? "does not exist" : `cannot be read (${err.code ?? err.message})`}`);
  });
  if (st.isFile()) return { path, file: basename(path), sizeBytes: st.size };
  if (!st.isDirectory()) throw new Error(`archive ${path}: neither a file nor a directory`);
  const names = await readdir(path);
  const entries = await Promise.all(
    names.filter((n) => n.endsWith(".dump")).map(async (name) => {
      const s = await stat(join(path, name));
      return { name, mtimeMs: s.mtimeMs, size: s.size, isFile: s.isFile() };
    }),
  );
  const newest = newestDump(entries.filter((e) => e.isFile));
  if (!newest) throw new Error(`archive directory ${path}: no *.dump file in it`);
  return { path: join(path, newest.name), file: newest.name, sizeBytes: newest.size };
}

/** The row counts recorded beside the archive at backup time; undefined when there are none. */
export async function readBackupCounts(archive: string): Promise<BackupCounts | undefined> {
  const file = countsFileOf(archive);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${basename(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${basename(file)}: not valid JSON`);
  }
  const parsed = backupCountsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${basename(file)}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
