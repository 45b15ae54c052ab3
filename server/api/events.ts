import express, { type Router } from "express";
import { z } from "zod";
import type { Store } from "../store/store.ts";
import { BadRequest, Forbidden, isoTime, parseBody, parseQuery } from "./params.ts";
import { principalOf, requireScope, tenantFor } from "./auth.ts";

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

/** Clocks of the reporting jobs may be a little ahead; a backup "finished" hours from now pins its age at 0. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Nothing this monitor judges is older than a year; an older time is a typo (0000-01-01), not history. */
const PAST_LIMIT_MS = 366 * 86_400_000;

function checkTime(field: string, at: Date, now: number): void {
  if (at.getTime() > now + FUTURE_TOLERANCE_MS) throw new BadRequest(field, `${at.toISOString()} is in the future`);
  if (at.getTime() < now - PAST_LIMIT_MS) throw new BadRequest(field, `${at.toISOString()} is more than a year ago`);
}

/** POST /events/backup, POST /events/deploy, GET /events: evidence of backups and markers of releases. */
export function eventsRouter(store: Store, tenants: () => Set<string>): Router {
  const router = express.Router();
  router.use(express.json({ limit: "64kb" }));

  router.post("/events/backup", requireScope("write"), async (req, res) => {
    // Backups are the platform's: one tenant's token must not be able to make every tenant's backup look fresh.
    if (principalOf(res).tenant !== null) throw new Forbidden("authorization", "backup events are the platform's: a token bound to a tenant cannot report them");
    const e = parseBody(backupEvent, req.body);
    checkTime("finished", new Date(e.finished), Date.now());
    const stored = await store.events.append("backup", null, new Date(e.finished), e);
    res.status(201).json(stored);
  });

  router.post("/events/deploy", requireScope("write"), async (req, res) => {
    const e = parseBody(deployEvent, req.body);
    if (e.tenant && !tenants().has(e.tenant)) throw new BadRequest("tenant", `unknown tenant "${e.tenant}"`);
    const tenant = tenantFor(res, e.tenant) ?? null;
    if (e.time) checkTime("time", new Date(e.time), Date.now());
    const stored = await store.events.append("deploy", tenant, e.time ? new Date(e.time) : new Date(), { ...e, tenant: tenant ?? undefined, source: "api" });
    res.status(201).json(stored);
  });

  router.get("/events", async (req, res) => {
    const q = parseQuery(listQuery, req);
    q.tenant = tenantFor(res, q.tenant);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    res.json({ events: await store.events.list({ kind: q.kind, tenant: q.tenant, from, to }) });
  });
  return router;
}
