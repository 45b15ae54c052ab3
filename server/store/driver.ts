import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** The little of SQL access the store needs, implemented by node-postgres and by PGlite with the same SQL. */
export interface SqlDriver {
  readonly kind: "postgres" | "pglite";
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Pick<SqlDriver, "query" | "exec">) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Every statement of the store is bounded: a slow store must not stall sampling. */
const STATEMENT_TIMEOUT_MS = 10_000;

export function postgresDriver(url: string, poolSize = 16): SqlDriver {
  // statement_timeout bounds what the server runs; query_timeout and connectionTimeoutMillis bound the wait for a
  // server that does not answer at all (stopped, hung, behind a dead network): a request fails, it never hangs.
  const pool = new pg.Pool({
    connectionString: url, max: poolSize, statement_timeout: STATEMENT_TIMEOUT_MS, query_timeout: STATEMENT_TIMEOUT_MS + 2_000,
    connectionTimeoutMillis: 5_000, application_name: "logistics-observability",
  });
  // A client losing its server, idle in the pool or checked out between two statements of a transaction, must
  // not crash the process (an 'error' event without a listener is thrown); the next query reports the error.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];
  return {
    kind: "postgres",
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: (sql, params) => run(client, sql, params), exec: async (sql) => void (await client.query(sql)) });
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Embedded PostgreSQL (WebAssembly) in a directory, or in memory when dataDir is undefined. */
export async function pgliteDriver(dataDir?: string): Promise<SqlDriver> {
  const db = await PGlite.create(dataDir);
  return {
    kind: "pglite",
    query: async (sql, params) => (await db.query(sql, params)).rows as never,
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: async (sql, params) => (await tx.query(sql, params)).rows as never, exec: async (sql) => void (await tx.exec(sql)) })),
    close: () => db.close(),
  };
}
