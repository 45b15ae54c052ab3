/**
 * Runs N demo Odoo simulators in this process and prints their addresses as one JSON line, so that the sampler
 * benchmark measures the sampler alone (the simulators' CPU and memory stay in this child process).
 *   tsx scripts/bench/demo-fleet.ts 50 [--without-addon]
 */
import { startDemoOdoo } from "../../server/demo/server.ts";

const n = Number(process.argv[2] ?? 1);
const addon = !process.argv.includes("--without-addon");
const fleet = await Promise.all(Array.from({ length: n }, (_, i) => startDemoOdoo({ seed: 1000 + i, labelEvents: addon })));
console.log(JSON.stringify(fleet.map(({ url, db, user, password }) => ({ url, db, user, password }))));
process.on("SIGTERM", async () => {
  await Promise.all(fleet.map((f) => f.close()));
  process.exit(0);
});
