/**
 * Bundles the status page's script (server/status/client.ts and what it imports: the renderer, the formatter) with
 * esbuild into a TypeScript module holding it as a string, so that the backend inlines it whether it runs from the
 * sources (tsx) or compiled (dist/server.js), without esbuild at run time.
 *   npm run build            writes it (with the addon's dashboard bundle)
 *   tsx scripts/build-status-page.ts --check   fails when the committed module is not what the sources build to
 */
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

export const STATUS_SCRIPT_MODULE = "server/status/client-bundle.ts";

/** The module's text, built in memory. */
export async function statusScriptModule(): Promise<string> {
  const result = await build({
    entryPoints: ["server/status/client.ts"],
    bundle: true,
    format: "iife",
    target: "es2020",
    minify: true,
    write: false,
    legalComments: "none",
  });
  const script = result.outputFiles[0]!.text.trimEnd();
  return [
    "// Built by `npm run build` from server/status/client.ts: do not edit, edit the sources.",
    "/** The status page's script, inlined into the page (its CSP allows it by hash). */",
    `export const STATUS_PAGE_SCRIPT = ${JSON.stringify(script)};`,
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await statusScriptModule();
  if (process.argv.includes("--check")) {
    if (readFileSync(STATUS_SCRIPT_MODULE, "utf8") !== text) {
      console.error(`${STATUS_SCRIPT_MODULE} is stale: run npm run build`);
      process.exit(1);
    }
    console.log(`${STATUS_SCRIPT_MODULE} is fresh`);
  } else {
    writeFileSync(STATUS_SCRIPT_MODULE, text);
    console.log(`wrote ${STATUS_SCRIPT_MODULE} (${text.length} bytes)`);
  }
}
