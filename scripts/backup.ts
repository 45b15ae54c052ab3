/**
 * npm run backup: a consistent pg_dump of one database with the key tables' row counts of the same snapshot beside
 * it, and a backup event for the backend (`kind: "base"`, what backup_last_success_age_seconds and backup_failing
 * read). Run --help for the options.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { backupEvent } from "../server/api/events.ts";
import { ConfigError, loadConfig } from "../server/config/load.ts";
import { tableName } from "../server/config/restore-schema.ts";
import { takeBackup, type BackupTaken } from "../server/restore/backup.ts";
import { databaseOf } from "../server/restore/pg-process.ts";
import { openStore } from "../server/store/open.ts";

const HELP = `Usage: npm run backup -- --db URL (--out DIR | --file FILE) [--tables a,b,c] [--api URL | --store URL | --config FILE]

Dumps the database (pg_dump -Fc) from one REPEATABLE READ snapshot and writes the key tables' row counts of that
snapshot to <archive>.counts.json, where a restore test (npm run restore-test) compares the restored tables with
them. The archive appears under its name only once complete.

  --db URL        postgres://user:password@host:port/database (or BACKUP_DB_URL, which keeps the password out of ps)
  --out DIR       writes DIR/<database>-<UTC time>.dump
  --file FILE     writes FILE
  --tables LIST   tables to count (default: Odoo's sale_order, stock_picking, stock_move, stock_picking_batch,
                  res_partner, product_product)

The backup event (success or failure, size, tool pg_dump) goes to:
  --api URL       the backend's POST /api/v1/events/backup, with API_TOKEN from the environment (a token with the
                  write scope bound to no tenant): the usual way, from wherever the backup runs
  --store URL     the backend's PostgreSQL store directly (or STORE_URL)
  --config FILE   the store of the backend's config file (PostgreSQL only: the embedded store is the backend's own)
Without any of them, no event is recorded.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      db: { type: "string" }, out: { type: "string" }, file: { type: "string" }, tables: { type: "string" },
      api: { type: "string" }, store: { type: "string" }, config: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const sourceUrl = values.db ?? process.env.BACKUP_DB_URL;
  if (!sourceUrl || !/^postgres(ql)?:\/\//.test(sourceUrl) || !URL.canParse(sourceUrl)) return usage("--db: a postgres:// URL of the database to back up (or BACKUP_DB_URL)");
  if (!values.out === !values.file) return usage("give one of --out DIR and --file FILE");
  const keyTables = values.tables?.split(",").map((t) => t.trim()).filter(Boolean);
  const badTable = keyTables?.find((t) => !tableName.safeParse(t).success);
  if (badTable !== undefined) return usage(`--tables: "${badTable}" is not a lowercase table name`);
  const record = recorder(values);
  if (typeof record === "string") return usage(record);

  let file = values.file!;
  if (values.out) {
    await mkdir(values.out, { recursive: true });
    file = join(values.out, `${databaseOf(sourceUrl)}-${new Date().toISOString().replace(/[-:]|\.\d+/g, "")}.dump`);
  }
  const started = new Date();
  let taken: BackupTaken | undefined;
  let error: string | undefined;
  try {
    taken = await takeBackup({ sourceUrl, file, keyTables });
  } catch (err) {
    error = (err as Error).message;
  }
  const event = backupEvent.parse({
    kind: "base",
    status: taken ? "success" : "failure",
    started: (taken?.started ?? started.toISOString()),
    finished: taken?.finished ?? new Date().toISOString(),
    ...(taken && { size: taken.sizeBytes }),
    tool: "pg_dump",
    message: (taken ? `${databaseOf(sourceUrl)}: ${file.split("/").at(-1)} with row counts of ${Object.keys(taken.counts).length} tables` : `${databaseOf(sourceUrl)}: ${error}`).slice(0, 500),
  });
  console.log(JSON.stringify(taken ?? { status: "failure", error }, null, 2));
  if (record) {
    try {
      console.error(`backup event recorded (${await record(event)})`);
    } catch (err) {
      console.error(`backup event NOT recorded: ${(err as Error).message}`);
      return 1;
    }
  } else console.error("no --api, --store or --config: no backup event recorded");
  return taken ? 0 : 1;
}

type Recorder = (event: ReturnType<typeof backupEvent.parse>) => Promise<string>;

/**
 * Where the event goes. The API is the default path: the backup job runs beside the database, holds a write token
 * rather than the store's credentials, and the API checks the event (no future times, no tenant token) whatever
 * store the backend uses, the embedded one included, which no second process may open.
 */
function recorder(values: { api?: string; store?: string; config?: string }): Recorder | string | undefined {
  const given = [values.api, values.store, values.config].filter(Boolean).length;
  if (given > 1) return "give at most one of --api, --store and --config";
  if (values.api) {
    const token = process.env.API_TOKEN;
    if (!token) return "--api needs API_TOKEN in the environment (a token with the write scope)";
    return async (event) => {
      const res = await fetch(new URL("/api/v1/events/backup", values.api), {
        method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(event), signal: AbortSignal.timeout(30_000),
      });
      if (res.status !== 201) throw new Error(`POST /api/v1/events/backup answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return `POST ${new URL(values.api!).origin}/api/v1/events/backup`;
    };
  }
  let url = values.store ?? (values.config ? undefined : process.env.STORE_URL);
  if (values.config) {
    try {
      url = loadConfig(process.env, values.config).store.url;
    } catch (err) {
      return err instanceof ConfigError ? err.message : String(err);
    }
    if (!url) return `${values.config}: the embedded store belongs to the running backend; report through --api instead`;
  }
  if (!url) return undefined;
  return async (event) => {
    const store = await openStore({ url, poolSize: 2 });
    try {
      const stored = await store.events.append("backup", null, new Date(event.finished), event);
      return `event ${stored.id} in the store`;
    } finally {
      await store.close();
    }
  };
}

function usage(message: string): number {
  console.error(`${message}\n\n${HELP}`);
  return 2;
}

process.exitCode = await main();
