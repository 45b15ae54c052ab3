import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import type { Collector } from "../../server/collectors/collector.ts";
import { RATE_COUNTER_RESET } from "../../server/collectors/redis-info.ts";
import { RedisCollector } from "../../server/collectors/redis.ts";
import { Runner } from "../../server/collectors/runner.ts";
import { Secret } from "../../server/config/secret.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { Metrics } from "../../server/metrics/registry.ts";
import type { Reading } from "../../server/sli/sample.ts";
import { openStore } from "../../server/store/open.ts";
import type { Store } from "../../server/store/store.ts";
import { freePort } from "../support/ports.ts";

/**
 * The Redis collector against real redis-server processes that this suite starts on loopback ports: evictions
 * past maxmemory, queue keys of each type, RDB saves that succeed and fail, and a server killed while a run of
 * the Runner is in flight.
 */
const REDIS_SERVER = "/usr/bin/redis-server";
const installed = existsSync(REDIS_SERVER);
if (!installed) console.log("# redis suite: NOT RUN (redis-server not installed)");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children = new Set<ChildProcess>();
const dirs: string[] = [];


/** Starts redis-server in the foreground and resolves once it accepts connections. */
async function startRedis(port: number, dir: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", ...args], { stdio: ["ignore", "pipe", "ignore"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  for (const deadline = Date.now() + 5000; !log.includes("Ready to accept connections"); await sleep(20)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${log}`);
  }
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

const tempDir = () => dirs[dirs.push(mkdtempSync(join(tmpdir(), "lo-redis-"))) - 1]!;

const cycle = (c: RedisCollector) => c.collect({ now: new Date(), signal: new AbortController().signal });
const find = (rs: readonly Reading[], sli: string, labels?: Record<string, string>) =>
  rs.find((r) => r.sli === sli && (!labels || JSON.stringify(r.labels) === JSON.stringify(labels)));

after(async () => {
  for (const child of [...children]) await kill(child);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test("nothing listening: collect() rejects within the timeout, naming the cause and never the password", async () => {
  const port = await freePort();
  const collector = new RedisCollector({ url: new Secret(`redis://:pw-in-url@127.0.0.1:${port}`), timeoutMs: 1000, queues: [], usedBy: [] });
  const started = performance.now();
  // The second cycle finds a reconnect scheduled by the back-off, a different path to the same answer.
  for (let n = 0; n < 2; n++) await assert.rejects(cycle(collector), { message: `redis unreachable: connect ECONNREFUSED 127.0.0.1:${port}` });
  assert.ok(performance.now() - started < 2100, "each attempt ends within the timeout");
  await collector.close();
});

describe("Redis collector on a real server", { skip: installed ? false : "redis-server not installed" }, () => {
  let dir: string;
  let startedAt: number;
  let admin: Redis;
  let collector: RedisCollector;

  before(async () => {
    const port = await freePort();
    dir = tempDir();
    await startRedis(port, dir, ["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"]);
    startedAt = Date.now();
    admin = new Redis({ port, host: "127.0.0.1" });
    collector = new RedisCollector({
      url: new Secret(`redis://127.0.0.1:${port}`),
      timeoutMs: 2000,
      usedBy: [],
      queues: ["picking", "labels", "events", "drained"].map((name) => ({ name, key: `queue:${name}` })).concat({ name: "settings", key: "config:settings" }),
    });
  });

  after(async () => {
    await collector?.close();
    admin?.disconnect();
  });

  test("configured queue keys: a list of 5 jobs is 5; sorted sets and streams count; other types say why", async () => {
    await admin.rpush("queue:picking", "j1", "j2", "j3", "j4", "j5");
    await admin.zadd("queue:labels", 1, "a", 2, "b", 3, "c");
    await admin.xadd("queue:events", "*", "k", "v");
    await admin.xadd("queue:events", "*", "k", "v");
    await admin.hset("config:settings", "a", "1");
    // The second cycle asks each length in the same round trip as its TYPE: it must read the same.
    for (const rs of [await cycle(collector), await cycle(collector)]) {
      const length = (queue: string) => find(rs, "redis_queue_length", { queue });
      assert.equal(length("picking")!.value, 5);
      assert.equal(length("labels")!.value, 3);
      assert.equal(length("events")!.value, 2);
      assert.equal(length("drained")!.value, 0, "Redis deletes an emptied list: no key is an empty queue");
      assert.equal(length("settings")!.missing, 'key "config:settings" is a hash, not a list, sorted set or stream');
    }
  });

  test("filling past maxmemory evicts keys: evictions per second > 0 on the next cycle, memory ratio reported", async () => {
    const first = await cycle(collector);
    assert.equal(find(first, "redis_evicted_keys_per_second")!.value, 0, "no eviction yet");
    const payload = "x".repeat(1024);
    for (let batch = 0; batch < 8; batch++) {
      const pipeline = admin.pipeline();
      for (let i = 0; i < 500; i++) pipeline.set(`pallet:${batch}:${i}`, payload);
      await pipeline.exec();
    }
    const second = await cycle(collector);
    assert.ok(find(second, "redis_evicted_keys_per_second")!.value! > 0, JSON.stringify(find(second, "redis_evicted_keys_per_second")));
    const ratio = find(second, "redis_memory_used_ratio")!.value!;
    assert.ok(ratio > 0.5 && ratio < 1.5, `ratio ${ratio}`);
    assert.ok(find(second, "redis_memory_used_bytes")!.value! > 1_000_000);
    assert.ok(find(second, "redis_keys", { db: "db0" })!.value! > 100);
  });

  test("a successful BGSAVE is rdb ok 1 and resets the save age; a failed one is rdb ok 0", async () => {
    // rdb_last_save_time has 1 s resolution: let a second pass since start so that a save visibly resets the age.
    await sleep(Math.max(0, 1100 - (Date.now() - startedAt)));
    const ageBefore = find(await cycle(collector), "redis_last_save_age_seconds")!.value!;
    await admin.bgsave();
    await bgsaveFinished();
    const saved = await cycle(collector);
    assert.ok(readdirSync(dir).includes("dump.rdb"), "the save went to the temp dir");
    assert.equal(find(saved, "redis_persistence_ok", { kind: "rdb" })!.value, 1);
    assert.equal(find(saved, "redis_persistence_ok", { kind: "aof" })!.missing, "AOF is disabled (appendonly no)");
    const ageAfter = find(saved, "redis_last_save_age_seconds")!.value!;
    assert.ok(ageAfter < ageBefore && ageAfter < 2, `age ${ageBefore} -> ${ageAfter}`);

    rmSync(dir, { recursive: true, force: true }); // the fork cannot create its temp file: the save fails
    await admin.bgsave();
    await bgsaveFinished();
    assert.equal(find(await cycle(collector), "redis_persistence_ok", { kind: "rdb" })!.value, 0);
  });

  async function bgsaveFinished(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if ((await admin.info("persistence")).includes("rdb_bgsave_in_progress:0")) return;
      await sleep(50);
    }
    throw new Error("BGSAVE did not finish in 2.5 s");
  }
});

describe("Redis killed during a Runner cycle", { skip: installed ? false : "redis-server not installed" }, () => {
  const PASSWORD = "s3cret-pw";
  let port: number;
  let dir: string;
  let server: ChildProcess;
  let store: Store;
  let metrics: Metrics;
  let runner: Runner;
  let redis: RedisCollector;
  const host: Collector = { tenant: "global", source: "host", slis: ["host_cpu_used_ratio"], collect: async () => [{ sli: "host_cpu_used_ratio", value: 0.42 }] };

  before(async () => {
    // The embedded store first: its start-up can hold the event loop for seconds, which must not race redis' start.
    store = await openStore({ inMemory: true });
    port = await freePort();
    dir = tempDir();
    server = await startRedis(port, dir, ["--requirepass", PASSWORD]);
    metrics = new Metrics((d) => d.target);
    runner = new Runner(store, metrics, silentLogger(), 5000);
    redis = new RedisCollector({ url: new Secret(`redis://:${PASSWORD}@127.0.0.1:${port}`), timeoutMs: 1000, queues: [], usedBy: [] });
  });

  after(async () => {
    await redis?.close();
    await store?.close();
  });

  const runCycle = async () => {
    const now = new Date();
    const [r, h] = await Promise.all([runner.run(redis, now), runner.run(host, now)]);
    return { redis: r!, host: h!, now };
  };

  test("missing samples name the cause, success is 0, the other collector is recorded, sampling goes on", async () => {
    assert.equal((await runCycle()).redis.ok, true);

    // Hold the collector's INFO in the server (CLIENT PAUSE), then kill the server while the run waits on it.
    const admin = new Redis({ port, host: "127.0.0.1", password: PASSWORD });
    await admin.client("PAUSE", 3000, "ALL");
    admin.disconnect();
    const inFlight = runCycle();
    await sleep(200);
    await kill(server);
    const { redis: failed, host: other, now } = await inFlight;

    assert.equal(failed.ok, false);
    assert.ok(failed.durationSeconds < 1.5, `rejected within the collector's timeout, took ${failed.durationSeconds} s`);
    const signals = failed.samples.filter((s) => s.sli !== "sampling_up");
    const reasons = new Set(signals.map((s) => s.missing));
    assert.deepEqual([...reasons], [`redis failed: redis unreachable: connect ECONNREFUSED 127.0.0.1:${port}`]);
    assert.ok(signals.every((s) => s.value === null && !s.missing!.includes(PASSWORD)));
    assert.deepEqual(failed.samples.filter((s) => s.sli === "sampling_up").map((s) => [s.labels.source, s.value]), [["redis", 0]], "the monitor's own reading: not sampled");
    assert.equal(other.ok, true);

    const text = await metrics.text();
    assert.match(text, /logistics_collector_success\{tenant="global",source="redis"\} 0/);
    assert.match(text, /logistics_collector_success\{tenant="global",source="host"\} 1/);
    assert.ok(!text.includes(PASSWORD));
    const latest = await store.latest("global");
    const cpu = latest.find((s) => s.sli === "host_cpu_used_ratio")!;
    assert.equal(cpu.value, 0.42);
    assert.equal(cpu.at.getTime(), now.getTime(), "recorded in the cycle where Redis died");
    const stored = latest.filter((s) => s.source === "redis" && s.sli !== "sampling_up");
    assert.equal(stored.length, redis.slis.length);
    assert.ok(stored.every((s) => s.value === null && /ECONNREFUSED/.test(s.missing!)));

    // The process keeps sampling: the next cycle fails fast again and the host is still recorded.
    const next = await runCycle();
    assert.deepEqual([next.redis.ok, next.host.ok], [false, true]);
    assert.ok(next.redis.durationSeconds < 1.5);
  });

  test("a restarted server is picked up again, and its reset counters give no rate for one cycle", async () => {
    server = await startRedis(port, dir, ["--requirepass", PASSWORD]);
    let report;
    for (let attempt = 0; attempt < 10 && !report?.ok; attempt++) report = (await runCycle()).redis;
    assert.equal(report!.ok, true, "reconnected within the retry strategy's back-off");
    const evicted = report!.samples.find((s) => s.sli === "redis_evicted_keys_per_second")!;
    assert.equal(evicted.missing, RATE_COUNTER_RESET);
    const again = (await runCycle()).redis.samples.find((s) => s.sli === "redis_evicted_keys_per_second")!;
    assert.equal(again.value, 0, "two samples of the new process: a rate again");
  });
});
