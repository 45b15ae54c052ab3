import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  counterRate,
  countersOf,
  infoNumber,
  infoReadings,
  parseInfo,
  RATE_COUNTER_RESET,
  RATE_FIRST_SAMPLE,
  type CounterReading,
  type Rate,
} from "../../server/collectors/redis-info.ts";
import type { Reading } from "../../server/sli/sample.ts";

/** Trimmed from a real Redis 7.0 INFO reply (CRLF lines, as on the wire). */
const INFO = [
  "# Server", "redis_version:7.0.15", "run_id:4abc1d99b8415bea7142fb78dfcc0b21dc05f0e0", "server_time_usec:1795919153252279", "uptime_in_seconds:1",
  "", "# Clients", "connected_clients:7", "blocked_clients:2",
  "", "# Memory", "used_memory:941600", "maxmemory:2097152", "mem_fragmentation_ratio:1.42",
  "", "# Persistence", "rdb_last_save_time:1795919093", "rdb_last_bgsave_status:ok", "aof_enabled:0", "aof_last_write_status:ok",
  "", "# Stats", "instantaneous_ops_per_sec:350", "expired_keys:10", "evicted_keys:4",
  "", "# Keyspace", "db0:keys=1204,expires=12,avg_ttl=3000", "db3:keys=5,expires=0,avg_ttl=0", "",
].join("\r\n");

const replyWith = (changes: Record<string, string>) =>
  INFO.split("\r\n").map((line) => { const f = line.split(":")[0]!; return f in changes ? `${f}:${changes[f]}` : line; }).join("\r\n");

describe("parseInfo", () => {
  const cases: Array<[string, string, Record<string, string>, Array<{ db: string; keys: number; expires: number }>]> = [
    ["CRLF reply with sections", "# Server\r\nrun_id:abc\r\n# Memory\r\nused_memory:100\r\n", { run_id: "abc", used_memory: "100" }, []],
    ["LF reply", "# Stats\nevicted_keys:3\n", { evicted_keys: "3" }, []],
    ["values that contain a colon", "# Server\nexecutable:/usr/bin/redis-server\nconfig_file:C:\\redis.conf\n", { executable: "/usr/bin/redis-server", config_file: "C:\\redis.conf" }, []],
    ["keyspace lines become databases, not fields", "# Keyspace\ndb0:keys=3,expires=1,avg_ttl=0\ndb15:keys=9,expires=0,avg_ttl=0\n", {}, [{ db: "db0", keys: 3, expires: 1 }, { db: "db15", keys: 9, expires: 0 }]],
    ["a db-like field outside the keyspace is a field", "# Other\ndb0:whatever\n", { db0: "whatever" }, []],
    ["blank lines, headers and junk are skipped", "\r\n# Server\r\n\r\nno colon here\r\n:leading colon\r\n", {}, []],
    ["an empty reply", "", {}, []],
  ];
  for (const [name, text, fields, keyspace] of cases) {
    test(name, () => {
      const info = parseInfo(text);
      assert.deepEqual(Object.fromEntries(info.fields), fields);
      assert.deepEqual(info.keyspace, keyspace);
    });
  }

  test("numbers: absent, empty and non-numeric fields are undefined, never 0", () => {
    const info = parseInfo("# X\na:12\nb:1.5\nc:\nd:ok\n");
    assert.deepEqual(["a", "b", "c", "d", "e"].map((f) => infoNumber(info, f)), [12, 1.5, undefined, undefined, undefined]);
  });
});

describe("counterRate", () => {
  const at = (seconds: number, value: number, runId = "run-1"): CounterReading => ({ atMs: seconds * 1000, runId, value });
  const cases: Array<[string, CounterReading | undefined, CounterReading, Rate]> = [
    ["first sample: no rate yet", undefined, at(60, 100), { missing: RATE_FIRST_SAMPLE }],
    ["normal: increase over elapsed seconds", at(0, 100), at(60, 220), { value: 2 }],
    ["no change is a true 0", at(0, 100), at(60, 100), { value: 0 }],
    ["counter went back (restart or RESETSTAT): no negative rate", at(0, 500), at(60, 20), { missing: RATE_COUNTER_RESET }],
    ["new run_id with a higher count: still a reset", at(0, 5), at(60, 900, "run-2"), { missing: RATE_COUNTER_RESET }],
    ["no time elapsed", at(60, 1), at(60, 2), { missing: "no time elapsed since the previous sample" }],
  ];
  for (const [name, previous, current, expected] of cases) test(name, () => assert.deepEqual(counterRate(previous, current), expected));
});

describe("infoReadings", () => {
  const now = new Date(1795919153252); // the reply's server_time_usec
  const find = (rs: Reading[], sli: string, labels?: Record<string, string>) =>
    rs.find((r) => r.sli === sli && (!labels || JSON.stringify(r.labels) === JSON.stringify(labels)));

  test("every signal of a healthy reply", () => {
    const rs = infoReadings(parseInfo(INFO), now, undefined);
    const values = Object.fromEntries(rs.filter((r) => r.value !== undefined && r.sli !== "redis_keys" && r.sli !== "redis_persistence_ok").map((r) => [r.sli, r.value]));
    assert.deepEqual(values, {
      redis_memory_used_bytes: 941600,
      redis_memory_used_ratio: 941600 / 2097152,
      redis_fragmentation_ratio: 1.42,
      redis_last_save_age_seconds: 1795919153.252279 - 1795919093,
      redis_connected_clients: 7,
      redis_blocked_clients: 2,
      redis_ops_per_second: 350,
    });
    assert.deepEqual(rs.filter((r) => r.sli === "redis_keys").map((r) => [r.labels, r.value]), [[{ db: "db0" }, 1204], [{ db: "db3" }, 5]]);
    assert.equal(find(rs, "redis_persistence_ok", { kind: "rdb" })!.value, 1);
    assert.equal(find(rs, "redis_persistence_ok", { kind: "aof" })!.missing, "AOF is disabled (appendonly no)");
    assert.equal(find(rs, "redis_evicted_keys_per_second")!.missing, RATE_FIRST_SAMPLE);
  });

  const cases: Array<[string, Record<string, string>, string, Record<string, string> | undefined, { value?: number; missing?: string }]> = [
    ["maxmemory 0: no ratio, with the reason", { maxmemory: "0" }, "redis_memory_used_ratio", undefined, { missing: "maxmemory is not set" }],
    ["failed BGSAVE", { rdb_last_bgsave_status: "err" }, "redis_persistence_ok", { kind: "rdb" }, { value: 0 }],
    ["AOF on and writing", { aof_enabled: "1" }, "redis_persistence_ok", { kind: "aof" }, { value: 1 }],
    ["AOF on and failing to write", { aof_enabled: "1", aof_last_write_status: "err" }, "redis_persistence_ok", { kind: "aof" }, { value: 0 }],
    ["a field the server hides", { instantaneous_ops_per_sec: "" }, "redis_ops_per_second", undefined, { missing: "INFO has no instantaneous_ops_per_sec" }],
    ["a save in the future (clock step) is age 0", { rdb_last_save_time: "1795919999" }, "redis_last_save_age_seconds", undefined, { value: 0 }],
  ];
  for (const [name, changes, sli, labels, expected] of cases) {
    test(name, () => {
      const r = find(infoReadings(parseInfo(replyWith(changes)), now, undefined), sli, labels)!;
      assert.deepEqual({ value: r.value, missing: r.missing }, { value: undefined, missing: undefined, ...expected });
    });
  }

  test("an empty keyspace is 0 keys in db0, not a missing reading", () => {
    const rs = infoReadings(parseInfo(INFO.replace(/db\d+:[^\r]*\r\n/g, "")), now, undefined);
    assert.deepEqual(rs.filter((r) => r.sli === "redis_keys").map((r) => [r.labels, r.value]), [[{ db: "db0" }, 0]]);
  });

  test("rates from the previous reply's counters, on the server's clock", () => {
    const earlier = parseInfo(replyWith({ server_time_usec: "1795919143252279", evicted_keys: "0", expired_keys: "5" }));
    const rs = infoReadings(parseInfo(INFO), new Date(0), countersOf(earlier, new Date(0)));
    assert.equal(find(rs, "redis_evicted_keys_per_second")!.value, 0.4);
    assert.equal(find(rs, "redis_expired_keys_per_second")!.value, 0.5);
  });

  test("a restart between replies: no rate this cycle", () => {
    const before = countersOf(parseInfo(replyWith({ server_time_usec: "1795919143252279", run_id: "old", evicted_keys: "90000" })), now);
    const rs = infoReadings(parseInfo(INFO), now, before);
    assert.equal(find(rs, "redis_evicted_keys_per_second")!.missing, RATE_COUNTER_RESET);
  });
});
