import express, { type Router } from "express";
import { z } from "zod";
import type { Store } from "../store/store.ts";
import { BadRequest, Forbidden, isoTime, parseBody, parseId } from "./params.ts";
import { principalOf, reaches, requireScope } from "./auth.ts";

/** A silence longer than this is an off switch: it would outlive the problem and the people who knew it. */
const MAX_SILENCE_DAYS = 30;

const silenceBody = z.strictObject({
  matchers: z
    .record(z.string().regex(/^[a-z_]{1,40}$/, "a label name: tenant, sli, carrier, channel…"), z.string().min(1).max(200))
    .refine((m) => Object.keys(m).length > 0 && Object.keys(m).length <= 10, "one to ten matchers"),
  creator: z.string().min(1).max(100),
  comment: z.string().min(1).max(500),
  endsAt: isoTime,
});

/** POST /silences, GET /silences, DELETE /silences/:id (ends it now). */
export function silencesRouter(store: Store): Router {
  const router = express.Router();
  router.use(express.json({ limit: "16kb" }));

  router.post("/silences", requireScope("write"), async (req, res) => {
    const body = parseBody(silenceBody, req.body);
    const now = Date.now();
    const endsAt = new Date(body.endsAt).getTime();
    if (endsAt <= now) throw new BadRequest("endsAt", "must be in the future");
    if (endsAt > now + MAX_SILENCE_DAYS * 86_400_000) throw new BadRequest("endsAt", `at most ${MAX_SILENCE_DAYS} days ahead`);
    // A tenant's token silences its own tenant only: the tenant matcher is its own, given or not.
    const bound = principalOf(res).tenant;
    if (bound !== null && body.matchers.tenant !== undefined && body.matchers.tenant !== bound) throw new Forbidden("matchers.tenant", `this token is bound to tenant "${bound}"`);
    if (bound !== null) body.matchers.tenant = bound;
    res.status(201).json(await store.silences.create({ matchers: body.matchers, creator: body.creator, comment: body.comment, startsAt: now, endsAt }));
  });

  router.get("/silences", async (_req, res) => {
    const now = Date.now();
    const visible = (await store.silences.all()).filter((s) => reaches(res, s.matchers.tenant ?? null, { allowGlobal: true }));
    res.json({ silences: visible.map((s) => ({ ...s, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt), active: s.startsAt <= now && now < s.endsAt })) });
  });

  router.delete("/silences/:id", requireScope("write"), async (req, res) => {
    const id = parseId(req.params.id, "a silence id");
    const silence = await store.silences.get(id);
    if (silence && !reaches(res, silence.matchers.tenant ?? null)) throw new Forbidden("id", `silence ${id} is not of this token's tenant`);
    if (!(await store.silences.expire(id, new Date()))) {
      res.status(404).json({ error: `no silence ${id}` });
      return;
    }
    res.status(204).end();
  });
  return router;
}
