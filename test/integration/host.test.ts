import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { HOST_MISSING, HostCollector, type HostSource } from "../../server/collectors/host.ts";
import type { Reading } from "../../server/sli/sample.ts";

const ctx = () => ({ now: new Date(), signal: new AbortController().signal });
const find = (readings: Reading[], sli: string, labels: Record<string, string> = {}) =>
  readings.find((r) => r.sli === sli && Object.entries(labels).every(([k, v]) => r.labels?.[k] === v));
const valueOf = (readings: Reading[], sli: string, labels?: Record<string, string>) => {
  const r = find(readings, sli, labels);
  assert.ok(r, `no ${sli} ${JSON.stringify(labels ?? {})}`);
  assert.equal(r.missing, undefined, `${sli} ${JSON.stringify(labels ?? {})} is missing: ${r.missing}`);
  return r.value as number;
};
const fixtureDir = (name: string) => new URL(`../fixtures/host/${name}`, import.meta.url).pathname;

/** Copies a fixture to a temp dir, so that a test can advance its counters between two cycles. */
function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lo-host-${name}-`));
  cpSync(fixtureDir(name), dir, { recursive: true });
  return dir;
}
const bump = (file: string, pattern: RegExp, by: number) =>
  writeFileSync(file, readFileSync(file, "utf8").replace(pattern, (_, head: string, n: string) => `${head}${Number(n) + by}`));

describe("host collector on this machine (/proc, /sys/fs/cgroup)", () => {
  const config: HostSource = { procPath: "/proc", cgroupPath: "/sys/fs/cgroup", mounts: ["/"] };
  let first: Reading[];
  let second: Reading[];
  before(async () => {
    const collector = new HostCollector(config);
    first = await collector.collect(ctx());
    await sleep(500);
    second = await collector.collect(ctx());
  });

  test("the first cycle has no rates, and says why", () => {
    assert.equal(find(first, "host_cpu_used_ratio")?.missing, HOST_MISSING.firstSample);
    const busy = first.filter((r) => r.sli === "host_disk_io_busy_ratio");
    assert.ok(busy.length > 0 && busy.every((r) => r.missing === HOST_MISSING.firstSample));
  });

  test("the second cycle: CPU, memory, disk space, disk busy and pressure are ratios in [0, 1]", (t) => {
    const ratios = second.filter((r) => r.sli !== "host_load1_per_cpu" && r.sli !== "host_disk_free_bytes" && r.missing === undefined);
    assert.ok(valueOf(second, "host_disk_free_bytes", { mount: "/" }) > 0, "bytes available on /");
    for (const r of ratios) assert.ok(r.value! >= 0 && r.value! <= 1, `${r.sli} ${JSON.stringify(r.labels)} = ${r.value}`);
    for (const sli of ["host_cpu_used_ratio", "host_memory_used_ratio"]) valueOf(second, sli);
    assert.ok(second.some((r) => r.sli === "host_disk_io_busy_ratio" && r.value !== undefined), "no disk busy ratio");
    for (const resource of ["cpu", "memory", "io"]) {
      const r = find(second, "host_pressure_ratio", { resource });
      assert.ok(r?.value !== undefined || r?.missing === HOST_MISSING.noPsi || r?.missing === HOST_MISSING.psiDisabled, `${resource}: ${r?.missing}`);
    }
    const load = valueOf(second, "host_load1_per_cpu");
    assert.ok(Number.isFinite(load) && load >= 0);
    t.diagnostic(second.map((r) => `${r.sli}${r.labels ? JSON.stringify(r.labels) : ""} = ${r.value?.toFixed(4) ?? `missing: ${r.missing}`}`).join("; "));
  });

  test("disk used ratio of / matches df (used over used + available) within 1%", () => {
    const [, line] = execFileSync("df", ["-P", "-B1", "/"], { encoding: "utf8" }).trim().split("\n");
    const [, , used, available] = (line ?? "").trim().split(/\s+/).map(Number);
    const df = used! / (used! + available!);
    assert.ok(Math.abs(valueOf(second, "host_disk_used_ratio", { mount: "/" }) - df) < 0.01, `df says ${df}`);
  });

  test("memory used ratio agrees with /proc/meminfo read now within 2%", () => {
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(readFileSync("/proc/meminfo", "utf8"))?.[1]);
    const limited = !/^max$|^$/.test(readOptional("/sys/fs/cgroup/memory.max").trim());
    if (limited) return; // inside a limited container the ratio is of the limit; the container fixtures cover it
    assert.ok(Math.abs(valueOf(second, "host_memory_used_ratio") - (1 - kib("MemAvailable") / kib("MemTotal"))) < 0.02);
  });
});

function readOptional(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

describe("host collector in a container with cgroup v2 limits (fixture)", () => {
  test("CPU of the quota, memory of the limit, the cgroup's own pressure; load per host CPU", async () => {
    const dir = copyFixture("container");
    let clock = 0;
    const collector = new HostCollector({ procPath: join(dir, "proc"), cgroupPath: join(dir, "cgroup"), mounts: ["/"] }, { clock: () => clock });
    const first = await collector.collect(ctx());
    assert.equal(find(first, "host_cpu_used_ratio")?.missing, HOST_MISSING.firstSample);
    assert.equal(valueOf(first, "host_memory_used_ratio"), 0.5); // (384 MiB - 128 MiB inactive_file) / 512 MiB
    assert.equal(valueOf(first, "host_pressure_ratio", { resource: "cpu" }), 0.4); // cgroup's 40.00, not /proc's 12.50
    assert.equal(valueOf(first, "host_pressure_ratio", { resource: "io" }), 0); // cgroup's 0.00, not /proc's 3.25
    assert.equal(valueOf(first, "host_load1_per_cpu"), 0.5); // load 2.00 over the host's 4 CPUs
    // One second later the container used 250 ms of CPU (half its quota of half a CPU) and sda was busy 400 ms.
    bump(join(dir, "cgroup", "cpu.stat"), /^(usage_usec )(\d+)/m, 250_000);
    bump(join(dir, "proc", "diskstats"), /^(\s*8\s+0 sda(?: \d+){9} )(\d+)/m, 400);
    clock += 1000;
    const second = await collector.collect(ctx());
    assert.equal(valueOf(second, "host_cpu_used_ratio"), 0.5);
    assert.equal(valueOf(second, "host_disk_io_busy_ratio", { device: "sda" }), 0.4);
    assert.equal(valueOf(second, "host_disk_io_busy_ratio", { device: "nvme0n1" }), 0);
    rmSync(dir, { recursive: true });
  });

  test("without limits (a bare host's cgroup root), CPU and memory are of the host", async () => {
    const dir = copyFixture("bare");
    let clock = 0;
    const collector = new HostCollector({ procPath: join(dir, "proc"), cgroupPath: join(dir, "cgroup"), mounts: ["/"] }, { clock: () => clock });
    const first = await collector.collect(ctx());
    assert.equal(valueOf(first, "host_memory_used_ratio"), 0.75); // 1 - 4 GB available / 16 GB
    assert.equal(valueOf(first, "host_pressure_ratio", { resource: "cpu" }), 0.125);
    bump(join(dir, "proc", "stat"), /^(cpu {2}\d+ \d+ \d+ )(\d+)/m, 300); // 300 idle ticks
    bump(join(dir, "proc", "stat"), /^(cpu {2})(\d+)/m, 100); // 100 user ticks
    clock += 1000;
    assert.equal(valueOf(await collector.collect(ctx()), "host_cpu_used_ratio"), 0.25);
    rmSync(dir, { recursive: true });
  });

  test("a kernel without PSI: pressure is missing with the reason, the rest is measured", async () => {
    const dir = copyFixture("bare");
    rmSync(join(dir, "proc", "pressure"), { recursive: true });
    const readings = await new HostCollector({ procPath: join(dir, "proc"), cgroupPath: join(dir, "cgroup"), mounts: ["/", "/no/such/mount"] }).collect(ctx());
    for (const resource of ["cpu", "memory", "io"]) assert.equal(find(readings, "host_pressure_ratio", { resource })?.missing, HOST_MISSING.noPsi);
    assert.match(find(readings, "host_disk_used_ratio", { mount: "/no/such/mount" })?.missing ?? "", /ENOENT/);
    valueOf(readings, "host_memory_used_ratio");
    valueOf(readings, "host_disk_used_ratio", { mount: "/" });
    rmSync(dir, { recursive: true });
  });
});

describe("container restarts from the Docker engine", () => {
  const base = { procPath: fixtureDir("bare/proc"), cgroupPath: fixtureDir("bare/cgroup"), mounts: [] };
  const restarts = (readings: Reading[]) => readings.filter((r) => r.sli === "host_container_restarts");

  test("not configured: no restart reading at all", async () => {
    const collector = new HostCollector(base);
    assert.ok(!collector.slis.includes("host_container_restarts"));
    assert.deepEqual(restarts(await collector.collect(ctx())), []);
  });

  test("no engine on this machine: missing, naming the socket and the cause", async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), "lo-docker-")), "docker.sock");
    const [r, ...rest] = restarts(await new HostCollector({ ...base, docker: { socketPath } }).collect(ctx()));
    assert.equal(rest.length, 0);
    assert.equal(r?.value, undefined);
    assert.match(r?.missing ?? "", new RegExp(`Docker engine at ${socketPath}: no socket there \\(ENOENT\\)`));
  });

  describe("an engine answering recorded JSON on a unix socket", () => {
    const fixtures = new URL("../fixtures/docker/", import.meta.url).pathname;
    const inspect = new Map<string, string>();
    const requests: string[] = [];
    let server: Server;
    let socketPath: string;
    before(async () => {
      for (const file of readdirSync(fixtures).filter((f) => f.startsWith("inspect-"))) {
        const text = readFileSync(join(fixtures, file), "utf8");
        inspect.set((JSON.parse(text) as { Id: string }).Id, text);
      }
      socketPath = join(mkdtempSync(join(tmpdir(), "lo-docker-")), "docker.sock");
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        const id = /^\/containers\/([0-9a-f]+)\/json$/.exec(req.url ?? "")?.[1];
        const body = req.url === "/containers/json?all=1" ? readFileSync(join(fixtures, "containers.json"), "utf8") : id && inspect.get(id);
        res.writeHead(body ? 200 : 404, { "content-type": "application/json" }).end(body || JSON.stringify({ message: "No such container" }));
      });
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test("restarts per Compose service, replicas summed, with GET requests only", async () => {
      const readings = restarts(await new HostCollector({ ...base, docker: { socketPath } }).collect(ctx()));
      assert.deepEqual(
        readings.map((r) => [r.labels?.service, r.value]),
        [
          ["odoo", 3],
          ["db", 0],
          ["watchtower", 5],
        ],
      );
      assert.ok(requests.every((r) => r.startsWith("GET ")));
      assert.ok(!requests.some((r) => r.includes("0f1e2d3c4b5a")), "the one-off container was inspected");
    });

    test("a container that vanished between list and inspect: its service is missing, the others are measured", async () => {
      const watchtower = [...inspect.keys()].find((id) => id.startsWith("5d6c7b8a"))!;
      const saved = inspect.get(watchtower)!;
      inspect.delete(watchtower);
      const readings = restarts(await new HostCollector({ ...base, docker: { socketPath } }).collect(ctx()));
      inspect.set(watchtower, saved);
      assert.match(find(readings, "host_container_restarts", { service: "watchtower" })?.missing ?? "", /container 5d6c7b8a9f0e: HTTP 404/);
      assert.equal(valueOf(readings, "host_container_restarts", { service: "odoo" }), 3);
    });
  });
});
