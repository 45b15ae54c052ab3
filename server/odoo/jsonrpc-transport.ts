import { JSONRPCClient, JSONRPCErrorException } from "json-rpc-2.0";
import { fromHttpStatus, fromOdooFault, fromTransportFailure, OdooError } from "./errors.ts";

/** The largest answer read: a whole cycle's batched reads of a big tenant are a few MB; 300 MB is an accident. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** The answer's text, refused beyond `max` bytes (announced or streamed) before it is all in memory. */
async function readLimited(response: Response, max: number, endpoint: string): Promise<string> {
  const tooLarge = () => new OdooError("protocol", `${endpoint} answered more than ${max / 1024 / 1024} MB: refused`);
  if (Number(response.headers.get("content-length") ?? 0) > max) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      await response.body.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Per-call context: the abort signal, and the transport failure if the HTTP exchange itself failed. */
interface CallContext {
  signal: AbortSignal;
  failure?: OdooError;
}

/**
 * Odoo's `/jsonrpc` endpoint (17, 18, and deprecated in 19): method "call" with {service, method, args}.
 * Turns every failure into an OdooError so that callers decide on kinds, never on message text.
 */
export class JsonRpcTransport {
  readonly #client: JSONRPCClient<CallContext>;
  readonly #endpoint: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
    fetchImpl: typeof fetch = fetch,
  ) {
    this.#endpoint = new URL("/jsonrpc", baseUrl).toString();
    this.#client = new JSONRPCClient<CallContext>(async (payload, ctx) => {
      try {
        const response = await fetchImpl(this.#endpoint, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(payload),
          signal: ctx.signal,
          redirect: "error",
        });
        if (response.status !== 200) throw fromHttpStatus(response.status, this.#endpoint);
        const text = await readLimited(response, MAX_ANSWER_BYTES, this.#endpoint);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new OdooError("protocol", `not JSON-RPC: ${this.#endpoint} answered with ${response.headers.get("content-type") ?? "no content type"}`);
        }
        // A proxy's or maintenance page's JSON ({"status": "ok"}) is no reply: left to the client, the request
        // would wait for its id forever and the tenant would never be sampled again.
        const id = (payload as { id?: unknown }).id;
        if (!body || typeof body !== "object" || (body as { id?: unknown }).id !== id) {
          throw new OdooError("protocol", `not a JSON-RPC reply to request ${String(id)}: ${this.#endpoint} answered ${text.slice(0, 80)}`);
        }
        // Odoo leaves out "result" when a method returns None (odoo/http.py); JSON-RPC wants it, so it becomes null
        // here rather than an "unexpected error" that would be retried and run a write twice.
        if (!("result" in body) && !("error" in body)) (body as { result: unknown }).result = null;
        this.#client.receive(body as Parameters<JSONRPCClient["receive"]>[0]);
      } catch (err) {
        ctx.failure = fromTransportFailure(err, this.timeoutMs);
        throw ctx.failure;
      }
    });
  }

  /** Calls one service method, e.g. ("object", "execute_kw", [db, uid, key, model, method, args, kwargs]). */
  async call(service: string, method: string, args: unknown[]): Promise<unknown> {
    const ctx: CallContext = { signal: AbortSignal.timeout(this.timeoutMs) };
    try {
      return await this.#client.request("call", { service, method, args }, ctx);
    } catch (err) {
      if (ctx.failure) throw ctx.failure;
      if (err instanceof JSONRPCErrorException) throw fromOdooFault(err.data, err.message);
      throw fromTransportFailure(err, this.timeoutMs);
    }
  }
}
