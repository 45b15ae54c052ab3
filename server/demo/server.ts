import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorPayload, missingArguments, OdooFault } from "./faults.ts";
import { dispatchRpc, VERSION_INFO, type DemoAccount } from "./services.ts";
import { DemoWorld } from "./world.ts";

export interface DemoOdooOptions {
  /** 0 (default): an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for this machine only. */
  host?: string;
  /** Seed of the simulated workload. Default 1. */
  seed?: number;
  /** Around when DHL's label API fails (see WorldOptions); default: at start. */
  labelIncidentAt?: Date;
  /** The clock the world follows; tests pass a fixed or accelerated one. Default: the wall clock. */
  now?: () => Date;
  /** OCA queue_job installed (queue.job). Default true. */
  queueJob?: boolean;
  /** The project's addon installed (logistics.label.event). Default true. */
  labelEvents?: boolean;
  /** sale_stock, stock_delivery and stock_picking_batch installed. Default true; false is an Odoo without them. */
  apps?: boolean;
}

export interface DemoOdoo {
  url: string;
  db: string;
  user: string;
  password: string;
  /** The simulated data, for tests that want to look behind the RPC answers. */
  world: DemoWorld;
  /** What an administrator does who changes the password or revokes the API key: the old one is refused. */
  setPassword(password: string): void;
  close(): Promise<void>;
}

const ACCOUNT: DemoAccount = { db: "demo", login: "admin", password: "demo", uid: 2 };
const MAX_BODY = 10 * 1024 * 1024;

/**
 * Starts the demo Odoo: an HTTP server answering Odoo 18's POST /jsonrpc (services common, object, db) and
 * /web/webclient/version_info over a simulated logistics world, with the same answer and error shapes as a real
 * Odoo 18 (HTTP 200 and {code: 200, message: "Odoo Server Error", data} for every server-side error). Each
 * request first moves the world on to `now()`. JSON-RPC is handled directly rather than with json-rpc-2.0's
 * server: Odoo ignores the "method" member and answers requests without an id, which that server would not.
 */
export async function startDemoOdoo(options: DemoOdooOptions = {}): Promise<DemoOdoo> {
  const now = options.now ?? (() => new Date());
  const account: DemoAccount = { ...ACCOUNT };
  const world = new DemoWorld({ now: now(), seed: options.seed, apps: options.apps, queueJob: options.queueJob, labelEvents: options.labelEvents, labelIncidentAt: options.labelIncidentAt });
  const server = createServer((req, res) => {
    handle(req, res, world, account, now).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", `demo Odoo: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    db: ACCOUNT.db,
    user: ACCOUNT.login,
    password: ACCOUNT.password,
    world,
    setPassword: (password) => {
      account.password = password;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, world: DemoWorld, account: DemoAccount, now: () => Date): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/web/health") return send(res, 200, "application/json; charset=utf-8", JSON.stringify({ status: "pass" }));
  if (path !== "/jsonrpc" && path !== "/web/webclient/version_info") {
    return send(res, 404, "text/html; charset=utf-8", "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n");
  }
  // Odoo picks the route type from the request: without a JSON body, a type='json' route refuses it.
  const type = req.headers["content-type"] ?? "";
  if (req.method !== "POST" || !/^application\/(json|json-rpc)\b/i.test(type)) {
    return send(res, 400, "text/html; charset=utf-8", `<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>Request inferred type is compatible with [&#39;http&#39;] but &#39;${path}&#39; is type=&#39;json&#39;.</p>\n`);
  }
  let body: { id?: unknown; params?: Record<string, unknown> };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
    if (typeof body !== "object" || body === null) throw new Error("not an object");
  } catch {
    return send(res, 400, "text/html; charset=utf-8", "Invalid JSON data");
  }
  const id = body.id ?? null;
  try {
    world.advanceTo(now());
    const result = path === "/jsonrpc" ? jsonrpc(world, account, body.params ?? {}) : VERSION_INFO;
    send(res, 200, "application/json; charset=utf-8", JSON.stringify({ jsonrpc: "2.0", id, result }));
  } catch (err) {
    // A simulator bug still answers like Odoo does for an unexpected exception, so clients stay on their error path.
    const fault = err instanceof OdooFault ? err : new OdooFault("builtins.Exception", err instanceof Error ? err.message : String(err));
    send(res, 200, "application/json; charset=utf-8", JSON.stringify({ jsonrpc: "2.0", id, error: errorPayload(fault) }));
  }
}

/** The /jsonrpc controller: RPC.jsonrpc(service, method, args). */
function jsonrpc(world: DemoWorld, account: DemoAccount, params: Record<string, unknown>): unknown {
  const missing = ["service", "method", "args"].filter((k) => !(k in params));
  if (missing.length) throw missingArguments("RPC.jsonrpc()", missing);
  const args = Array.isArray(params.args) ? params.args : [];
  return dispatchRpc(world.db, account, String(params.service), String(params.method), args);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error("request body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
