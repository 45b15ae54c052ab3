import { Redis } from "ioredis";
import type { Sources } from "../config/load.ts";
import type { Reading } from "../sli/sample.ts";
import type { CollectContext, Collector } from "./collector.ts";
import { countersOf, infoReadings, parseInfo, type RedisCounters, type RedisInfo } from "./redis-info.ts";

type RedisSource = NonNullable<Sources["redis"]>;
type Queue = RedisSource["queues"][number];

/** The key types that hold a backlog, and the O(1) command that counts it. */
const LENGTH_COMMAND = { list: "llen", zset: "zcard", stream: "xlen" } as const;
type QueueType = keyof typeof LENGTH_COMMAND;
const isQueueType = (t: string): t is QueueType => t in LENGTH_COMMAND;

const SIGNALS = [
  "redis_memory_used_ratio", "redis_memory_used_bytes", "redis_fragmentation_ratio", "redis_evicted_keys_per_second",
  "redis_expired_keys_per_second", "redis_persistence_ok", "redis_last_save_age_seconds", "redis_connected_clients",
  "redis_blocked_clients", "redis_ops_per_second", "redis_keys", "redis_queue_length",
] as const;

/** Longest pause between reconnect attempts while Redis is down: a few attempts a minute, never a storm. */
const MAX_RECONNECT_DELAY_MS = 10_000;

type Replies = Array<[Error | null, unknown]>;

/**
 * One Redis server: memory against maxmemory, fragmentation, evictions and expirations per second, RDB/AOF
 * health, clients, throughput, keys per database and the length of the configured queue keys. Each cycle costs
 * one round trip (INFO, and TYPE plus length per queue) once the queues' types are known.
 */
export class RedisCollector implements Collector {
  readonly tenant = "global";
  readonly source = "redis";
  readonly slis = SIGNALS;
  readonly #redis: Redis;
  readonly #timeoutMs: number;
  readonly #queues: readonly Queue[];
  /** The URL's password, raw and as written in the URL, to scrub from any message. */
  readonly #passwords: string[];
  /** Why the connection is down, from the client's last error; cleared when it is ready again. */
  #cause: string | undefined;
  #counters: RedisCounters | undefined;
  /** Each queue key's type as last seen, so that its length is asked in the same round trip as its TYPE. */
  readonly #types = new Map<string, QueueType>();

  constructor(config: RedisSource) {
    const url = config.url.reveal();
    this.#timeoutMs = config.timeoutMs;
    this.#queues = config.queues;
    this.#passwords = passwordsOf(url);
    this.#redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: config.timeoutMs,
      commandTimeout: config.timeoutMs,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // Commands of a cycle that lost its connection belong to that cycle: never replay them on a later one.
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt) => Math.min(250 * 2 ** (attempt - 1), MAX_RECONNECT_DELAY_MS),
      connectionName: "logistics-observability",
      // CLIENT SETINFO is unknown before Redis 7.2: each connection would count an error reply on the server.
      disableClientInfo: true,
    });
    // Without a listener ioredis prints every failed attempt; the cause is reported by the next collect instead.
    this.#redis.on("error", (err: Error) => (this.#cause = this.redact(err.message)));
    this.#redis.on("close", () => (this.#cause ??= "connection closed"));
    this.#redis.on("ready", () => (this.#cause = undefined));
  }

  async collect({ now, signal }: CollectContext): Promise<Reading[]> {
    const stop = AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]);
    const [info, queueReplies] = await untilStopped(this.exchange(stop), stop, () => this.stoppedError(signal));
    const previous = this.#counters;
    this.#counters = countersOf(info, now);
    return [...infoReadings(info, now, previous), ...queueReplies];
  }

  async close(): Promise<void> {
    if (this.#redis.status === "ready") await this.#redis.quit().catch(() => this.#redis.disconnect());
    else this.#redis.disconnect(); // also cancels a pending reconnect, so that the process can exit
  }

  /** INFO and the queue lengths; a connection dropped mid-way gets one reconnect, whose failure names the cause. */
  private async exchange(stop: AbortSignal): Promise<[RedisInfo, Reading[]]> {
    await this.connected(stop);
    try {
      return await this.ask();
    } catch (err) {
      if (this.#redis.status === "ready") throw this.answerError(err);
    }
    await this.connected(stop);
    return this.ask().catch((err: unknown) => {
      throw this.answerError(err);
    });
  }

  /** A failure on a live connection (NOAUTH, a command timeout): the server's own words. */
  private answerError(err: unknown): Error {
    return new Error(`redis: ${this.redact(err instanceof Error ? err.message : String(err))}`);
  }

  private async ask(): Promise<[RedisInfo, Reading[]]> {
    const guesses = this.#queues.map((q) => this.#types.get(q.key));
    const pipeline = this.#redis.pipeline().info();
    this.#queues.forEach((q, i) => {
      pipeline.type(q.key);
      const guess = guesses[i];
      if (guess) pipeline[LENGTH_COMMAND[guess]](q.key);
    });
    const replies = (await pipeline.exec()) as Replies | null;
    if (!replies) throw new Error("pipeline returned no replies");
    const [infoErr, infoText] = replies[0]!;
    if (infoErr) throw infoErr;

    const lengths: Array<number | string | undefined> = [];
    let at = 1;
    this.#queues.forEach((q, i) => {
      const type = String(replies[at++]![1]);
      const guess = guesses[i];
      const guessed = guess ? replies[at++]! : undefined;
      if (type === "none") {
        this.#types.delete(q.key);
        lengths[i] = 0; // Redis deletes a list, sorted set or stream when it empties: a drained queue has no key
      } else if (!isQueueType(type)) {
        this.#types.delete(q.key);
        lengths[i] = `key "${q.key}" is a ${type}, not a list, sorted set or stream`;
      } else {
        this.#types.set(q.key, type);
        lengths[i] = type === guess && !guessed![0] ? Number(guessed![1]) : undefined;
      }
    });
    await this.askUnknownLengths(lengths);
    return [parseInfo(String(infoText)), this.#queues.map((q, i) => queueReading(q, lengths[i]))];
  }

  /** Second round trip, only for keys whose type was new this cycle (first cycle, or the key changed type). */
  private async askUnknownLengths(lengths: Array<number | string | undefined>): Promise<void> {
    const unknown = this.#queues.map((q, i) => ({ q, i })).filter(({ i }) => lengths[i] === undefined);
    if (!unknown.length) return;
    const pipeline = this.#redis.pipeline();
    for (const { q } of unknown) pipeline[LENGTH_COMMAND[this.#types.get(q.key)!]](q.key);
    const replies = ((await pipeline.exec()) as Replies | null) ?? [];
    unknown.forEach(({ q, i }, n) => {
      const [err, value] = replies[n] ?? [new Error("no reply"), undefined];
      lengths[i] = err ? `length of key "${q.key}": ${this.redact(err.message)}` : Number(value);
    });
  }

  /** Resolves once the connection is ready; rejects with the cause when a connection attempt fails. */
  private async connected(stop: AbortSignal): Promise<void> {
    const redis = this.#redis;
    if (redis.status === "ready") return;
    if (stop.aborted) throw new Error("stopped"); // a listener added now would wait for ever
    if (redis.status === "wait" || redis.status === "end") {
      await redis.connect().catch((err: Error) => {
        throw this.unreachable(this.#cause ?? this.redact(err.message));
      });
      return;
    }
    // An attempt is under way or scheduled by the retry strategy: its outcome is this cycle's answer.
    await new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        redis.off("ready", onReady).off("error", onError);
        stop.removeEventListener("abort", onStop);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => settle();
      const onError = (err: Error) => settle(this.unreachable(this.redact(err.message)));
      const onStop = () => settle(new Error("stopped"));
      redis.on("ready", onReady).on("error", onError);
      stop.addEventListener("abort", onStop);
    });
  }

  private stoppedError(signal: AbortSignal): Error {
    if (signal.aborted) return new Error("redis: run aborted by the runner");
    const seconds = this.#timeoutMs / 1000;
    if (this.#redis.status === "ready") return new Error(`redis: no answer within ${seconds} s`);
    return this.unreachable(this.#cause ?? `no connection within ${seconds} s`);
  }

  private unreachable(cause: string): Error {
    return new Error(`redis unreachable: ${cause}`);
  }

  /** Client messages do not quote the URL today; this keeps the password out even if one ever does. */
  private redact(message: string): string {
    return this.#passwords.reduce((text, pw) => text.split(pw).join("[redacted]"), message);
  }
}

function queueReading(queue: Queue, length: number | string | undefined): Reading {
  const labels = { queue: queue.name };
  return typeof length === "number" && Number.isFinite(length)
    ? { sli: "redis_queue_length", labels, value: length }
    : { sli: "redis_queue_length", labels, missing: typeof length === "string" ? length : `no length for key "${queue.key}"` };
}

function passwordsOf(url: string): string[] {
  try {
    const written = new URL(url).password;
    return [...new Set([written, decodeURIComponent(written)])].filter(Boolean);
  } catch {
    return [];
  }
}

/** Settles with `work`, or rejects with `onStop()` as soon as `stop` fires; `work`'s late failure is dropped. */
function untilStopped<T>(work: Promise<T>, stop: AbortSignal, onStop: () => Error): Promise<T> {
  work.catch(() => {});
  if (stop.aborted) return Promise.reject(onStop());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(onStop());
    stop.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener("abort", onAbort));
  });
}
