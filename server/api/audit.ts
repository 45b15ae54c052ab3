import express, { type Router } from "express";
import { z } from "zod";
import { AUDIT_CATEGORIES } from "../security/audit-event.ts";
import type { Store } from "../store/store.ts";
import { tenantFor } from "./auth.ts";
import { isoTime, parseQuery } from "./params.ts";

const auditQuery = z.strictObject({
  tenant: z.string().min(1).optional(),
  category: z.enum(AUDIT_CATEGORIES).optional(),
  actor: z.string().min(1).max(200).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  format: z.enum(["json", "csv"]).default("json"),
});

const journeysQuery = z.strictObject({
  tenant: z.string().min(1, "required"),
  journey: z.enum(["warehouse", "portal"]).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(2_000).default(100),
});

const CSV_COLUMNS = ["tenant", "at", "category", "action", "actor", "login", "remoteAddr", "targetModel", "targetId", "targetName", "detail", "rows"] as const;

/** RFC 4180 quoting; a leading = + - @ is prefixed so that a spreadsheet never runs a login as a formula. */
function csvField(v: unknown): string {
  let s = v instanceof Date ? v.toISOString() : v == null ? "" : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const window = (q: { from?: string; to?: string }, days: number) => {
  const to = q.to ? new Date(q.to) : new Date();
  return { from: q.from ? new Date(q.from) : new Date(to.getTime() - days * 86_400_000), to };
};

/** GET /audit: who changed what, when, in each tenant's Odoo (JSON or CSV). GET /journeys: the journeys' runs and steps. */
export function auditRouter(store: Store): Router {
  const router = express.Router();
  router.get("/audit", async (req, res) => {
    const q = parseQuery(auditQuery, req);
    const events = await store.audit.list({ ...window(q, 30), tenant: tenantFor(res, q.tenant), category: q.category, actor: q.actor, limit: q.limit, offset: q.offset });
    if (q.format === "csv") {
      res.type("text/csv").attachment("audit-trail.csv");
      res.send([CSV_COLUMNS.join(","), ...events.map((e) => CSV_COLUMNS.map((c) => csvField(e[c])).join(","))].join("\r\n") + "\r\n");
      return;
    }
    res.json({ events, nextOffset: events.length === q.limit ? q.offset + q.limit : null });
  });
  router.get("/journeys", async (req, res) => {
    const q = parseQuery(journeysQuery, req);
    const runs = await store.journeys.list({ ...window(q, 1), tenant: tenantFor(res, q.tenant)!, journey: q.journey, limit: q.limit });
    res.json({ runs });
  });
  return router;
}
