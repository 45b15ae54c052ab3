import express, { type Router } from "express";
import { z } from "zod";
import type { Store } from "../store/store.ts";
import { BadRequest, parseBody, parseQuery } from "./params.ts";

const isoTime = z.iso.datetime({ offset: true, error: "an ISO 8601 time with offset, e.g. 2026-11-29T02:00:00Z" });
const tenantName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "a configured tenant name");

/** A backup job reports itself: a base backup, a WAL segment push, or a restore test. */
export const backupEvent = z
  .strictObject({
    kind: z.enum(["base", "wal", "restore_test"]),
    status: z.enum(["success", "failure"]),
    started: isoTime,
    finished: isoTime,
    size: z.number().int().min(0).optional(),
    tool: z.string().max(40).optional(),
    message: z.string().max(500).optional(),
  })
  .refine((e) => new Date(e.finished) >= new Date(e.started), { message: "must not be before started", path: ["finished"] });

/** A release: of one tenant's Odoo (modules, code) or of the whole platform when tenant is absent. */
export const deployEvent = z.strictObject({
  tenant: tenantName.optional(),
  version: z.string().min(1).max(100),
  author: z.string().min(1).max(100),
  time: isoTime.optional(),
  description: z.string().max(500).optional(),
});

const listQuery = z.strictObject({
  kind: z.enum(["backup", "deploy"]).optional(),
  tenant: z.string().optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

/** POST /events/backup, POST /events/deploy, GET /events: evidence of backups and markers of releases. */
export function eventsRouter(store: Store, tenants: () => Set<string>): Router {
  const router = express.Router();
  router.use(express.json({ limit: "64kb" }));

  router.post("/events/backup", async (req, res) => {
    const e = parseBody(backupEvent, req.body);
    const stored = await store.events.append("backup", null, new Date(e.finished), e);
    res.status(201).json(stored);
  });

  router.post("/events/deploy", async (req, res) => {
    const e = parseBody(deployEvent, req.body);
    if (e.tenant && !tenants().has(e.tenant)) throw new BadRequest("tenant", `unknown tenant "${e.tenant}"`);
    const stored = await store.events.append("deploy", e.tenant ?? null, e.time ? new Date(e.time) : new Date(), { ...e, source: "api" });
    res.status(201).json(stored);
  });

  router.get("/events", async (req, res) => {
    const q = parseQuery(listQuery, req);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    res.json({ events: await store.events.list({ kind: q.kind, tenant: q.tenant, from, to }) });
  });
  return router;
}
