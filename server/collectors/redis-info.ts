import { reading, type Reading } from "../sli/sample.ts";

/**
 * Pure reading of Redis' INFO reply: the parser, the counter rates across cycles, and the signals derived from
 * one reply. No I/O here, so that every rule (a restart is no negative rate, no maxmemory is no ratio) is a
 * table-driven test.
 */

/** One database line of the keyspace section, e.g. `db0:keys=12,expires=3,avg_ttl=0`. */
export interface KeyspaceEntry {
  db: string;
  keys: number;
  expires: number;
}

/** An INFO reply: every `field:value` line by field name, and the keyspace per database. */
export interface RedisInfo {
  fields: ReadonlyMap<string, string>;
  keyspace: readonly KeyspaceEntry[];
}

/** Parses an INFO reply (CRLF or LF lines, `# Section` headers, `field:value` lines). Unknown lines are skipped. */
export function parseInfo(text: string): RedisInfo {
  const fields = new Map<string, string>();
  const keyspace: KeyspaceEntry[] = [];
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("#")) {
      section = line.slice(1).trim().toLowerCase();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (section === "keyspace" && /^db\d+$/.test(field)) {
      const parts = new Map(value.split(",").map((kv) => kv.split("=") as [string, string]));
      const keys = Number(parts.get("keys"));
      if (Number.isFinite(keys)) keyspace.push({ db: field, keys, expires: Number(parts.get("expires") ?? 0) });
      continue;
    }
    fields.set(field, value);
  }
  return { fields, keyspace };
}

/** A numeric field, or undefined when the server does not report it (older versions, managed services). */
export function infoNumber(info: RedisInfo, field: string): number | undefined {
  const text = info.fields.get(field);
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A cumulative counter as read at one moment from one server process (`runId` changes when Redis restarts). */
export interface CounterReading {
  atMs: number;
  runId: string;
  value: number;
}

/** A rate, or why there is none this cycle. */
export type Rate = { value: number; missing?: undefined } | { value?: undefined; missing: string };

export const RATE_FIRST_SAMPLE = "rate needs two samples";
export const RATE_COUNTER_RESET = "counter reset (Redis restarted or CONFIG RESETSTAT): rate needs two samples";

/**
 * Per-second increase of a counter since the previous cycle. A counter that went back (restart or CONFIG
 * RESETSTAT) gives no rate for this cycle rather than a negative one, and so does a new server process whose
 * counter has already overtaken the old value: comparing counts of two processes means nothing.
 */
export function counterRate(previous: CounterReading | undefined, current: CounterReading): Rate {
  if (!previous) return { missing: RATE_FIRST_SAMPLE };
  if (previous.runId !== current.runId || current.value < previous.value) return { missing: RATE_COUNTER_RESET };
  const elapsedSeconds = (current.atMs - previous.atMs) / 1000;
  if (elapsedSeconds <= 0) return { missing: "no time elapsed since the previous sample" };
  return { value: (current.value - previous.value) / elapsedSeconds };
}

/** The counters that rates are computed from, kept from one cycle to the next. */
export interface RedisCounters {
  evictedKeys: CounterReading | undefined;
  expiredKeys: CounterReading | undefined;
}

/**
 * The server's own clock when it answered, in ms. Ages and rates use it rather than the collector's clock, so
 * that clock skew between hosts and the collector's own scheduling delays do not bend them; Redis before 6.2
 * lacks `server_time_usec`, and then the collector's time is the best there is.
 */
export function serverTimeMs(info: RedisInfo, fallback: Date): number {
  const usec = infoNumber(info, "server_time_usec");
  return usec === undefined ? fallback.getTime() : usec / 1000;
}

/** The evicted and expired key counters of one reply. */
export function countersOf(info: RedisInfo, now: Date): RedisCounters {
  const atMs = serverTimeMs(info, now);
  const runId = info.fields.get("run_id") ?? "";
  const counter = (field: string): CounterReading | undefined => {
    const value = infoNumber(info, field);
    return value === undefined ? undefined : { atMs, runId, value };
  };
  return { evictedKeys: counter("evicted_keys"), expiredKeys: counter("expired_keys") };
}

const absent = (field: string) => `INFO has no ${field}`;

/**
 * Every signal of one INFO reply except queue lengths: memory against maxmemory, fragmentation, evictions and
 * expirations per second (against `previous`), persistence, clients, throughput and keys per database.
 */
export function infoReadings(info: RedisInfo, now: Date, previous: RedisCounters | undefined): Reading[] {
  const num = (field: string) => infoNumber(info, field);
  const plain = (sli: string, field: string) => reading(sli, num(field), absent(field));
  const out: Reading[] = [plain("redis_memory_used_bytes", "used_memory"), plain("redis_fragmentation_ratio", "mem_fragmentation_ratio")];

  const used = num("used_memory");
  const max = num("maxmemory");
  if (used === undefined || max === undefined) out.push({ sli: "redis_memory_used_ratio", missing: absent(used === undefined ? "used_memory" : "maxmemory") });
  else out.push(reading("redis_memory_used_ratio", max > 0 ? used / max : undefined, "maxmemory is not set"));

  const current = countersOf(info, now);
  const rate = (sli: string, field: string, key: keyof RedisCounters): Reading => {
    const cur = current[key];
    if (!cur) return { sli, missing: absent(field) };
    return { sli, ...counterRate(previous?.[key], cur) };
  };
  out.push(rate("redis_evicted_keys_per_second", "evicted_keys", "evictedKeys"), rate("redis_expired_keys_per_second", "expired_keys", "expiredKeys"));

  out.push(...persistenceReadings(info, now));
  out.push(plain("redis_connected_clients", "connected_clients"), plain("redis_blocked_clients", "blocked_clients"));
  out.push(plain("redis_ops_per_second", "instantaneous_ops_per_sec"));
  // Redis lists only non-empty databases; an empty keyspace is a true 0 in db0, not a missing reading.
  const dbs = info.keyspace.length ? info.keyspace : [{ db: "db0", keys: 0, expires: 0 }];
  out.push(...dbs.map((d) => reading("redis_keys", d.keys, "", { db: d.db })));
  return out;
}

/** RDB and AOF health as 1 (last attempt succeeded) or 0, and the age of the last successful RDB save. */
function persistenceReadings(info: RedisInfo, now: Date): Reading[] {
  const rdbStatus = info.fields.get("rdb_last_bgsave_status");
  const aofEnabled = info.fields.get("aof_enabled");
  const aofStatus = info.fields.get("aof_last_write_status");
  const lastSave = infoNumber(info, "rdb_last_save_time");
  const okOrNot = (status: string | undefined, field: string, kind: string) =>
    reading("redis_persistence_ok", status === undefined ? undefined : status === "ok" ? 1 : 0, absent(field), { kind });
  const aof: Reading =
    aofEnabled === "0"
      ? { sli: "redis_persistence_ok", labels: { kind: "aof" }, missing: "AOF is disabled (appendonly no)" }
      : okOrNot(aofEnabled === undefined ? undefined : aofStatus, aofEnabled === undefined ? "aof_enabled" : "aof_last_write_status", "aof");
  // rdb_last_save_time starts at the server's start (Redis' own LASTSAVE), so a server that never saved ages from then.
  const age = lastSave === undefined ? undefined : Math.max(0, serverTimeMs(info, now) / 1000 - lastSave);
  return [okOrNot(rdbStatus, "rdb_last_bgsave_status", "rdb"), aof, reading("redis_last_save_age_seconds", age, absent("rdb_last_save_time"))];
}
