/**
 * Bundles the OWL components of web_components/ for the Odoo addon with esbuild. Odoo's own modules (@odoo/owl,
 * @web/...) stay external: Odoo's asset pipeline resolves them, because the bundle is an "@odoo-module".
 *   npm run build            writes the bundle into the addon's static folder, and the status page's script
 *                            (scripts/build-status-page.ts)
 *   npm run build -- --check fails when the committed bundle is not what the sources build to
 */
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { STATUS_SCRIPT_MODULE, statusScriptModule } from "./build-status-page.ts";

export const BUNDLE = "odoo_addon/logistics_observability/static/src/dashboard/dashboard.js";

/** The bundle's text, built in memory. */
export async function bundleText(): Promise<string> {
  const result = await build({
    entryPoints: ["web_components/main.ts"],
    bundle: true,
    format: "esm",
    target: "es2022",
    // Odoo minifies bundles with rjsmin, which does not know template literals and eats spaces inside them
    // ("100 % left" became "100%left"): they are lowered to plain string concatenation.
    supported: { "template-literal": false },
    external: ["@odoo/owl", "@web/*"],
    write: false,
    legalComments: "none",
    banner: { js: "/** @odoo-module **/\n// Built by `npm run build` from web_components/: do not edit, edit the sources." },
  });
  return result.outputFiles[0]!.text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await bundleText();
  if (process.argv.includes("--check")) {
    const committed = readFileSync(BUNDLE, "utf8");
    if (committed !== text) {
      console.error(`${BUNDLE} is stale: run npm run build`);
      process.exit(1);
    }
    console.log(`${BUNDLE} is fresh`);
  } else {
    writeFileSync(BUNDLE, text);
    console.log(`wrote ${BUNDLE} (${text.length} bytes)`);
    const status = await statusScriptModule();
    writeFileSync(STATUS_SCRIPT_MODULE, status);
    console.log(`wrote ${STATUS_SCRIPT_MODULE} (${status.length} bytes)`);
  }
}
