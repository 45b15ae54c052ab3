import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { Secret } from "../config/secret.ts";
import { tokenHash, type Scope, type TokenStore } from "../store/tokens.ts";
import { Forbidden } from "./params.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Who is asking: the operator's configured token (every tenant, and the tokens themselves), or a created token. */
export interface Principal {
  /** null: the configured API token. */
  tokenId: number | null;
  /** The only tenant this principal reaches; null: every tenant. */
  tenant: string | null;
  scopes: ReadonlySet<Scope | "admin">;
}

const OPERATOR: Principal = { tokenId: null, tenant: null, scopes: new Set(["read", "write", "admin"]) };
/** How long a looked-up token is trusted without asking the store again; revocation through the API clears it. */
const CACHE_MS = 30_000;

/** The token of an `Authorization: Bearer …` header, or null. */
const bearerToken = (header: string | undefined): string | null => /^Bearer\s+(\S{1,200})$/i.exec(header ?? "")?.[1] ?? null;

/** Whether a token is this secret, in constant time (digests make the lengths equal). */
function secretCheck(secret: Secret): (token: string) => boolean {
  const expected = digest(secret.reveal());
  return (token) => timingSafeEqual(digest(token), expected);
}

/** A bearer check for a single token, such as /metrics'. */
export function bearerCheck(secret: Secret): (header: string | undefined) => boolean {
  const matches = secretCheck(secret);
  return (header) => {
    const token = bearerToken(header);
    return token !== null && matches(token);
  };
}

export function principalOf(res: Response): Principal {
  return (res.locals.principal as Principal | undefined) ?? OPERATOR;
}

/**
 * Bearer authentication: the configured token (compared in constant time) or a created token (found by its
 * hash). Failed attempts are throttled per client address.
 */
export class Authenticator {
  readonly #isOperator: (token: string) => boolean;
  readonly #cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    operatorToken: Secret,
    private readonly tokens: TokenStore,
    private readonly throttle: FailureThrottle = new FailureThrottle(),
  ) {
    this.#isOperator = secretCheck(operatorToken);
  }

  /** Forgets cached lookups: a revoked token is refused from the next request on. */
  forget(): void {
    this.#cache.clear();
  }

  middleware(): RequestHandler {
    return async (req, res, next) => {
      const client = req.socket.remoteAddress ?? "?";
      const wait = this.throttle.blockedFor(client, Date.now());
      if (wait > 0) {
        res.set("retry-after", String(Math.ceil(wait / 1000)));
        res.status(429).json({ error: `too many failed authentications from this address: retry in ${Math.ceil(wait / 1000)} s` });
        return;
      }
      const token = bearerToken(req.get("authorization"));
      const principal = token !== null ? await this.lookup(token) : null;
      if (principal) {
        res.locals.principal = principal;
        return next();
      }
      this.throttle.failed(client, Date.now());
      res.set("www-authenticate", 'Bearer realm="logistics-observability"');
      res.status(401).json({ error: token !== null ? "invalid bearer token" : "missing bearer token: send Authorization: Bearer <API token>" });
    };
  }

  private async lookup(token: string): Promise<Principal | null> {
    if (this.#isOperator(token)) return OPERATOR;
    const hash = tokenHash(token);
    const cached = this.#cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const found = await this.tokens.find(hash);
    const principal: Principal | null = found ? { tokenId: found.id, tenant: found.tenant, scopes: new Set(found.scopes) } : null;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    if (found) void this.tokens.touch(found.id, new Date()).catch(() => {});
    return principal;
  }
}

/** Rejects a principal without the scope. */
export function requireScope(scope: Scope | "admin"): RequestHandler {
  return (_req, res, next) => {
    if (principalOf(res).scopes.has(scope)) return next();
    throw new Forbidden("authorization", scope === "admin" ? "only the configured API token manages tokens" : `this token has no ${scope} scope`);
  };
}

/**
 * The tenant a request may see: the one it names if its token reaches it, else the token's own. A token bound
 * to a tenant asking for another one's data is refused (403), never quietly given its own.
 */
export function tenantFor(res: Response, requested: string | undefined, opts: { allowGlobal?: boolean } = {}): string | undefined {
  const { tenant } = principalOf(res);
  if (tenant === null || requested === undefined) return requested ?? tenant ?? undefined;
  if (requested === tenant || (opts.allowGlobal && requested === "global")) return requested;
  throw new Forbidden("tenant", `this token is bound to tenant "${tenant}"`);
}

/** Whether the request's principal may see a record of `tenant` (its own, or shared infrastructure when allowed). */
export function reaches(res: Response, tenant: string | null, opts: { allowGlobal?: boolean } = {}): boolean {
  const bound = principalOf(res).tenant;
  return bound === null || tenant === bound || (opts.allowGlobal === true && (tenant === "global" || tenant === null));
}

/**
 * Failed authentications per client address: after `limit` within a minute, that address is refused (429) for the
 * rest of the minute. Guessing tokens costs minutes per few attempts; a bounded map, so that spoofed-looking
 * traffic cannot grow memory.
 */
export class FailureThrottle {
  readonly #failures = new Map<string, { count: number; windowStart: number }>();

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 60_000,
  ) {}

  failed(client: string, now: number): void {
    const f = this.#failures.get(client);
    if (!f || now - f.windowStart >= this.windowMs) {
      if (this.#failures.size >= 10_000) this.#failures.delete(this.#failures.keys().next().value!);
      this.#failures.set(client, { count: 1, windowStart: now });
    } else f.count++;
  }

  blockedFor(client: string, now: number): number {
    const f = this.#failures.get(client);
    if (!f || f.count < this.limit) return 0;
    return Math.max(0, f.windowStart + this.windowMs - now);
  }
}


