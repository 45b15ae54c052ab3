import { fromHttpStatus, fromOdooFault, fromTransportFailure, OdooError } from "../odoo/errors.ts";

/** What one HTTP exchange of a journey returned. */
export interface Exchange {
  status: number;
  /** Where a redirect points (absolute), if it is one. */
  location: string | undefined;
  contentType: string;
  body: string;
}

/** A page or bundle larger than this is read no further: a journey measures, it does not download. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * A browser's web session in miniature: one cookie jar, redirects seen rather than followed (a login that lands back
 * on the login page is the failure to catch), a deadline per exchange. Never logs or returns the cookies.
 */
export class WebSession {
  readonly #cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Whether a URL is on this session's server (a redirect elsewhere is not followed). */
  isOwn(url: string): boolean {
    return new URL(url, this.baseUrl).origin === new URL(this.baseUrl).origin;
  }

  get(path: string): Promise<Exchange> {
    return this.send(path, { method: "GET" });
  }

  postForm(path: string, fields: Record<string, string>): Promise<Exchange> {
    return this.send(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
  }

  /** A call of the web client's own JSON route (`/web/dataset/call_kw/...`), as the browser sends it. */
  async callKw<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): Promise<T> {
    const payload = { jsonrpc: "2.0", method: "call", id: Date.now(), params: { model, method, args, kwargs } };
    const answer = await this.send(`/web/dataset/call_kw/${model}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
    if (answer.status !== 200) throw fromHttpStatus(answer.status, `${model}.${method}`);
    let body: { result?: T; error?: { message?: string; data?: { name?: string; message?: string } } };
    try {
      body = JSON.parse(answer.body) as typeof body;
    } catch {
      throw new OdooError("protocol", `${model}.${method} answered ${answer.contentType || "no content type"}, not JSON`);
    }
    if (body.error) {
      if (/SessionExpired/.test(body.error.data?.name ?? "")) throw new OdooError("auth", `${model}.${method}: the web session expired`);
      throw fromOdooFault(body.error.data, body.error.message ?? "error");
    }
    return body.result as T;
  }

  /** One exchange; `path` may be absolute (a redirect's target on the same server). */
  async send(path: string, init: RequestInit): Promise<Exchange> {
    const url = new URL(path, this.baseUrl);
    const signals = [AbortSignal.timeout(this.timeoutMs), ...(this.signal ? [this.signal] : [])];
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() }, redirect: "manual", signal: AbortSignal.any(signals) });
    } catch (err) {
      throw fromTransportFailure(err, this.timeoutMs);
    }
    for (const line of response.headers.getSetCookie()) this.keep(line);
    const location = response.headers.get("location");
    const body = await readUpTo(response, MAX_BODY_BYTES);
    return { status: response.status, location: location ? new URL(location, url).toString() : undefined, contentType: response.headers.get("content-type") ?? "", body };
  }

  private keep(setCookie: string): void {
    const [pair] = setCookie.split(";");
    const eq = pair!.indexOf("=");
    if (eq <= 0) return;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    // Max-Age=0 or an expiry in the past: the server deletes the cookie (logout).
    if (/max-age=0\b/i.test(setCookie) || value === "") this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

async function readUpTo(response: Response, max: number): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size > max) {
      await response.body.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}
