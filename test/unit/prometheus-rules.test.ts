import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { PROMETHEUS_FILES } from "../../scripts/prometheus/files.ts";

/**
 * The Prometheus rules, their promtool tests and the Grafana dashboards are generated from the catalogue and
 * committed: stale files fail here. promtool (Debian's prometheus package) checks the rules, runs their unit tests
 * (the backend's own burn verdicts on the same readings) and checks the compose stack's prometheus.yml.
 */
const promtool = spawnSync("promtool", ["--version"]).status === 0;
if (!promtool) console.log("# promtool checks: NOT RUN (promtool missing: apt-get install prometheus)");

describe("Prometheus rules and Grafana dashboards", () => {
  test("the committed files are what npm run gen:prometheus generates", () => {
    for (const { path, text } of PROMETHEUS_FILES()) {
      assert.ok(existsSync(path), `${path} missing: run npm run gen:prometheus`);
      assert.ok(readFileSync(path, "utf8") === text, `${path} is stale: run npm run gen:prometheus`);
    }
  });

  test("promtool check rules, test rules and check config", { skip: promtool ? false : "promtool missing" }, () => {
    const run = (args: string[], cwd: string) => {
      const r = spawnSync("promtool", args, { cwd, encoding: "utf8" });
      const out = `${r.stdout}${r.stderr}`.trim();
      console.log(`# promtool ${args.join(" ")}: ${out.split("\n").filter((l) => /SUCCESS|FAILED|rules found/.test(l)).join("; ")}`);
      assert.equal(r.status, 0, out);
      return out;
    };
    assert.match(run(["check", "rules", "rules/logistics.rules.yml"], "deploy/prometheus"), /SUCCESS: \d+ rules found/);
    assert.match(run(["test", "rules", "tests/logistics.test.yml"], "deploy/prometheus"), /SUCCESS/);
    // The compose service writes the metrics token at /prometheus/metrics_token when it starts; here, a copy.
    const dir = mkdtempSync(join(tmpdir(), "lo-prometheus-"));
    cpSync("deploy/prometheus/rules", join(dir, "rules"), { recursive: true });
    writeFileSync(join(dir, "metrics_token"), "token");
    writeFileSync(join(dir, "prometheus.yml"), readFileSync("deploy/prometheus/prometheus.yml", "utf8").replaceAll("/prometheus/metrics_token", join(dir, "metrics_token")));
    assert.match(run(["check", "config", "prometheus.yml"], dir), /SUCCESS: 1 rule files found/);
  });

  test("docker-compose.yml runs Prometheus and Grafana on the generated files, secrets from the env file", () => {
    const compose = parse(readFileSync("docker-compose.yml", "utf8")) as { services: Record<string, { volumes?: string[]; environment?: Record<string, string>; command?: unknown; entrypoint?: unknown }> };
    const mounts = (s: string) => (compose.services[s]?.volumes ?? []).filter((v) => v.startsWith("./")).map((v) => v.split(":")[0]!);
    for (const s of ["prometheus", "grafana", "backend", "odoo"]) for (const m of mounts(s)) assert.ok(existsSync(m), `${s} mounts ${m}, which does not exist`);
    assert.deepEqual(mounts("prometheus").sort(), ["./deploy/prometheus/prometheus.yml", "./deploy/prometheus/rules"]);
    assert.ok(mounts("grafana").includes("./deploy/grafana/dashboards"));
    assert.match(JSON.stringify(compose.services.prometheus!.entrypoint), /METRICS_TOKEN/);
    const text = readFileSync("docker-compose.yml", "utf8");
    assert.doesNotMatch(text, /PASSWORD:\s*["']?[A-Za-z0-9]{4,}["']?\s*$/m, "no password written in the compose file");
    const example = readFileSync(".env.example", "utf8");
    for (const v of new Set([...text.matchAll(/\$\{([A-Z_]+):\?/g)].map((m) => m[1]!))) assert.match(example, new RegExp(`^${v}=`, "m"), `${v} is required by the compose file but not in .env.example`);
    assert.match(readFileSync(".gitignore", "utf8"), /^\.env$/m);
    assert.ok(execFileSync("git", ["check-ignore", ".env"], { encoding: "utf8" }).trim() === ".env");
  });
});
