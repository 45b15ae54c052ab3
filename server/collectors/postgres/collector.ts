import pg from "pg";
import type { Sources } from "../../config/load.ts";
import { reading, type Reading } from "../../sli/sample.ts";
import type { CollectContext, Collector } from "../collector.ts";
import { blockingChains, connectionState, counterRate, shares, sumBy, tenantOfDatabase, type BlockingSummary, type LockWait } from "./analysis.ts";
import * as Q from "./queries.ts";

type PostgresSource = NonNullable<Sources["postgres"]>;

interface DbCounters {
  commits: number;
  rollbacks: number;
  deadlocks: number;
  temp_bytes: number;
  blks_hit: number;
  blks_read: number;
  size_bytes: number;
}

/** A statement of the top list, as the API shows it. */
export interface TopStatement {
  tenant: string;
  queryid: string;
  calls: number;
  seconds: number;
  meanSeconds: number;
  query: string | null;
}

/** What /api/v1/postgres serves beyond the metrics: the chains and the heaviest statements of the last cycle. */
export interface PostgresDetails {
  at: Date;
  blocking: BlockingSummary & { waits: Array<LockWait & { tenant: string }> };
  topStatements: TopStatement[];
}

const SIGNALS = [
  "pg_connections", "pg_connections_used_ratio", "pg_lock_waiting_sessions", "pg_lock_oldest_wait_seconds", "pg_blocking_sessions",
  "pg_blocking_chain_depth", "pg_long_running_sessions", "pg_idle_in_transaction_sessions", "pg_idle_in_transaction_oldest_seconds",
  "pg_commits_per_second", "pg_rollbacks_per_second", "pg_deadlocks_per_second", "pg_temp_bytes_per_second", "pg_cache_hit_ratio",
  "pg_database_size_bytes", "pg_database_growth_bytes_per_hour", "pg_replication_lag_seconds", "pg_replica_replay_delay_seconds",
  "pg_wal_archive_failures", "pg_wal_last_archived_age_seconds", "pg_statement_time_per_second", "pg_tenant_share", "odoo_busy_workers",
] as const;

const RATE_WHY = "rate needs two samples (or the statistics were reset)";

/**
 * One PostgreSQL server, shared by the tenants' databases: contention (connections, lock waits and blocking
 * chains, long and idle-in-transaction sessions), throughput and size per database, replication, WAL archiving,
 * statement time, and each tenant's share of them. Connects as a pg_monitor role with a statement_timeout.
 */
export class PostgresCollector implements Collector {
  readonly tenant = "global";
  readonly source = "postgres";
  readonly slis = SIGNALS;
  readonly #pool: pg.Pool;
  readonly #tenantByDb: Map<string, string>;
  #previous: { at: number; dbs: Map<string, DbCounters>; statements: Map<string, number> } | undefined;
  #texts = new Map<string, string>();
  #details: PostgresDetails | undefined;
  #hasStatements: boolean | undefined;
  #statementsUnreadable: string | undefined;

  constructor(
    private readonly config: PostgresSource,
    tenantDatabases: ReadonlyMap<string, string>,
  ) {
    this.#tenantByDb = new Map([...tenantDatabases, ...Object.entries(config.tenantDatabases)]);
    this.#pool = new pg.Pool({
      connectionString: config.url.reveal(),
      max: 1,
      statement_timeout: config.statementTimeoutMs,
      query_timeout: config.statementTimeoutMs + 1000,
      connectionTimeoutMillis: config.statementTimeoutMs,
      application_name: "logistics-observability",
      idleTimeoutMillis: 120_000,
    });
    this.#pool.on("error", () => {}); // a dropped idle connection is reported by the next query
  }

  details(): PostgresDetails | undefined {
    return this.#details;
  }

  private tenantOf = (datname: string) => tenantOfDatabase(datname, this.#tenantByDb);

  private async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.#pool.query(sql, params)).rows as T[];
    } catch (err) {
      // pg's messages can quote the connection string's host but never its password; keep them short.
      throw new Error(`postgres: ${(err as Error).message.split("\n")[0]}`);
    }
  }

  async collect({ now }: CollectContext): Promise<Reading[]> {
    const conns = await this.rows<{ datname: string; state: string; n: number; max_connections: number }>(Q.CONNECTIONS);
    const waits = (await this.rows<{ pid: number; datname: string; blocked_by: number[]; wait_seconds: number }>(Q.LOCK_WAITS)).map(
      (w): LockWait => ({ pid: w.pid, datname: w.datname, blockedBy: w.blocked_by, waitSeconds: w.wait_seconds }),
    );
    const long = await this.rows<{ datname: string; state: string; query_seconds: number; state_seconds: number }>(Q.LONG_SESSIONS, [this.config.longRunningSeconds]);
    const dbs = await this.rows<DbCounters & { datname: string }>(Q.DATABASES);
    const [repl] = await this.rows<{ in_recovery: boolean; worst_replica_lag: number | null; replicas: number; replay_delay: number | null }>(Q.REPLICATION);
    const [archiver] = await this.rows<{ archive_mode: string; last_archived_seconds: number | null; failing: boolean }>(Q.ARCHIVER);
    const statements = await this.statementTime();
    const workers = await this.rows<{ datname: string; busy: number }>(Q.ODOO_WORKERS);

    const tenants = new Set(dbs.map((d) => this.tenantOf(d.datname)));
    const out: Reading[] = [];
    const perTenant = (sli: string, values: Map<string, number>, fallback = 0, labels?: Record<string, string>) => {
      for (const t of tenants) out.push({ sli, tenant: t, value: values.get(t) ?? fallback, labels });
    };

    // Connections and sessions
    for (const state of ["active", "idle", "idle_in_transaction", "other"]) {
      perTenant("pg_connections", sumBy(conns.filter((c) => connectionState(c.state) === state), (c) => this.tenantOf(c.datname), (c) => c.n), 0, { state });
    }
    const totalConns = conns.reduce((s, c) => s + c.n, 0);
    out.push(reading("pg_connections_used_ratio", conns[0] ? totalConns / conns[0].max_connections : 0, ""));
    const chains = blockingChains(waits);
    perTenant("pg_lock_waiting_sessions", sumBy(waits, (w) => this.tenantOf(w.datname), () => 1));
    perTenant("pg_lock_oldest_wait_seconds", maxBy(waits, (w) => this.tenantOf(w.datname), (w) => w.waitSeconds));
    out.push(reading("pg_blocking_sessions", chains.blockers, ""), reading("pg_blocking_chain_depth", chains.depth, ""));
    const idleTx = long.filter((s) => s.state.startsWith("idle in transaction"));
    perTenant("pg_long_running_sessions", sumBy(long.filter((s) => s.state === "active"), (s) => this.tenantOf(s.datname), () => 1));
    perTenant("pg_idle_in_transaction_sessions", sumBy(idleTx, (s) => this.tenantOf(s.datname), () => 1));
    perTenant("pg_idle_in_transaction_oldest_seconds", maxBy(idleTx, (s) => this.tenantOf(s.datname), (s) => s.state_seconds));

    // Throughput and size per tenant, as rates since the last cycle
    const elapsed = this.#previous ? (now.getTime() - this.#previous.at) / 1000 : 0;
    const byTenant = (field: keyof DbCounters, src: Array<DbCounters & { datname: string }>) => sumBy(src, (d) => this.tenantOf(d.datname), (d) => Number(d[field]));
    const prevRows = this.#previous ? [...this.#previous.dbs].map(([datname, c]) => ({ datname, ...c })) : [];
    const rate = (sli: string, field: keyof DbCounters, scale = 1) => {
      const cur = byTenant(field, dbs);
      const prev = this.#previous ? byTenant(field, prevRows) : new Map<string, number>();
      for (const t of tenants) {
        const r = counterRate(this.#previous ? (prev.get(t) ?? 0) : undefined, cur.get(t) ?? 0, elapsed);
        out.push(r === undefined ? { sli, tenant: t, missing: RATE_WHY } : { sli, tenant: t, value: r * scale });
      }
    };
    rate("pg_commits_per_second", "commits");
    rate("pg_rollbacks_per_second", "rollbacks");
    rate("pg_deadlocks_per_second", "deadlocks");
    rate("pg_temp_bytes_per_second", "temp_bytes");
    perTenant("pg_database_size_bytes", byTenant("size_bytes", dbs));
    perTenant("odoo_busy_workers", sumBy(workers, (w) => this.tenantOf(w.datname), (w) => w.busy));
    this.growth(out, tenants, dbs, prevRows, elapsed);
    this.cacheHit(out, tenants, dbs, prevRows);

    out.push(...this.replicationReadings(repl), ...this.archiverReadings(archiver));
    out.push(...this.statementReadings(tenants, statements, elapsed));
    out.push(...this.attribution(conns, waits, dbs, statements));

    this.#previous = { at: now.getTime(), dbs: new Map(dbs.map(({ datname, ...c }) => [datname, c])), statements: statements ?? new Map() };
    this.#details = {
      at: now,
      blocking: { ...chains, waits: waits.map((w) => ({ ...w, tenant: this.tenantOf(w.datname) })) },
      topStatements: await this.topStatements(),
    };
    return out;
  }

  private growth(out: Reading[], tenants: Set<string>, dbs: Array<DbCounters & { datname: string }>, prev: Array<DbCounters & { datname: string }>, elapsed: number): void {
    const cur = sumBy(dbs, (d) => this.tenantOf(d.datname), (d) => d.size_bytes);
    const before = sumBy(prev, (d) => this.tenantOf(d.datname), (d) => d.size_bytes);
    for (const t of tenants) {
      const ok = this.#previous && elapsed > 0 && before.has(t);
      out.push(ok ? { sli: "pg_database_growth_bytes_per_hour", tenant: t, value: ((cur.get(t)! - before.get(t)!) / elapsed) * 3600 } : { sli: "pg_database_growth_bytes_per_hour", tenant: t, missing: RATE_WHY });
    }
  }

  /** Hit ratio over the last interval, not since the statistics reset: a cold cache an hour ago is history. */
  private cacheHit(out: Reading[], tenants: Set<string>, dbs: Array<DbCounters & { datname: string }>, prev: Array<DbCounters & { datname: string }>): void {
    const hits = sumBy(dbs, (d) => this.tenantOf(d.datname), (d) => d.blks_hit);
    const reads = sumBy(dbs, (d) => this.tenantOf(d.datname), (d) => d.blks_read);
    const hits0 = sumBy(prev, (d) => this.tenantOf(d.datname), (d) => d.blks_hit);
    const reads0 = sumBy(prev, (d) => this.tenantOf(d.datname), (d) => d.blks_read);
    for (const t of tenants) {
      const dh = (hits.get(t) ?? 0) - (hits0.get(t) ?? NaN);
      const dr = (reads.get(t) ?? 0) - (reads0.get(t) ?? NaN);
      const ok = this.#previous && dh >= 0 && dr >= 0 && dh + dr > 0;
      out.push(ok ? { sli: "pg_cache_hit_ratio", tenant: t, value: dh / (dh + dr) } : { sli: "pg_cache_hit_ratio", tenant: t, missing: this.#previous ? "no block read in the interval" : RATE_WHY });
    }
  }

  private replicationReadings(r: { in_recovery: boolean; worst_replica_lag: number | null; replicas: number; replay_delay: number | null } | undefined): Reading[] {
    if (!r) return [];
    return [
      reading("pg_replication_lag_seconds", r.in_recovery ? undefined : r.replicas === 0 ? undefined : (r.worst_replica_lag ?? 0), r.in_recovery ? "this server is a replica" : "no replica connected"),
      reading("pg_replica_replay_delay_seconds", r.in_recovery ? (r.replay_delay ?? undefined) : undefined, r.in_recovery ? "nothing replayed yet" : "this server is a primary"),
    ];
  }

  private archiverReadings(a: { archive_mode: string; last_archived_seconds: number | null; failing: boolean } | undefined): Reading[] {
    if (!a || a.archive_mode === "off") {
      const why = "WAL archiving is off (archive_mode)";
      return [reading("pg_wal_archive_failures", undefined, why), reading("pg_wal_last_archived_age_seconds", undefined, why)];
    }
    return [
      reading("pg_wal_archive_failures", a.failing ? 1 : 0, ""),
      reading("pg_wal_last_archived_age_seconds", a.last_archived_seconds ?? undefined, "no segment archived yet"),
    ];
  }

  /** Execution seconds per database from pg_stat_statements, or undefined when the extension is absent. */
  private async statementTime(): Promise<Map<string, number> | undefined> {
    this.#hasStatements ??= (await this.rows<{ n: number }>(Q.HAS_STATEMENTS))[0]!.n > 0;
    if (!this.#hasStatements) return undefined;
    try {
      const rows = await this.rows<{ datname: string; seconds: number }>(Q.STATEMENT_TIME);
      this.#statementsUnreadable = undefined;
      return new Map(rows.map((r) => [r.datname, r.seconds]));
    } catch (err) {
      // Created but not preloaded ("must be loaded via shared_preload_libraries"), or not granted: an optional
      // part is missing, the rest of the collector still runs.
      this.#statementsUnreadable = `pg_stat_statements cannot be read: ${err instanceof Error ? err.message : String(err)}`;
      return undefined;
    }
  }

  private statementReadings(tenants: Set<string>, current: Map<string, number> | undefined, elapsed: number): Reading[] {
    const why = this.#statementsUnreadable ?? "pg_stat_statements is not installed in the monitoring database";
    if (!current) return [...tenants].map((t) => ({ sli: "pg_statement_time_per_second", tenant: t, missing: why }));
    const cur = sumBy([...current], ([d]) => this.tenantOf(d), ([, s]) => s);
    const prev = sumBy([...(this.#previous?.statements ?? [])], ([d]) => this.tenantOf(d), ([, s]) => s);
    return [...tenants].map((t) => {
      const r = counterRate(this.#previous ? (prev.get(t) ?? 0) : undefined, cur.get(t) ?? 0, elapsed);
      return r === undefined ? { sli: "pg_statement_time_per_second", tenant: t, missing: RATE_WHY } : { sli: "pg_statement_time_per_second", tenant: t, value: r };
    });
  }

  /** Each tenant's share of connections, active sessions, lock waits, statement time (last interval) and size. */
  private attribution(
    conns: Array<{ datname: string; state: string; n: number }>,
    waits: LockWait[],
    dbs: Array<DbCounters & { datname: string }>,
    statements: Map<string, number> | undefined,
  ): Reading[] {
    const resources: Record<string, Map<string, number>> = {
      connections: sumBy(conns, (c) => this.tenantOf(c.datname), (c) => c.n),
      active_sessions: sumBy(conns.filter((c) => c.state === "active"), (c) => this.tenantOf(c.datname), (c) => c.n),
      lock_waits: sumBy(waits, (w) => this.tenantOf(w.datname), () => 1),
      size: sumBy(dbs, (d) => this.tenantOf(d.datname), (d) => d.size_bytes),
    };
    if (statements && this.#previous) {
      const prev = this.#previous.statements;
      resources.statement_time = sumBy([...statements], ([d]) => this.tenantOf(d), ([d, s]) => Math.max(0, s - (prev.get(d) ?? 0)));
    }
    return Object.entries(resources).flatMap(([resource, amounts]) => [...shares(amounts)].map(([tenant, share]): Reading => ({ sli: "pg_tenant_share", tenant, labels: { resource }, value: share })));
  }

  /** The top statements; texts are fetched only for statements not seen before. */
  private async topStatements(): Promise<TopStatement[]> {
    if (!this.#hasStatements || this.#statementsUnreadable || this.config.topStatements === 0) return [];
    const top = await this.rows<{ datname: string; queryid: string; calls: number; seconds: number; mean_seconds: number }>(Q.TOP_STATEMENTS, [this.config.topStatements]);
    const unknown = top.map((t) => t.queryid).filter((id) => !this.#texts.has(id));
    if (unknown.length) for (const r of await this.rows<{ queryid: string; query: string }>(Q.TEXTS, [unknown])) this.#texts.set(r.queryid, r.query);
    return top.map((t) => ({ tenant: this.tenantOf(t.datname), queryid: t.queryid, calls: t.calls, seconds: t.seconds, meanSeconds: t.mean_seconds, query: this.#texts.get(t.queryid) ?? null }));
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

function maxBy<T>(items: readonly T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), Math.max(out.get(key(item)) ?? 0, value(item)));
  return out;
}
