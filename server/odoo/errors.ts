/**
 * What went wrong talking to an Odoo, reduced to the few kinds the sampler acts on differently.
 * - unreachable / timeout / unavailable: transient, retried with backoff
 * - auth: bad login or key; access: the user lacks rights; missing_model: a module is not installed
 * - server: any other server-side error; protocol: the answer is not Odoo JSON-RPC at all
 */
export type OdooErrorKind = "unreachable" | "timeout" | "unavailable" | "auth" | "access" | "missing_model" | "server" | "protocol";

const TRANSIENT: ReadonlySet<OdooErrorKind> = new Set(["unreachable", "timeout", "unavailable"]);

export class OdooError extends Error {
  override name = "OdooError";

  constructor(
    readonly kind: OdooErrorKind,
    message: string,
    /** Odoo's exception class when the server sent one, e.g. odoo.exceptions.AccessError. */
    readonly odooName?: string,
  ) {
    super(message);
  }

  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

/** Maps an Odoo JSON-RPC error payload ({code, message, data: {name, message}}) to an OdooError. */
export function fromOdooFault(data: { name?: string; message?: string } | undefined, fallback: string): OdooError {
  const name = data?.name ?? "";
  const message = (data?.message ?? fallback).split("\n")[0]!.slice(0, 300);
  if (name === "odoo.exceptions.AccessDenied") return new OdooError("auth", "access denied: wrong login, password or API key", name);
  if (name === "odoo.exceptions.AccessError") return new OdooError("access", `access rights: ${message}`, name);
  if (/^Object \S+ doesn't exist$/.test(message) || name === "odoo.addons.base.models.ir_model.MissingModel") {
    return new OdooError("missing_model", message, name);
  }
  if (name === "psycopg2.OperationalError" && /database .* does not exist/.test(message)) {
    return new OdooError("auth", `unknown database: ${message}`, name);
  }
  if (/SerializationFailure|could not serialize/.test(name + message)) return new OdooError("unavailable", message, name);
  return new OdooError("server", `${name || "error"}: ${message}`, name);
}

/** Maps a failed fetch (network, abort, HTTP status) to an OdooError. */
export function fromTransportFailure(err: unknown, timeoutMs: number): OdooError {
  if (err instanceof OdooError) return err;
  const e = err as { name?: string; cause?: { code?: string; errors?: Array<{ code?: string }> }; message?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return new OdooError("timeout", `no answer within ${timeoutMs} ms`);
  // fetch wraps the socket error; with several addresses tried (IPv4 and IPv6) it is an AggregateError.
  const code = e?.cause?.code ?? e?.cause?.errors?.find((x) => x.code)?.code;
  return new OdooError("unreachable", `cannot connect (${code ?? (e?.cause as { message?: string })?.message ?? e?.message ?? String(err)})`);
}

/** HTTP statuses that mean "try again later" rather than "this request is wrong". */
export function fromHttpStatus(status: number, url: string): OdooError {
  const kind: OdooErrorKind = [502, 503, 504, 429].includes(status) ? "unavailable" : status === 401 || status === 403 ? "auth" : "protocol";
  return new OdooError(kind, `HTTP ${status} from ${url}`);
}
