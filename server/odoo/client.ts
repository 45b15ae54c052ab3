import type { Secret } from "../config/secret.ts";
import { OdooError } from "./errors.ts";
import { Json2Transport } from "./json2-transport.ts";
import { JsonRpcTransport } from "./jsonrpc-transport.ts";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.ts";

/** An Odoo search domain in its JSON form. */
export type Domain = Array<string | [string, string, unknown]>;

/** One read_group row: group values by field name, `__count`, and each aggregate under its alias. */
export type GroupRow = Record<string, unknown> & { __count: number };

/** Aggregates as alias -> "field:function", e.g. { lastDone: "date_done:max" }. */
export type Aggregates = Record<string, `${string}:${"min" | "max" | "sum" | "avg" | "count" | "count_distinct"}`>;

export interface OdooTarget {
  url: string;
  db: string;
  user: string;
  credential: Secret;
  timeoutMs: number;
}

export interface ServerVersion {
  major: number;
  label: string;
}

/**
 * A logged-in connection to one Odoo database. Speaks /jsonrpc to 17 and 18 and JSON-2 to 19+, chosen from the
 * server's own version answer, and counts its calls so that the sampler's cost per cycle is measurable.
 */
export class OdooClient implements OdooReader {
  /** RPCs sent since creation (retries included): the published cost figure. */
  calls = 0;

  private constructor(
    readonly version: ServerVersion,
    private readonly target: OdooTarget,
    private readonly rpc: JsonRpcTransport,
    private readonly json2: Json2Transport | undefined,
    private readonly uid: number,
    private readonly retry: RetryPolicy,
  ) {}

  /** Detects the version, then logs in (17/18) or checks the key (19+). Throws OdooError("auth") on bad credentials. */
  static async connect(target: OdooTarget, retry: RetryPolicy = DEFAULT_RETRY, fetchImpl?: typeof fetch): Promise<OdooClient> {
    const rpc = new JsonRpcTransport(target.url, target.timeoutMs, fetchImpl);
    const info = (await withRetry(() => rpc.call("common", "version", []), retry)) as { server_version_info?: unknown[]; server_version?: string };
    const major = Number(info?.server_version_info?.[0]);
    if (!Number.isInteger(major)) throw new OdooError("protocol", "the server's version answer has no server_version_info");
    const version = { major, label: String(info.server_version ?? major) };
    const json2 = major >= 19 ? new Json2Transport(target.url, target.db, target.credential, target.timeoutMs, fetchImpl) : undefined;
    const uid = await login(rpc, target, retry);
    if (uid === null) throw new OdooError("auth", `login refused for user "${target.user}" on database "${target.db}"`);
    const client = new OdooClient(version, target, rpc, json2, uid, retry);
    client.calls = 2;
    return client;
  }

  /**
   * Logs in again. Odoo caches a successful (uid, password or key) check per worker (res.users.check is an
   * ormcache), so a deleted API key keeps answering execute_kw until the workers restart; only a login checks the
   * credential for real. Costs Odoo one password hash (~0.3 s of its CPU).
   */
  async checkCredential(): Promise<void> {
    if (this.json2) return;
    this.calls++;
    if ((await login(this.rpc, this.target, this.retry)) !== this.uid) {
      throw new OdooError("auth", `login refused for user "${this.target.user}" on database "${this.target.db}": the password or API key was changed or revoked`);
    }
  }

  /** Calls `model.method(**params)`: named parameters work the same through execute_kw and JSON-2. */
  async execute(model: string, method: string, params: Record<string, unknown>): Promise<unknown> {
    return this.executeOn(model, method, undefined, params);
  }

  /** Calls a record method, `model.browse(ids).method(**params)`; used by scripts that write (workload, fixtures). */
  async executeOn(model: string, method: string, ids: number[] | undefined, params: Record<string, unknown> = {}): Promise<unknown> {
    return withRetry(() => {
      this.calls++;
      if (this.json2) return this.json2.call(model, method, ids ? { ids, ...params } : params);
      const { db, credential } = this.target;
      return this.rpc.call("object", "execute_kw", [db, this.uid, credential.reveal(), model, method, ids ? [ids] : [], params]);
    }, this.retry);
  }

  async searchCount(model: string, domain: Domain): Promise<number> {
    return Number(await this.execute(model, "search_count", { domain }));
  }

  async searchRead<T = Record<string, unknown>>(
    model: string,
    domain: Domain,
    fields: string[],
    options: { limit?: number; order?: string } = {},
  ): Promise<T[]> {
    return (await this.execute(model, "search_read", { domain, fields, ...options })) as T[];
  }

  /**
   * Groups and aggregates in Odoo. 17/18 use read_group with "alias:agg(field)" specs; 19 uses
   * formatted_read_group, whose keys are mapped back to the aliases so that callers see one shape.
   */
  async readGroup(model: string, domain: Domain, groupby: string[], aggregates: Aggregates): Promise<GroupRow[]> {
    const call = readGroupCall(this.version.major, domain, groupby, aggregates);
    return call.decode(await this.execute(model, call.method, call.params));
  }
}

/** The uid Odoo's `common.authenticate` gives these credentials, or null when it refuses them. */
async function login(rpc: JsonRpcTransport, target: OdooTarget, retry: RetryPolicy): Promise<number | null> {
  const uid = await withRetry(() => rpc.call("common", "authenticate", [target.db, target.user, target.credential.reveal(), {}]), retry);
  return typeof uid === "number" && uid > 0 ? uid : null;
}

/** The read calls the sampler makes, as one interface: a connection, or a batch of a cycle's calls. */
export interface OdooReader {
  readonly version: ServerVersion;
  searchCount(model: string, domain: Domain): Promise<number>;
  searchRead<T = Record<string, unknown>>(model: string, domain: Domain, fields: string[], options?: { limit?: number; order?: string }): Promise<T[]>;
  readGroup(model: string, domain: Domain, groupby: string[], aggregates: Aggregates): Promise<GroupRow[]>;
}

/** How a read_group travels on a given Odoo major version, and how its answer reads back. */
export function readGroupCall(major: number, domain: Domain, groupby: string[], aggregates: Aggregates): {
  method: string;
  params: Record<string, unknown>;
  decode(answer: unknown): GroupRow[];
} {
  const entries = Object.entries(aggregates);
  if (major >= 19) {
    return {
      method: "formatted_read_group",
      params: { domain, groupby, aggregates: ["__count", ...entries.map(([, spec]) => spec)] },
      decode: (answer) =>
        (answer as Array<Record<string, unknown>>).map((row) => {
          const out: GroupRow = { __count: Number(row.__count ?? 0) };
          for (const g of groupby) out[g] = row[g];
          for (const [alias, spec] of entries) out[alias] = row[spec];
          return out;
        }),
    };
  }
  const fields = entries.map(([alias, spec]) => {
    const [field, fn] = spec.split(":");
    return `${alias}:${fn}(${field})`;
  });
  return { method: "read_group", params: { domain, fields, groupby, lazy: false }, decode: (answer) => answer as GroupRow[] };
}
