import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import * as proc from "../../server/collectors/host-proc.ts";

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8");
const json = (path: string): unknown => JSON.parse(fixture(path));
const close = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

describe("/proc parsers on a bare host", () => {
  test("/proc/stat: used = total minus idle and iowait, and one CPU per cpuN line", () => {
    const stat = proc.parseProcStat(fixture("host/bare/proc/stat"));
    assert.deepEqual(stat, { cpu: { busy: 15_600, total: 96_600 }, cpuCount: 4 });
  });

  const cpuCases: Array<[string, proc.CpuTicks, proc.CpuTicks, number | undefined]> = [
    ["a quarter of the interval busy", { busy: 100, total: 1000 }, { busy: 350, total: 2000 }, 0.25],
    ["all idle", { busy: 100, total: 1000 }, { busy: 100, total: 1400 }, 0],
    ["no time elapsed", { busy: 100, total: 1000 }, { busy: 100, total: 1000 }, undefined],
  ];
  for (const [name, before, after, expected] of cpuCases) {
    test(`CPU used ratio: ${name}`, () => assert.equal(proc.cpuUsedRatio(before, after), expected));
  }

  test("/proc/loadavg: the 1-minute load", () => assert.equal(proc.parseLoadavg(fixture("host/bare/proc/loadavg")), 2));
  test("/proc/meminfo: MemTotal and MemAvailable in bytes", () => {
    assert.deepEqual(proc.parseMeminfo(fixture("host/bare/proc/meminfo")), { totalBytes: 16_384_000 * 1024, availableBytes: 4_096_000 * 1024 });
  });

  test("/proc/diskstats: whole disks and volumes, without partitions, loop, zram and optical drives", () => {
    assert.deepEqual(proc.parseDiskstats(fixture("host/bare/proc/diskstats")), [
      { device: "sda", ioTicksMs: 73_400 },
      { device: "nvme0n1", ioTicksMs: 98_110 },
      { device: "dm-0", ioTicksMs: 171_000 },
    ]);
  });

  const busyCases: Array<[string, number, number, number, number | undefined]> = [
    ["half of 10 s busy", 1_000, 6_000, 10_000, 0.5],
    ["idle", 1_000, 1_000, 10_000, 0],
    ["more busy time than wall time is capped at 1", 1_000, 11_050, 10_000, 1],
    ["counter wrapped", 4_294_967_000, 200, 10_000, undefined],
  ];
  for (const [name, before, after, elapsed, expected] of busyCases) {
    test(`disk busy ratio: ${name}`, () => assert.equal(proc.diskBusyRatio(before, after, elapsed), expected));
  }

  const psiCases: Array<[string, string, number]> = [
    ["/proc/pressure/cpu", "host/bare/proc/pressure/cpu", 0.125],
    ["/proc/pressure/memory", "host/bare/proc/pressure/memory", 0],
    ["/proc/pressure/io", "host/bare/proc/pressure/io", 0.0325],
    ["a container's cpu.pressure", "host/container/cgroup/cpu.pressure", 0.4],
  ];
  for (const [name, file, expected] of psiCases) {
    test(`PSI some avg10 as a ratio: ${name}`, () => close(proc.parsePressureSomeAvg10(fixture(file)), expected));
  }
});

describe("cgroup v2 parsers", () => {
  const cpuMaxCases: Array<[string, number | undefined]> = [
    ["50000 100000\n", 0.5],
    ["200000 100000", 2],
    ["max 100000\n", undefined],
  ];
  for (const [text, expected] of cpuMaxCases) {
    test(`cpu.max ${JSON.stringify(text.trim())} is ${expected ?? "no quota"}`, () => assert.equal(proc.parseCpuMax(text), expected));
  }
  test("the container fixture's cpu.max is half a CPU", () => assert.equal(proc.parseCpuMax(fixture("host/container/cgroup/cpu.max")), 0.5));

  test("cpu.stat usage_usec", () => assert.equal(proc.parseCpuStatUsageUsec(fixture("host/container/cgroup/cpu.stat")), 123_456_789));
  test("container CPU: 250 ms of CPU in 1 s against a quota of half a CPU is half the quota", () => {
    assert.equal(proc.cgroupCpuUsedRatio(1_000_000, 1_250_000, 1_000, 0.5), 0.5);
  });
  test("container CPU: usage that went back (cgroup recreated) is no ratio", () => {
    assert.equal(proc.cgroupCpuUsedRatio(1_250_000, 1_000, 1_000, 0.5), undefined);
  });

  const memoryMaxCases: Array<[string, number | undefined]> = [
    ["536870912\n", 536_870_912],
    ["max\n", undefined],
  ];
  for (const [text, expected] of memoryMaxCases) {
    test(`memory.max ${JSON.stringify(text.trim())} is ${expected ?? "no limit"}`, () => assert.equal(proc.parseMemoryMax(text), expected));
  }
  test("memory.current", () => assert.equal(proc.parseMemoryCurrent(fixture("host/container/cgroup/memory.current")), 402_653_184));
  test("container memory: current minus inactive page cache, over the limit", () => {
    // (384 MiB - 128 MiB inactive_file) / 512 MiB
    const ratio = proc.cgroupMemoryUsedRatio(402_653_184, 536_870_912, fixture("host/container/cgroup/memory.stat"));
    assert.equal(ratio, 0.5);
  });

  const ownCgroupCases: Array<[string, string, string | undefined]> = [
    ["own cgroup namespace", "0::/\n", "/"],
    ["host cgroup namespace", "0::/system.slice/docker-3f4e8b1c.scope\n", "/system.slice/docker-3f4e8b1c.scope"],
    ["hybrid v1 and v2", "4:memory:/process_api/x\n1:cpu:/\n0::/user.slice\n", "/user.slice"],
    ["cgroup v1 only", "4:memory:/docker/3f4e8b1c\n1:cpu:/docker/3f4e8b1c\n", undefined],
  ];
  for (const [name, text, expected] of ownCgroupCases) {
    test(`/proc/self/cgroup, ${name}`, () => assert.equal(proc.parseCgroupV2Path(text), expected));
  }
});

describe("malformed input is an error that names the file", () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["/proc/stat without cpu line", () => proc.parseProcStat("intr 1 2 3\n"), /\/proc\/stat has no aggregate cpu line/],
    ["empty /proc/loadavg", () => proc.parseLoadavg(""), /\/proc\/loadavg is malformed/],
    ["/proc/meminfo of a kernel before 3.14", () => proc.parseMeminfo("MemTotal: 1024 kB\nMemFree: 512 kB\n"), /no MemAvailable/],
    ["PSI file without some line", () => proc.parsePressureSomeAvg10("full avg10=1.00\n"), /no "some avg10=" line/],
    ["cpu.max with words", () => proc.parseCpuMax("lots 100000"), /cpu.max is malformed/],
    ["cpu.stat without usage", () => proc.parseCpuStatUsageUsec("nr_periods 3\n"), /cpu.stat has no usage_usec/],
    ["memory.max of 0", () => proc.parseMemoryMax("0\n"), /memory.max is 0/],
    ["memory.current not a number", () => proc.parseMemoryCurrent("12k"), /memory.current is malformed/],
  ];
  for (const [name, run, message] of cases) test(name, () => assert.throws(run, message));
});

describe("Docker engine answers", () => {
  test("containers: the Compose service label, else the name; one-off `compose run` containers left out", () => {
    const containers = proc.parseDockerContainers(json("docker/containers.json"));
    assert.deepEqual(
      containers.map((c) => [c.id.slice(0, 12), c.service]),
      [
        ["3f4e8b1c2a9d", "odoo"],
        ["a1b2c3d4e5f6", "odoo"],
        ["9c8b7a6f5e4d", "db"],
        ["5d6c7b8a9f0e", "watchtower"],
      ],
    );
  });
  test("inspect: RestartCount", () => {
    assert.equal(proc.parseDockerRestartCount(json("docker/inspect-odoo-odoo-1.json")), 2);
    assert.equal(proc.parseDockerRestartCount(json("docker/inspect-odoo-db-1.json")), 0);
  });
  test("answers of another shape are errors", () => {
    assert.throws(() => proc.parseDockerContainers({ message: "page not found" }), /expected a JSON array/);
    assert.throws(() => proc.parseDockerRestartCount({ message: "No such container" }), /no RestartCount/);
  });
});
