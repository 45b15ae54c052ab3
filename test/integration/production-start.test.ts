import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { buildServer } from "../../scripts/build-server.ts";
import { freePort } from "../support/ports.ts";
import { until } from "../support/until.ts";

/**
 * The image's start: the backend compiled to JavaScript (npm run build:server), run by plain node without tsx, on
 * the embedded store. Alive before the store is open, then ready.
 */
describe("production start from compiled JavaScript", () => {
  let child: ChildProcess | undefined;
  after(() => child?.kill("SIGKILL"));

  test("node dist/server.js: /healthz before /readyz, the demo sampled", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lo-prod-"));
    const outfile = join(process.cwd(), "node_modules", ".cache", `lo-server-${process.pid}`, "server.js");
    await buildServer(outfile);
    const port = await freePort();
    const t0 = Date.now();
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ODOO_")));
    child = spawn(process.execPath, [outfile], { env: { ...clean, PORT: String(port), DATA_DIR: dir, API_TOKEN: "", NODE_OPTIONS: "" }, stdio: "ignore" });
    let alive = 0;
    await until(20_000, async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) && (alive = Date.now()) > 0, "/healthz");
    await until(60_000, async () => (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)), "/readyz");
    const ready = Date.now();
    console.log(`# compiled backend: /healthz ${alive - t0} ms after start, /readyz ${ready - t0} ms`);
    assert.ok(alive <= ready);
  });
});
