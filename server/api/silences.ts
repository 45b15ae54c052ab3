import express, { type Router } from "express";
import { z } from "zod";
import type { Store } from "../store/store.ts";
import { BadRequest, parseBody } from "./params.ts";

const silenceBody = z.strictObject({
  matchers: z.record(z.string().regex(/^[a-z_]{1,40}$/, "a label name: tenant, sli, carrier, channel…"), z.string().min(1)).refine((m) => Object.keys(m).length > 0, "at least one matcher"),
  creator: z.string().min(1).max(100),
  comment: z.string().min(1).max(500),
  endsAt: z.iso.datetime({ offset: true, error: "an ISO 8601 time with offset" }),
});

/** POST /silences, GET /silences, DELETE /silences/:id (ends it now). */
export function silencesRouter(store: Store): Router {
  const router = express.Router();
  router.use(express.json({ limit: "16kb" }));

  router.post("/silences", async (req, res) => {
    const body = parseBody(silenceBody, req.body);
    const now = Date.now();
    const endsAt = new Date(body.endsAt).getTime();
    if (endsAt <= now) throw new BadRequest("endsAt", "must be in the future");
    res.status(201).json(await store.silences.create({ matchers: body.matchers, creator: body.creator, comment: body.comment, startsAt: now, endsAt }));
  });

  router.get("/silences", async (_req, res) => {
    const now = Date.now();
    res.json({ silences: (await store.silences.all()).map((s) => ({ ...s, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt), active: s.startsAt <= now && now < s.endsAt })) });
  });

  router.delete("/silences/:id", async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0) throw new BadRequest("id", "a silence id");
    if (!(await store.silences.expire(id, new Date()))) {
      res.status(404).json({ error: `no silence ${id}` });
      return;
    }
    res.status(204).end();
  });
  return router;
}
