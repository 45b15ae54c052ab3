import type { Journey } from "./journey.ts";
import { StepFailure } from "./journey.ts";
import { assetsStep } from "./assets.ts";
import { assetBundles } from "./page.ts";

interface PortalState {
  assets: string[];
}

/** Redirects a public page may take (e.g. / -> /odoo -> /web/login without the website app). */
const MAX_REDIRECTS = 5;

/**
 * What a customer sees without logging in: the public page (the website's home, or the portal's login page) with
 * its asset bundles, redirects followed on the same server only.
 */
export function portalJourney(path: string): Journey<PortalState> {
  return {
    name: "portal",
    start: () => ({ assets: [] }),
    steps: [
      {
        name: "page",
        async run(session, state) {
          let at = path;
          for (let hop = 0; ; hop++) {
            const page = await session.get(at);
            if (page.status === 200) {
              state.assets = assetBundles(page.body);
              return;
            }
            if (!page.location || page.status < 300 || page.status > 399) throw new StepFailure(`${new URL(at, "http://x").pathname} answered HTTP ${page.status}`);
            if (hop >= MAX_REDIRECTS) throw new StepFailure(`more than ${MAX_REDIRECTS} redirects from ${path}`);
            if (!session.isOwn(page.location)) throw new StepFailure(`${path} redirects to another server (${new URL(page.location).origin})`);
            at = page.location;
          }
        },
      },
      assetsStep(),
    ],
  };
}
