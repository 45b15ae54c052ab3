import { Router } from "express";
import { z } from "zod";
import { incidentRef } from "../alerts/incident-text.ts";
import { mttd, mttr, type Incident } from "../detect/incidents.ts";
import type { Store } from "../store/store.ts";
import { Forbidden, parseId, parseQuery } from "./params.ts";
import { reaches, tenantFor } from "./auth.ts";

const listQuery = z.strictObject({
  tenant: z.string().min(1).optional(),
  state: z.enum(["open", "resolved"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An incident as the API shows it: times in ISO 8601, MTTD and MTTR in seconds. */
export function incidentView(i: Incident) {
  return {
    id: i.id,
    ref: incidentRef(i),
    tenant: i.tenant,
    state: i.state,
    severity: i.severity,
    title: i.title,
    openedAt: iso(i.openedAt),
    resolvedAt: iso(i.resolvedAt),
    firstAbnormalAt: iso(i.firstAbnormalAt),
    firstNotifiedAt: iso(i.firstNotifiedAt),
    mttdSeconds: mttd(i),
    mttrSeconds: mttr(i),
    causes: i.causes.map(({ rank, layer, subject, evidence, confidence, signal }) => ({ rank, layer, subject, evidence, confidence, signal })),
    alerts: i.alerts.map((a) => ({ ...a, since: iso(a.since) })),
    timeline: i.timeline.map((e) => ({ ...e, at: iso(e.at) })),
  };
}

/** GET /incidents (newest first, open ones on top) and GET /incidents/:id. */
export function incidentsRouter(store: Store): Router {
  const r = Router();
  r.get("/incidents", async (req, res) => {
    const q = parseQuery(listQuery, req);
    const list = await store.incidents.list({ ...q, tenant: tenantFor(res, q.tenant) });
    res.json({ incidents: list.map(incidentView) });
  });
  r.get("/incidents/:id", async (req, res) => {
    const id = parseId(req.params.id, "a positive incident number");
    const i = await store.incidents.get(id);
    if (!i) {
      res.status(404).json({ error: `id: no incident ${id}` });
      return;
    }
    if (!reaches(res, i.tenant)) throw new Forbidden("id", `incident ${id} is not of this token's tenant`);
    res.json(incidentView(i));
  });
  return r;
}
