import { createHash, randomBytes } from "node:crypto";
import type { SqlDriver } from "./driver.ts";

/** What a token may do: read the data of its tenant, or also write silences and events there. */
export type Scope = "read" | "write";
export const SCOPES: readonly Scope[] = ["read", "write"];

export interface ApiToken {
  id: number;
  /** The only tenant whose data it reaches; null: every tenant. */
  tenant: string | null;
  scopes: Scope[];
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Tokens are found by their hash: a lookup by a secret's digest leaks nothing of the secret. */
export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

const toToken = (r: Record<string, unknown>): ApiToken => ({
  id: Number(r.id),
  tenant: (r.tenant as string | null) ?? null,
  scopes: r.scopes as Scope[],
  label: String(r.label),
  createdAt: new Date(r.created_at as string),
  revokedAt: r.revoked_at ? new Date(r.revoked_at as string) : null,
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at as string) : null,
});

/** API tokens, kept hashed: the clear token exists once, in the answer that creates it. */
export class TokenStore {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  async create(t: { tenant: string | null; scopes: Scope[]; label: string }, now: Date): Promise<{ token: string; record: ApiToken }> {
    const token = `lot_${randomBytes(24).toString("base64url")}`;
    const [row] = await this.db.query<Record<string, unknown>>(
      "INSERT INTO lo.api_tokens (hash, tenant, scopes, label, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *",
      [tokenHash(token), t.tenant, t.scopes, t.label, now],
    );
    return { token, record: toToken(row!) };
  }

  /** The live token with this hash, if any. */
  async find(hash: string): Promise<ApiToken | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>("SELECT * FROM lo.api_tokens WHERE hash = $1 AND revoked_at IS NULL", [hash]);
    return row ? toToken(row) : undefined;
  }

  async list(): Promise<ApiToken[]> {
    return (await this.db.query<Record<string, unknown>>("SELECT * FROM lo.api_tokens ORDER BY id")).map(toToken);
  }

  /** Revokes a token; false when there is no such live token. */
  async revoke(id: number, now: Date): Promise<boolean> {
    return (await this.db.query("UPDATE lo.api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id", [id, now])).length > 0;
  }

  async touch(id: number, now: Date): Promise<void> {
    await this.db.query("UPDATE lo.api_tokens SET last_used_at = $2 WHERE id = $1", [id, now]);
  }
}
