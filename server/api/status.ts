import { Router, type RequestHandler } from "express";
import { z } from "zod";
import type { SliDefinition } from "../sli/catalog.ts";
import { gatherStatus } from "../status/gather.ts";
import { detailPage, notFoundPage, publicPage, STATUS_PAGE_CSP } from "../status/page.ts";
import { detailedStatus, forTenantToken, publicStatus, type DetailedStatus } from "../status/view.ts";
import type { Store } from "../store/store.ts";
import { principalOf, tenantFor } from "./auth.ts";
import { BadRequest, parseQuery } from "./params.ts";

export interface StatusDeps {
  store: Store;
  objective: (tenant: string, def: SliDefinition) => number;
  /** `statusPage` of the config: the pages' title and the tenants whose page is public. */
  page: { title: string; publicTenants: readonly string[] };
  tenantNames: () => ReadonlySet<string>;
}

/** A crowd opening the public page during an outage costs the store one read of each tenant per this long. */
const FRESH_MS = 10_000;
const TENANT_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

const statusQuery = z.strictObject({ tenant: z.string().min(1, "required") });

const pageHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    "content-security-policy": STATUS_PAGE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  });
  next();
};

/**
 * The status page: GET /status/:tenant (HTML) and /status/:tenant.json for the tenants configured public, without a
 * token; GET /status/:tenant/detail, the page that loads GET /api/v1/status (authenticated, `api`) with the token
 * its reader types. A tenant that is not public, and one that does not exist, are the same 404.
 */
export function statusRoutes(deps: StatusDeps): { pages: Router; api: Router } {
  const cache = new Map<string, { at: number; view: Promise<DetailedStatus> }>();
  const detailed = (tenant: string): Promise<DetailedStatus> => {
    const hit = cache.get(tenant);
    if (hit && performance.now() - hit.at < FRESH_MS) return hit.view;
    const view = gatherStatus(deps, tenant, deps.page.title, Date.now()).then(detailedStatus);
    cache.set(tenant, { at: performance.now(), view });
    view.catch(() => cache.delete(tenant));
    return view;
  };
  const isPublic = (tenant: string) => deps.page.publicTenants.includes(tenant) && deps.tenantNames().has(tenant);

  const pages = Router();
  pages.use("/status", pageHeaders);
  pages.get("/status/:tenant.json", async (req, res) => {
    if (!isPublic(req.params.tenant)) {
      res.status(404).set("cache-control", "no-store").json({ error: "no public status page here" });
      return;
    }
    res.set("cache-control", "no-cache").json(publicStatus(await detailed(req.params.tenant)));
  });
  pages.get("/status/:tenant/detail", (req, res) => {
    // The shell holds no data: served for any well-formed name, so that it tells nothing of which tenants exist.
    if (!TENANT_NAME.test(req.params.tenant)) {
      res.status(404).type("html").send(notFoundPage());
      return;
    }
    res.set("cache-control", "no-store").type("html").send(detailPage(req.params.tenant, deps.page.title));
  });
  pages.get("/status/:tenant", async (req, res) => {
    if (!isPublic(req.params.tenant)) {
      res.status(404).set("cache-control", "no-store").type("html").send(notFoundPage());
      return;
    }
    res.set("cache-control", "no-cache").type("html").send(publicPage(publicStatus(await detailed(req.params.tenant))));
  });

  const api = Router();
  api.get("/status", async (req, res) => {
    const q = parseQuery(statusQuery, req);
    const tenant = tenantFor(res, q.tenant)!;
    if (!deps.tenantNames().has(tenant)) throw new BadRequest("tenant", `unknown tenant "${tenant}"`);
    const view = await detailed(tenant);
    res.set("cache-control", "no-store").json(principalOf(res).tenant === null ? view : forTenantToken(view));
  });
  return { pages, api };
}
