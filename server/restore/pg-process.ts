/**
 * PostgreSQL's client programs (pg_dump, pg_restore) run as child processes. The connection goes through libpq's
 * environment, never the command line: a password in argv is visible to every user of the host (ps).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

/** libpq variables for a postgres:// URL, the database replaced by `database` when given. */
export function libpqEnv(url: string, database?: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {};
  const host = u.searchParams.get("host") ?? u.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host) env.PGHOST = host;
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  env.PGDATABASE = database ?? (decodeURIComponent(u.pathname.slice(1)) || "postgres");
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  env.PGAPPNAME = "logistics-observability-restore";
  return env;
}

/** The URL of another database on the same server, as node-postgres takes it. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The database a URL names (postgres when none). */
export const databaseOf = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";

/** Hides a URL's password in a text about it (an error message of a client program or of the server). */
export function scrubber(url: string): (text: string) => string {
  const u = new URL(url);
  const secrets = [url, u.password, decodeURIComponent(u.password)].filter((s) => s.length >= 3);
  return (text) => secrets.reduce((t, s) => t.replaceAll(s, "***"), text);
}

/** A double-quoted identifier; `schema.table` is quoted part by part. */
export const quoteIdent = (name: string): string => name.split(".").map((p) => `"${p.replaceAll('"', '""')}"`).join(".");

export interface ToolRun {
  code: number | null;
  /** The last 8 kB of what it wrote on stderr. */
  stderr: string;
  /** Killed at its deadline, or because the caller aborted. */
  killed: "timeout" | "aborted" | undefined;
}

/**
 * Runs a PostgreSQL client program with libpq's environment from `env` (other PG* variables of this process are
 * dropped, so that the URL alone says where it connects), killed at `timeoutMs` or when `signal` aborts.
 */
export function runPgTool(program: string, args: readonly string[], opts: { env: Record<string, string>; timeoutMs: number; signal?: AbortSignal; binDir?: string }): Promise<ToolRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PG")));
  return new Promise((resolve) => {
    const child = spawn(opts.binDir ? join(opts.binDir, program) : program, args, { env: { ...base, ...opts.env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let killed: ToolRun["killed"];
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-8192);
    });
    const kill = (why: NonNullable<ToolRun["killed"]>) => {
      killed ??= why;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    };
    const timer = setTimeout(() => kill("timeout"), opts.timeoutMs);
    const onAbort = () => kill("aborted");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    const done = (code: number | null, error?: Error) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      resolve({ code, stderr: error ? `${program}: ${error.message}` : stderr.trim(), killed });
    };
    child.on("error", (err) => done(null, err));
    child.on("close", (code) => done(code));
  });
}

/** What a failed run says: how it ended and its last lines. */
export function toolFailure(program: string, run: ToolRun, timeoutSeconds: number): string {
  const tail = run.stderr.split("\n").filter(Boolean).slice(-5).join(" | ");
  if (run.killed === "timeout") return `${program} did not finish within ${timeoutSeconds} s (stopped)`;
  if (run.killed === "aborted") return `${program} stopped: the test was aborted`;
  return `${program} ${run.code === null ? "could not run" : `exited with ${run.code}`}${tail ? `: ${tail}` : ""}`;
}
