import express, { type Response, type Router } from "express";
import type { RestoreTest } from "../config/load.ts";
import { RestoreTestRunning, type RestoreTests } from "../restore/schedule.ts";
import type { Store } from "../store/store.ts";
import { principalOf, reaches, requireScope } from "./auth.ts";
import { Forbidden } from "./params.ts";

/** What the API says of a configured test: never its archive's directory nor its scratch server. */
const publicTest = (t: RestoreTest) => ({ name: t.name, tenant: t.tenant ?? null, schedule: t.schedule, timeZone: t.timeZone, recoveryObjectiveSeconds: t.recoveryObjectiveSeconds, keyTables: t.keyTables });

/** A tenant's token sees its tenant's tests; the platform's (no tenant) are the operator's and tenant-free tokens'. */
const visible = (res: Response, t: RestoreTest) => reaches(res, t.tenant ?? null);

/**
 * GET /restore-tests: each configured test with its last result and last success (from the events);
 * POST /restore-tests/:name/run: runs it now and answers its result once it is done (scope write).
 */
export function restoreTestsRouter(restore: RestoreTests | undefined, store: Store): Router {
  const router = express.Router();
  const tests = restore?.tests ?? [];

  router.get("/restore-tests", async (_req, res) => {
    const shown = tests.filter((t) => visible(res, t));
    const latest = shown.length ? await store.events.latestRestoreTests(shown.map((t) => t.name)) : [];
    res.json({
      restoreTests: shown.map((t) => {
        const mine = latest.filter((e) => e.name === t.name).sort((a, b) => b.at.getTime() - a.at.getTime());
        const success = mine.find((e) => e.payload.status === "success");
        return { ...publicTest(t), running: restore?.running(t.name) ?? false, last: mine[0]?.payload ?? null, lastSuccessAt: success?.at ?? null };
      }),
    });
  });

  router.post("/restore-tests/:name/run", requireScope("write"), async (req, res) => {
    const test = tests.find((t) => t.name === req.params.name);
    if (!restore || !test) {
      res.status(404).json({ error: `name: no restore test named ${JSON.stringify(String(req.params.name).slice(0, 40))}`, parameter: "name" });
      return;
    }
    if (!visible(res, test)) {
      const bound = principalOf(res).tenant;
      throw new Forbidden("name", test.tenant ? `this token is bound to tenant "${bound}"` : "this restore test is the platform's: a token bound to a tenant cannot run it");
    }
    try {
      res.json(await restore.run(test.name));
    } catch (err) {
      if (!(err instanceof RestoreTestRunning)) throw err;
      res.status(409).json({ error: `name: ${err.message}`, parameter: "name" });
    }
  });
  return router;
}
