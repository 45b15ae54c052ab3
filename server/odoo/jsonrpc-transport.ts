import { JSONRPCClient, JSONRPCErrorException } from "json-rpc-2.0";
import { fromHttpStatus, fromOdooFault, fromTransportFailure, OdooError } from "./errors.ts";

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
        let body: unknown;
        try {
          body = await response.json();
        } catch {
          throw new OdooError("protocol", `not JSON-RPC: ${this.#endpoint} answered with ${response.headers.get("content-type") ?? "no content type"}`);
        }
        // Odoo leaves out "result" when a method returns None (odoo/http.py); JSON-RPC wants it, so it becomes null
        // here rather than an "unexpected error" that would be retried and run a write twice.
        if (body && typeof body === "object" && !("result" in body) && !("error" in body)) (body as { result: unknown }).result = null;
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
