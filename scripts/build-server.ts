/**
 * Compiles the backend into one JavaScript file for production (dist/server.js): no TypeScript compiler at start,
 * no tsx in the image. Packages stay external (node_modules next to it), so native and WebAssembly parts of
 * dependencies (PGlite) load as they ship.
 *   npm run build:server
 */
import { build } from "esbuild";

/** Writes the compiled backend to `outfile`. */
export async function buildServer(outfile = "dist/server.js"): Promise<void> {
  await build({
    entryPoints: ["server/main.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildServer();
  console.log("wrote dist/server.js");
}
