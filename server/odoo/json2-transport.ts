import { fromHttpStatus, fromOdooFault, fromTransportFailure, OdooError } from "./errors.ts";
import type { Secret } from "../config/secret.ts";

/**
 * Odoo 19's JSON-2 API: POST /json/2/<model>/<method> with named parameters and a bearer API key.
 * Errors come back as HTTP 4xx/5xx with {name, message}.
 */
export class Json2Transport {
  constructor(
    private readonly baseUrl: string,
    private readonly db: string,
    private readonly apiKey: Secret,
    private readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async call(model: string, method: string, params: Record<string, unknown>): Promise<unknown> {
    const url = new URL(`/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, this.baseUrl).toString();
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `bearer ${this.apiKey.reveal()}`,
          "x-odoo-database": this.db,
        },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: "error",
      });
    } catch (err) {
      throw fromTransportFailure(err, this.timeoutMs);
    }
    const body = await response.json().catch(() => undefined);
    if (response.ok) return body;
    if (body && typeof body === "object" && "name" in body) {
      const fault = fromOdooFault(body as { name?: string; message?: string }, `HTTP ${response.status}`);
      throw response.status === 401 ? new OdooError("auth", fault.message, fault.odooName) : fault;
    }
    throw fromHttpStatus(response.status, url);
  }
}
