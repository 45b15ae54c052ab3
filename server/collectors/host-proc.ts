/**
 * Pure readers of the kernel's text files (/proc and cgroup v2) and of the Docker engine's JSON, for the host
 * collector. No I/O here: each function takes the text (or parsed JSON) and throws, naming what is wrong, when
 * the input is not what the kernel or the engine writes. The collector turns a throw into a missing reading.
 */

/** CPU time from the `cpu` line of /proc/stat, in clock ticks since boot. */
export interface CpuTicks {
  busy: number;
  total: number;
}

/** What /proc/stat tells about the CPUs: aggregate time and the number of online CPUs (its `cpuN` lines). */
export interface ProcStat {
  cpu: CpuTicks;
  cpuCount: number;
}

/** Reads /proc/stat. */
export function parseProcStat(text: string): ProcStat {
  const line = text.split("\n").find((l) => /^cpu\s/.test(l));
  if (!line) throw new Error("/proc/stat has no aggregate cpu line");
  // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already inside user and nice,
  // so only the first eight add up to the total. Steal counts as used: that time was not available to us.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((n) => !Number.isFinite(n))) throw new Error(`/proc/stat cpu line is malformed: ${line.slice(0, 80)}`);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const cpuCount = text.split("\n").filter((l) => /^cpu\d+\s/.test(l)).length;
  return { cpu: { busy: total - idle, total }, cpuCount };
}

/** Share of CPU time used between two /proc/stat readings; undefined when no time elapsed. */
export function cpuUsedRatio(previous: CpuTicks, current: CpuTicks): number | undefined {
  const total = current.total - previous.total;
  if (total <= 0) return undefined;
  return clampRatio((current.busy - previous.busy) / total);
}

/** The 1-minute load average from /proc/loadavg. */
export function parseLoadavg(text: string): number {
  const load1 = Number(text.trim().split(/\s+/)[0]);
  if (!text.trim() || !Number.isFinite(load1)) throw new Error(`/proc/loadavg is malformed: ${text.slice(0, 80)}`);
  return load1;
}

/** Total and available memory from /proc/meminfo, in bytes. */
export interface HostMemory {
  totalBytes: number;
  availableBytes: number;
}

/** Reads /proc/meminfo. MemAvailable (Linux 3.14+) is the kernel's own estimate, page cache it can drop included. */
export function parseMeminfo(text: string): HostMemory {
  const kib = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, "m").exec(text);
    if (!m?.[1]) throw new Error(`/proc/meminfo has no ${key}`);
    return Number(m[1]) * 1024;
  };
  const totalBytes = kib("MemTotal");
  if (totalBytes <= 0) throw new Error("/proc/meminfo has MemTotal 0");
  return { totalBytes, availableBytes: kib("MemAvailable") };
}

/** Milliseconds a block device spent doing I/O since boot (/proc/diskstats field 10, io_ticks). */
export interface DiskTicks {
  device: string;
  ioTicksMs: number;
}

// Virtual devices and partitions are left out: a partition's busy time is its disk's, seen again under another
// label, and an unused loop device is noise. Device-mapper and md volumes stay: they are what LVM and RAID users see.
const VIRTUAL_DEVICE = /^(loop|ram|zram|sr|fd)\d+$/;
const PARTITION = /^(?:(?:sd|vd|xvd|hd)[a-z]+\d+|(?:nvme\d+n\d+|mmcblk\d+|nbd\d+)p\d+)$/;

/** Reads /proc/diskstats, keeping whole physical or logical disks. */
export function parseDiskstats(text: string): DiskTicks[] {
  const disks: DiskTicks[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    const device = f[2] ?? "";
    if (VIRTUAL_DEVICE.test(device) || PARTITION.test(device)) continue;
    const ioTicksMs = Number(f[12]);
    if (!Number.isFinite(ioTicksMs)) throw new Error(`/proc/diskstats line for ${device} is malformed`);
    disks.push({ device, ioTicksMs });
  }
  return disks;
}

/** Share of wall time a device was busy; undefined when the counter went back (it is 32-bit on old kernels). */
export function diskBusyRatio(previousTicksMs: number, currentTicksMs: number, elapsedMs: number): number | undefined {
  const busy = currentTicksMs - previousTicksMs;
  if (busy < 0 || elapsedMs <= 0) return undefined;
  // io_ticks is updated at request completion, so one interval can hold slightly more than its wall time.
  return clampRatio(busy / elapsedMs);
}

/** Share of the last 10 s in which some tasks stalled, from a PSI file (`some avg10=1.23 ...`), as a ratio. */
export function parsePressureSomeAvg10(text: string): number {
  const m = /^some\s+avg10=([\d.]+)/m.exec(text);
  if (!m?.[1]) throw new Error(`pressure file has no "some avg10=" line: ${text.slice(0, 80)}`);
  return Number(m[1]) / 100;
}

/** CPU quota from cgroup v2 cpu.max (`50000 100000` is half a CPU); undefined when it is `max` (no quota). */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period = "100000"] = text.trim().split(/\s+/);
  if (quota === "max") return undefined;
  const cores = Number(quota) / Number(period);
  if (!quota || !Number.isFinite(cores) || cores <= 0) throw new Error(`cpu.max is malformed: ${text.slice(0, 80)}`);
  return cores;
}

/** Reads a cgroup v2 flat-keyed file (cpu.stat, memory.stat): `key value` per line. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && Number.isFinite(Number(value))) values.set(key, Number(value));
  }
  return values;
}

/** CPU time used by the cgroup, in microseconds, from cpu.stat. */
export function parseCpuStatUsageUsec(text: string): number {
  const usage = parseFlatKeyed(text).get("usage_usec");
  if (usage === undefined) throw new Error("cpu.stat has no usage_usec");
  return usage;
}

/** Share of the quota used between two cpu.stat readings taken `elapsedMs` apart. */
export function cgroupCpuUsedRatio(previousUsec: number, currentUsec: number, elapsedMs: number, quotaCores: number): number | undefined {
  const used = currentUsec - previousUsec;
  if (used < 0 || elapsedMs <= 0) return undefined;
  // Not clamped: a burst (cpu.max.burst) really can take the container past its quota for a while.
  return used / (elapsedMs * 1000 * quotaCores);
}

/** Memory limit from cgroup v2 memory.max, in bytes; undefined when it is `max` (no limit). */
export function parseMemoryMax(text: string): number | undefined {
  const value = text.trim();
  if (value === "max") return undefined;
  const bytes = parseByteCount(value, "memory.max");
  if (bytes === 0) throw new Error("memory.max is 0");
  return bytes;
}

/** Memory charged to the cgroup from memory.current, in bytes. */
export function parseMemoryCurrent(text: string): number {
  return parseByteCount(text.trim(), "memory.current");
}

function parseByteCount(value: string, file: string): number {
  const bytes = Number(value);
  if (!/^\d+$/.test(value) || !Number.isFinite(bytes)) throw new Error(`${file} is malformed: ${value.slice(0, 80)}`);
  return bytes;
}

/**
 * The container's memory in use against its limit. Page cache it can drop (inactive_file of memory.stat) is left
 * out, as `docker stats` and the kubelet do: memory.current alone sits near the limit in any container that reads
 * files, long before an OOM kill is near.
 */
export function cgroupMemoryUsedRatio(currentBytes: number, maxBytes: number, memoryStat?: string): number {
  const inactiveFile = memoryStat ? (parseFlatKeyed(memoryStat).get("inactive_file") ?? 0) : 0;
  return Math.max(0, currentBytes - inactiveFile) / maxBytes;
}

/** The process's cgroup v2 path (`0::/system.slice/x.scope` in /proc/self/cgroup); undefined on pure cgroup v1. */
export function parseCgroupV2Path(text: string): string | undefined {
  const line = text.split("\n").find((l) => l.startsWith("0::"));
  return line?.slice(3).trim() || undefined;
}

const clampRatio = (r: number) => Math.min(1, Math.max(0, r));

/** A container from the engine's GET /containers/json, with the service label its readings carry. */
export interface DockerContainer {
  id: string;
  service: string;
}

/**
 * Reads the Docker engine's GET /containers/json?all=1. The service is the Compose service label, or the container
 * name. One-off containers (`docker compose run`) are left out: their restarts are not the service's.
 */
export function parseDockerContainers(json: unknown): DockerContainer[] {
  if (!Array.isArray(json)) throw new Error("Docker /containers/json: expected a JSON array");
  const containers: DockerContainer[] = [];
  for (const c of json as Array<{ Id?: unknown; Names?: unknown; Labels?: Record<string, string> | null }>) {
    if (typeof c?.Id !== "string") throw new Error("Docker /containers/json: a container has no Id");
    const labels = c.Labels ?? {};
    if (labels["com.docker.compose.oneoff"] === "True") continue;
    const name = Array.isArray(c.Names) && typeof c.Names[0] === "string" ? c.Names[0].replace(/^\//, "") : c.Id.slice(0, 12);
    containers.push({ id: c.Id, service: labels["com.docker.compose.service"] ?? name });
  }
  return containers;
}

/** RestartCount from the engine's GET /containers/{id}/json. */
export function parseDockerRestartCount(json: unknown): number {
  const count = (json as { RestartCount?: unknown } | null)?.RestartCount;
  if (typeof count !== "number") throw new Error("Docker /containers/{id}/json: no RestartCount");
  return count;
}
