/**
 * Writes the Prometheus rules generated from the SLI catalogue and their promtool unit tests into deploy/prometheus/,
 * and the Grafana dashboards into deploy/grafana/dashboards/ (committed; test/unit/prometheus-rules.test.ts fails
 * when they are stale).
 *   npm run gen:prometheus [-- --check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PROMETHEUS_FILES } from "./prometheus/files.ts";

const { values } = parseArgs({ options: { check: { type: "boolean" } } });
let stale = 0;
for (const { path, text } of PROMETHEUS_FILES()) {
  const current = (() => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  })();
  if (current === text) continue;
  if (values.check) {
    console.error(`${path} is stale: run npm run gen:prometheus`);
    stale++;
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale ? 1 : 0);
