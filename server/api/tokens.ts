import express, { type Router } from "express";
import { z } from "zod";
import type { Store } from "../store/store.ts";
import { SCOPES } from "../store/tokens.ts";
import { requireScope, type Authenticator } from "./auth.ts";
import { BadRequest, parseBody, parseId } from "./params.ts";

const tokenBody = z.strictObject({
  /** The one tenant the token reaches; absent: every tenant (a central dashboard, not an Odoo). */
  tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "a configured tenant name").optional(),
  scopes: z.array(z.enum(SCOPES)).min(1, "at least one of read, write"),
  label: z.string().min(1).max(100).regex(/^[^\p{Cc}]*$/u, "no control characters"),
});

/**
 * POST /tokens (the clear token is in this answer only), GET /tokens (never a secret), DELETE /tokens/:id
 * (revoked at once). Only the configured API token manages tokens.
 */
export function tokensRouter(store: Store, auth: Authenticator, tenantNames: () => Set<string>): Router {
  const router = express.Router();
  router.use("/tokens", requireScope("admin"));

  router.post("/tokens", express.json({ limit: "4kb" }), async (req, res) => {
    const body = parseBody(tokenBody, req.body);
    if (body.tenant && !tenantNames().has(body.tenant)) throw new BadRequest("tenant", `unknown tenant "${body.tenant}"`);
    const scopes = [...new Set(body.scopes)];
    const { token, record } = await store.tokens.create({ tenant: body.tenant ?? null, scopes, label: body.label }, new Date());
    res.status(201).json({ ...record, token });
  });

  router.get("/tokens", async (_req, res) => {
    res.json({ tokens: await store.tokens.list() });
  });

  router.delete("/tokens/:id", async (req, res) => {
    const id = parseId(req.params.id, "a token id");
    if (!(await store.tokens.revoke(id, new Date()))) {
      res.status(404).json({ error: `id: no live token ${id}` });
      return;
    }
    auth.forget();
    res.status(204).end();
  });
  return router;
}
