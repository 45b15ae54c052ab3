import { readFile, statfs } from "node:fs/promises";
import { request } from "node:http";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Sources } from "../config/load.ts";
import { reading, type Reading } from "../sli/sample.ts";
import type { CollectContext, Collector } from "./collector.ts";
import * as proc from "./host-proc.ts";

/** `sources.host` of the config: where /proc and the cgroup v2 tree are, the mounts to watch, and the Docker socket. */
export type HostSource = NonNullable<Sources["host"]>;

/** What tests (and a collector reading a host mounted elsewhere) can change. */
export interface HostCollectorOptions {
  /** Monotonic milliseconds; counter deltas are divided by its differences. Default: performance.now. */
  clock?: () => number;
  /** Prefixed to procPath, cgroupPath and the mounts, e.g. "/host" when the host's / is mounted there. */
  root?: string;
  /** CPU count when /proc/stat lists no cpuN line. Default: os.availableParallelism. */
  cpuCount?: () => number;
}

/** Why a host reading is missing, for the cases that are no error. */
export const HOST_MISSING = {
  firstSample: "rate needs two samples",
  counterWentBack: "counter went back since the last sample (cgroup recreated or counter wrapped)",
  noPsi: "the kernel has no PSI (needs Linux 4.20+ with CONFIG_PSI; boot with psi=1 where it is off by default)",
  psiDisabled: "PSI is disabled in this kernel (boot with psi=1)",
  noBlocks: "the file system reports no blocks",
  noContainers: "the Docker engine has no container",
} as const;

const DOCKER_TIMEOUT_MS = 2_000;
const DOCKER_MAX_BODY = 16 * 1024 * 1024;
const PRESSURE_RESOURCES = ["cpu", "memory", "io"] as const;

/** Counters kept from one cycle to the next, for the rates. */
interface Counters {
  atMs: number;
  hostCpu?: proc.CpuTicks;
  cgroupCpuUsec?: number;
  disks?: Map<string, number>;
}

/**
 * Host and container signals: CPU, load, memory, disk space and busy time, pressure stall, and container restarts.
 * Inside a container with cgroup v2 limits, CPU and memory are ratios of the container's quota and limit, since
 * that is what runs out first; without limits they are of the host. Each signal fails alone, as a missing reading.
 */
export class HostCollector implements Collector {
  readonly tenant = "global";
  readonly source = "host";
  readonly slis: readonly string[];
  readonly #proc: string;
  readonly #cgroup: string;
  readonly #root: string;
  readonly #clock: () => number;
  readonly #cpuCount: () => number;
  #previous: Counters | undefined;

  constructor(
    private readonly config: HostSource,
    options: HostCollectorOptions = {},
  ) {
    this.#root = options.root ?? "/";
    this.#proc = join(this.#root, config.procPath);
    this.#cgroup = join(this.#root, config.cgroupPath);
    this.#clock = options.clock ?? (() => performance.now());
    this.#cpuCount = options.cpuCount ?? availableParallelism;
    const slis = ["host_cpu_used_ratio", "host_load1_per_cpu", "host_memory_used_ratio", "host_disk_used_ratio", "host_disk_free_bytes", "host_disk_io_busy_ratio", "host_pressure_ratio"];
    this.slis = config.docker ? [...slis, "host_container_restarts"] : slis;
  }

  async collect({ signal }: CollectContext): Promise<Reading[]> {
    // Unreadable /proc/self/cgroup: the configured path is still the best guess, so nothing fails for it.
    const cgroup = await this.ownCgroup().catch(() => this.#cgroup);
    const next: Counters = { atMs: this.#clock() };
    const procStat = readText(join(this.#proc, "stat")).then(proc.parseProcStat);
    procStat.catch(() => undefined); // awaited below by each user; this keeps an early failure from going unhandled
    const readings = await Promise.all([
      measure("host_cpu_used_ratio", () => this.cpu(cgroup, procStat, next)),
      measure("host_load1_per_cpu", () => this.loadPerCpu(procStat)),
      measure("host_memory_used_ratio", () => this.memory(cgroup)),
      ...this.config.mounts.map((mount) => measure("host_disk_used_ratio", () => this.diskUsed(mount), { mount })),
      ...this.config.mounts.map((mount) => measure("host_disk_free_bytes", () => this.diskFree(mount), { mount })),
      this.diskBusy(next),
      ...PRESSURE_RESOURCES.map((resource) => measure("host_pressure_ratio", () => this.pressure(cgroup, resource), { resource })),
      this.restarts(signal),
    ]);
    this.#previous = next;
    return readings.flat();
  }

  /** The process's own cgroup v2 directory: the tree's root in a container with its own cgroup namespace. */
  private async ownCgroup(): Promise<string> {
    const own = proc.parseCgroupV2Path((await readOptional(join(this.#proc, "self", "cgroup"))) ?? "");
    if (own && own !== "/") {
      const dir = join(this.#cgroup, own);
      if ((await readOptional(join(dir, "cgroup.controllers"))) !== undefined) return dir;
    }
    return this.#cgroup;
  }

  private async cpu(cgroup: string, procStat: Promise<proc.ProcStat>, next: Counters): Promise<number | string> {
    const cpuMax = await readOptional(join(cgroup, "cpu.max"));
    const quotaCores = cpuMax === undefined ? undefined : proc.parseCpuMax(cpuMax);
    const previous = this.#previous;
    if (quotaCores !== undefined) {
      const usec = proc.parseCpuStatUsageUsec(await readText(join(cgroup, "cpu.stat")));
      next.cgroupCpuUsec = usec;
      if (previous?.cgroupCpuUsec === undefined) return HOST_MISSING.firstSample;
      return proc.cgroupCpuUsedRatio(previous.cgroupCpuUsec, usec, next.atMs - previous.atMs, quotaCores) ?? HOST_MISSING.counterWentBack;
    }
    const { cpu } = await procStat;
    next.hostCpu = cpu;
    if (previous?.hostCpu === undefined) return HOST_MISSING.firstSample;
    return proc.cpuUsedRatio(previous.hostCpu, cpu) ?? "no CPU time elapsed between the samples";
  }

  /** Load is counted over the whole host, even from a container, so it is divided by the host's CPUs. */
  private async loadPerCpu(procStat: Promise<proc.ProcStat>): Promise<number> {
    const load1 = proc.parseLoadavg(await readText(join(this.#proc, "loadavg")));
    const cpus = (await procStat).cpuCount || this.#cpuCount();
    return load1 / cpus;
  }

  private async memory(cgroup: string): Promise<number> {
    const memoryMax = await readOptional(join(cgroup, "memory.max"));
    const limit = memoryMax === undefined ? undefined : proc.parseMemoryMax(memoryMax);
    if (limit !== undefined) {
      const current = proc.parseMemoryCurrent(await readText(join(cgroup, "memory.current")));
      return proc.cgroupMemoryUsedRatio(current, limit, await readOptional(join(cgroup, "memory.stat")));
    }
    const { totalBytes, availableBytes } = proc.parseMeminfo(await readText(join(this.#proc, "meminfo")));
    return 1 - availableBytes / totalBytes;
  }

  /**
   * Used over used plus available, as `df` shows it: blocks reserved for root are not available to Odoo or
   * PostgreSQL, so the disk is full for them when `available` reaches 0.
   */
  private async diskUsed(mount: string): Promise<number | string> {
    const fs = await statfs(join(this.#root, mount));
    const used = fs.blocks - fs.bfree;
    return used + fs.bavail > 0 ? used / (used + fs.bavail) : HOST_MISSING.noBlocks;
  }

  /** Bytes Odoo and PostgreSQL can still write (available to non-root): what a storage forecast counts down. */
  private async diskFree(mount: string): Promise<number> {
    const fs = await statfs(join(this.#root, mount));
    return fs.bavail * fs.bsize;
  }

  private async diskBusy(next: Counters): Promise<Reading[]> {
    let disks: proc.DiskTicks[];
    try {
      disks = proc.parseDiskstats(await readText(join(this.#proc, "diskstats")));
    } catch (err) {
      return [reading("host_disk_io_busy_ratio", undefined, failure(err))];
    }
    next.disks = new Map(disks.map((d) => [d.device, d.ioTicksMs]));
    const previous = this.#previous;
    if (disks.length === 0) return [reading("host_disk_io_busy_ratio", undefined, "no block device in /proc/diskstats")];
    return disks.map(({ device, ioTicksMs }) => {
      const before = previous?.disks?.get(device);
      const ratio = before === undefined ? undefined : proc.diskBusyRatio(before, ioTicksMs, next.atMs - (previous?.atMs ?? 0));
      return reading("host_disk_io_busy_ratio", ratio, before === undefined ? HOST_MISSING.firstSample : HOST_MISSING.counterWentBack, { device });
    });
  }

  /** The cgroup's own pressure when it has one (it is the container's), else the whole system's. */
  private async pressure(cgroup: string, resource: string): Promise<number | string> {
    let absent = "";
    for (const file of [join(cgroup, `${resource}.pressure`), join(this.#proc, "pressure", resource)]) {
      try {
        return proc.parsePressureSomeAvg10(await readFile(file, "utf8"));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EOPNOTSUPP") absent = HOST_MISSING.psiDisabled;
        else if (code !== "ENOENT") throw err;
      }
    }
    return absent || HOST_MISSING.noPsi;
  }

  /** Restart counts per service, summed over its containers (replicas), from the Docker engine's read-only API. */
  private async restarts(signal: AbortSignal): Promise<Reading[]> {
    const socketPath = this.config.docker?.socketPath;
    if (!socketPath) return [];
    const sli = "host_container_restarts";
    let containers: proc.DockerContainer[];
    try {
      containers = proc.parseDockerContainers(await dockerGet(socketPath, "/containers/json?all=1", signal));
    } catch (err) {
      return [reading(sli, undefined, `Docker engine at ${socketPath}: ${dockerFailure(err)}`)];
    }
    if (containers.length === 0) return [reading(sli, undefined, HOST_MISSING.noContainers)];
    const counts = await Promise.all(
      containers.map(async ({ id, service }) => {
        try {
          return { service, restarts: proc.parseDockerRestartCount(await dockerGet(socketPath, `/containers/${id}/json`, signal)) };
        } catch (err) {
          return { service, error: `container ${id.slice(0, 12)}: ${dockerFailure(err)}` };
        }
      }),
    );
    const byService = new Map<string, { restarts: number; error?: string }>();
    for (const c of counts) {
      const total = byService.get(c.service) ?? { restarts: 0 };
      byService.set(c.service, { restarts: total.restarts + (c.restarts ?? 0), error: total.error ?? c.error });
    }
    return [...byService].map(([service, t]) => reading(sli, t.error ? undefined : t.restarts, t.error ?? "", { service }));
  }
}

/** Runs one measurement: a number is the value, a string the reason it is missing, a throw a missing reading. */
async function measure(sli: string, run: () => Promise<number | string>, labels?: Record<string, string>): Promise<Reading> {
  try {
    const result = await run();
    return typeof result === "number" ? reading(sli, result, "", labels) : reading(sli, undefined, result, labels);
  } catch (err) {
    return reading(sli, undefined, failure(err), labels);
  }
}

function failure(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code && e.path ? `cannot read ${e.path} (${e.code})` : e.message;
}

const readText = (file: string) => readFile(file, "utf8");

/** The file's text, or undefined when it does not exist (a cgroup without that controller, a kernel without it). */
async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** GET over the engine's unix socket; only GETs are ever sent, so the collector cannot change a container. */
function dockerGet(socketPath: string, path: string, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: "GET", headers: { host: "docker" }, timeout: DOCKER_TIMEOUT_MS, signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > DOCKER_MAX_BODY) req.destroy(new Error(`answer larger than ${DOCKER_MAX_BODY} bytes`));
        else chunks.push(chunk);
      });
      res.on("error", reject);
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode} for GET ${path.split("?")[0]}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new Error(`GET ${path.split("?")[0]} did not answer JSON`));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${DOCKER_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end();
  });
}

function dockerFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.name === "AbortError") return "aborted: the run's deadline passed";
  if (e.code === "ENOENT") return "no socket there (ENOENT): no Docker engine runs here, or the socket is not mounted";
  if (e.code === "EACCES") return "permission denied (EACCES): the collector's user needs read access to the socket";
  if (e.code === "ECONNREFUSED") return "nothing listens on the socket (ECONNREFUSED)";
  return e.message;
}
