import { fromOdooFault } from "./errors.ts";
import { readGroupCall, type Aggregates, type Domain, type GroupRow, type OdooClient, type OdooReader } from "./client.ts";

/** The addon's one-call entry point: runs a list of read calls in one transaction under the caller's rights. */
export const SNAPSHOT_MODEL = "logistics.snapshot";

interface Pending {
  call: { model: string; method: string; kwargs: Record<string, unknown> };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Gathers the read calls of concurrent tasks (the sections of one cycle) and sends them as one RPC to the addon's
 * `logistics.snapshot.batch`. It flushes when every running task is waiting on it (or done), so tasks that first
 * read the store still join the batch; a cycle with dependent reads takes one RPC per round of dependencies.
 */
export class BatchingReader implements OdooReader {
  #pending: Pending[] = [];
  #running = 0;

  constructor(private readonly client: OdooClient) {}

  get version() {
    return this.client.version;
  }

  /** Runs the tasks concurrently against this reader; resolves with their results in order. */
  async runAll<T>(tasks: ReadonlyArray<(reader: OdooReader) => Promise<T>>): Promise<PromiseSettledResult<T>[]> {
    this.#running = tasks.length;
    return Promise.allSettled(
      tasks.map(async (task) => {
        try {
          return await task(this);
        } finally {
          this.#running--;
          this.maybeFlush();
        }
      }),
    );
  }

  searchCount(model: string, domain: Domain): Promise<number> {
    return this.enqueue(model, "search_count", { domain }).then(Number);
  }

  searchRead<T = Record<string, unknown>>(model: string, domain: Domain, fields: string[], options: { limit?: number; order?: string } = {}): Promise<T[]> {
    return this.enqueue(model, "search_read", { domain, fields, ...options }) as Promise<T[]>;
  }

  readGroup(model: string, domain: Domain, groupby: string[], aggregates: Aggregates): Promise<GroupRow[]> {
    const call = readGroupCall(this.version.major, domain, groupby, aggregates);
    return this.enqueue(model, call.method, call.params).then(call.decode);
  }

  private enqueue(model: string, method: string, kwargs: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ call: { model, method, kwargs }, resolve, reject });
      this.maybeFlush();
    });
  }

  /** Sends once no running task can add a call to this round: each is either waiting here or finished. */
  private maybeFlush(): void {
    if (!this.#pending.length || this.#pending.length < this.#running) return;
    const round = this.#pending;
    this.#pending = [];
    this.client.execute(SNAPSHOT_MODEL, "batch", { calls: round.map((p) => p.call) }).then(
      (answers) => {
        (answers as Array<{ result?: unknown; error?: { name: string; message: string } }>).forEach((a, i) => {
          if (a.error) round[i]!.reject(fromOdooFault(a.error, a.error.message));
          else round[i]!.resolve(a.result);
        });
      },
      (err) => round.forEach((p) => p.reject(err)),
    );
  }
}
