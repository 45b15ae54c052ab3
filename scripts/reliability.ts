/**
 * The reliability suite: the real backend process (server/main.ts) on a real PostgreSQL store and a real SMTP
 * server, sampling an Odoo through a chaos proxy, put through the faults a production monitor meets. For each
 * fault it prints: whether the process survived, what data was lost, whether an alert reached the operations
 * address, and how long after the fault cleared sampling was back.
 *
 *   npm run reliability                 # the demo Odoo behind the proxy
 *   ODOO_URL=… ODOO_DB=… ODOO_USER=… ODOO_PASSWORD=… npm run reliability   # a real Odoo behind the proxy
 *
 * Starts and stops only what it started: its own PostgreSQL (scripts/dev/postgres.sh), SMTP sink, proxy and process.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { startDemoOdoo } from "../server/demo/server.ts";
import { freePort } from "../test/support/ports.ts";
import { startSmtpSink } from "../test/support/smtp-sink.ts";
import { until } from "../test/support/until.ts";

const INTERVAL_S = 5;
const TOKEN = "reliability-token-0123456789";
const TENANT = "acme";
const FAKETIME = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"].find(existsSync);
/** The child's environment: this one's, without the ODOO_* variables that would override its config file's tenant. */
const childEnv = (extra: Record<string, string> = {}) => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ODOO_"))), ...extra });
const pgctl = (...args: string[]) => execFileSync("scripts/dev/postgres.sh", args, { encoding: "utf8" }).trim();

type ProxyMode = "forward" | "status-page" | "hang" | "huge" | "reset";

interface Verdict {
  fault: string;
  survived: string;
  lost: string;
  alert: string;
  recovered: string;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lo-reliability-"));
  const storeUrl = pgctl("start");
  const sink = await startSmtpSink();
  const real = process.env.ODOO_URL;
  const demo = real ? undefined : await startDemoOdoo({ seed: 41 });
  const upstream = real ?? demo!.url;
  const account = real
    ? { db: process.env.ODOO_DB!, user: process.env.ODOO_USER!, password: process.env.ODOO_PASSWORD! }
    : { db: demo!.db, user: demo!.user, password: demo!.password };

  // The chaos proxy: what can stand between the monitor and an Odoo.
  let mode: ProxyMode = "forward";
  const proxy = createServer((req, res) => void chaos(req, res, mode, upstream));
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const proxied = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;

  const port = await freePort();
  const offsetFile = join(dir, "clock-offset");
  writeFileSync(offsetFile, "+0");
  const configFile = join(dir, "config.json");
  writeFileSync(configFile, JSON.stringify({
    port, apiToken: TOKEN, dataDir: join(dir, "data"), store: { url: storeUrl },
    sampling: { intervalSeconds: INTERVAL_S, jitterSeconds: 0, timeoutSeconds: 4 },
    alerts: { forSeconds: INTERVAL_S, recipients: ["ops@example.com"], smtp: { host: "127.0.0.1", port: sink.port, from: "monitor@example.com", allowPlainText: true } },
    tenants: [{ name: TENANT, url: proxied, db: account.db, user: account.user, password: account.password, timeoutMs: 3000 }],
  }));
  const log: string[] = [];
  let child: ChildProcess | undefined;
  const startChild = async () => {
    child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--config", configFile], {
      env: childEnv({ LD_PRELOAD: FAKETIME ?? "", FAKETIME_TIMESTAMP_FILE: offsetFile, FAKETIME_NO_CACHE: "1", DONT_FAKE_MONOTONIC: "1" }),
    });
    child.stdout!.on("data", (d: Buffer) => log.push(...d.toString().split("\n").filter(Boolean)));
    child.stderr!.on("data", (d: Buffer) => log.push(...d.toString().split("\n").filter(Boolean)));
    await until(30_000, async () => (await health())?.ok === true);
  };
  const api = async (path: string, timeoutMs = 5_000) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const health = async () => {
    const { body } = await api("/api/v1/collectors").catch(() => ({ body: {} as Record<string, unknown> }));
    return (body.collectors as Array<{ tenant: string; source: string; ok: boolean; runs: number; error: string | null }> | undefined)?.find((c) => c.tenant === TENANT && c.source === "odoo_business");
  };
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child!.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  const store = new pg.Pool({ connectionString: storeUrl, max: 2 });
  store.on("error", () => {});
  const storedRuns = async (from: Date, to: Date) =>
    Number((await store.query("SELECT count(*) AS n FROM lo.samples WHERE tenant = $1 AND sli = 'sampling_up' AND at >= $2 AND at <= $3", [TENANT, from, to])).rows[0].n);
  const pages = (re: RegExp) => sink.received.filter((m) => re.test(m.subject));
  /** Seconds from now until sampling of the tenant succeeds again. */
  const recovery = async (): Promise<number> => {
    const t0 = Date.now();
    const before = (await health())?.runs ?? 0;
    await until(6 * INTERVAL_S * 1000, async () => {
      const h = await health();
      return h !== undefined && h.ok && h.runs > before;
    });
    return (Date.now() - t0) / 1000;
  };

  const verdicts: Verdict[] = [];
  const record = (v: Verdict) => {
    verdicts.push(v);
    console.log(`${v.fault}: survived ${v.survived}; data lost: ${v.lost}; alert: ${v.alert}; recovered: ${v.recovered}`);
  };
  try {
    await startChild();
    await sleep(2 * INTERVAL_S * 1000);

    for (const [fault, m, seconds] of [["Odoo behind a maintenance page (HTTP 200 {\"status\":\"ok\"})", "status-page", 12], ["Odoo accepts and never answers", "hang", 15], ["Odoo connection reset", "reset", 12]] as const) {
      const paged = pages(/cannot be sampled/).length;
      const t0 = Date.now();
      mode = m;
      await sleep(seconds * 1000);
      const h = await health();
      mode = "forward";
      const back = await recovery();
      const alert = pages(/cannot be sampled/).length > paged ? `"cannot sample" paged ops@ (${h?.error?.slice(0, 60)})` : `none (${h?.error?.slice(0, 60)})`;
      record({ fault, survived: alive() ? "yes" : "NO", lost: `the ${Math.round((Date.now() - t0) / 1000 - back)} s Odoo was not answering`, alert, recovered: `${back.toFixed(1)} s after it cleared` });
    }

    {
      const before = rssMb();
      mode = "huge";
      await sleep(INTERVAL_S * 1000 + 2000);
      const peak = rssMb();
      const error = (await health())?.error ?? "none";
      mode = "forward";
      const back = await recovery();
      record({ fault: "Odoo answers 300 MB", survived: alive() ? `yes, RSS ${before.toFixed(0)} -> ${peak.toFixed(0)} MB` : "NO", lost: "the cycles it lasted", alert: `run failed: ${error.slice(0, 70)}`, recovered: `${back.toFixed(1)} s after it cleared` });
    }

    if (demo) {
      const t0 = Date.now();
      const paged = pages(new RegExp(`${TENANT}: .*cannot be sampled`)).length;
      demo.setPassword("revoked-by-the-admin");
      await until(4 * INTERVAL_S * 1000, async () => pages(new RegExp(`${TENANT}: .*cannot be sampled`)).length > paged);
      const alertAfter = (Date.now() - t0) / 1000;
      demo.setPassword(account.password);
      const back = await recovery();
      record({ fault: "credentials revoked", survived: alive() ? "yes" : "NO", lost: "readings while refused", alert: `paged ops@ after ${alertAfter.toFixed(1)} s (${(alertAfter / INTERVAL_S).toFixed(1)} cycles)`, recovered: `${back.toFixed(1)} s after the key was restored` });
    }

    {
      const t0 = new Date();
      pgctl("halt", storeUrl);
      await sleep(4 * INTERVAL_S * 1000);
      const directPage = pages(/^\[PAGE\] monitor: the store is failing/).length > 0;
      const ready = await api("/readyz").catch((e: Error) => ({ status: 0, body: { reasons: [e.message] } }));
      const alerts = await api("/api/v1/alerts").catch(() => ({ status: 0 }));
      const resumed = Date.now();
      pgctl("resume", storeUrl);
      await until(30_000, async () => (await api("/readyz").catch(() => ({ status: 0 }))).status === 200);
      const back = (Date.now() - resumed) / 1000;
      await sleep(1000);
      // The cycles of the outage itself: each should have reached the store once it was back.
      const expected = Math.floor((resumed - t0.getTime()) / 1000 / INTERVAL_S);
      const stored = await storedRuns(t0, new Date(resumed));
      record({
        fault: `store (PostgreSQL) stopped ${4 * INTERVAL_S} s`, survived: alive() ? "yes" : "NO",
        lost: `${Math.max(0, expected - stored)} of the outage's ${expected} cycles (${stored} held in memory and written on recovery)`,
        alert: `${directPage ? "paged ops@ by direct SMTP" : "NO direct page"}; /readyz ${ready.status}: ${JSON.stringify((ready.body as { reasons?: string[] }).reasons ?? []).slice(0, 90)}; /alerts ${alerts.status}`,
        recovered: `ready ${back.toFixed(1)} s after it restarted`,
      });
    }

    {
      pgctl("freeze", storeUrl);
      const t0 = Date.now();
      await sleep(2 * INTERVAL_S * 1000);
      const asked = Date.now();
      const ready = await api("/readyz", 10_000).catch((e: Error) => ({ status: 0, body: { reasons: [e.message] } }));
      const readyMs = Date.now() - asked;
      pgctl("thaw", storeUrl);
      const thawed = Date.now();
      await until(40_000, async () => (await api("/readyz").catch(() => ({ status: 0 }))).status === 200);
      record({
        fault: `store hung (SIGSTOP ${((thawed - t0) / 1000).toFixed(0)} s)`, survived: alive() ? "yes" : "NO", lost: `held in memory: ${(await api("/readyz")).body.store}`,
        alert: `/readyz ${ready.status} in ${readyMs} ms: ${JSON.stringify((ready.body as { reasons?: string[] }).reasons ?? []).slice(0, 100)}`,
        recovered: `ready ${((Date.now() - thawed) / 1000).toFixed(1)} s after SIGCONT`,
      });
    }

    {
      // A page waits on a 4xx from the mail server; the process dies by SIGKILL; a new one delivers it once.
      sink.rcptAnswers.push(...Array<number>(50).fill(451));
      const marker = pages(/cannot be sampled/).length;
      mode = "status-page";
      await until(60_000, async () => Number((await store.query("SELECT count(*) AS n FROM lo.outbox WHERE state = 'pending' AND channel = 'smtp'")).rows[0].n) > 0).catch(async (err: Error) => {
        const outbox = await store.query("SELECT state, channel, subject, last_error FROM lo.outbox ORDER BY id DESC LIMIT 5").then((r) => r.rows, (e: Error) => e.message);
        const alerts = await api("/api/v1/alerts?tenant=acme").then((r) => JSON.stringify(r.body).slice(0, 600), (e: Error) => e.message);
        throw new Error(`${err.message}: no page held in the outbox; outbox ${JSON.stringify(outbox)}; alerts ${alerts}; log ${log.slice(-8).join("\n")}`);
      });
      const dying = child!;
      dying.kill("SIGKILL");
      await new Promise((r) => dying.once("exit", r));
      mode = "forward";
      sink.rcptAnswers.length = 0;
      const t0 = Date.now();
      await startChild();
      // The row waits for its backoff after the 4xx (60 s, then 120 s): that, not the restart, sets the delay.
      await until(240_000, async () => pages(/cannot be sampled/).length > marker);
      await sleep(2 * INTERVAL_S * 1000);
      const delivered = pages(/cannot be sampled/).slice(marker);
      const ids = new Set(delivered.map((m) => m.messageId));
      record({ fault: "kill -9 with a page in the outbox", survived: "restarted", lost: `${delivered.length === ids.size ? "nothing" : "DUPLICATES"} (${delivered.length} mails, ${ids.size} distinct)`, alert: "the held page delivered after restart", recovered: `${((Date.now() - t0) / 1000).toFixed(1)} s to delivery` });
    }
    if (FAKETIME) {
      for (const [step, offset] of [["-2 days", "-2d"], ["+2 days", "+2d"]] as const) {
        const lines = log.length;
        const before = (await health())?.runs ?? 0;
        const t0 = Date.now();
        writeFileSync(offsetFile, offset);
        await until(4 * INTERVAL_S * 1000, async () => ((await health())?.runs ?? 0) > before);
        const next = (Date.now() - t0) / 1000;
        await sleep(INTERVAL_S * 1000);
        record({ fault: `clock stepped ${step}`, survived: alive() ? "yes" : "NO", lost: "none", alert: `none needed; ${log.length - lines} log lines`, recovered: `next run ${next.toFixed(1)} s after the step` });
      }
      writeFileSync(offsetFile, "+0");
    } else record({ fault: "clock steps", survived: "NOT RUN", lost: "-", alert: "-", recovered: "libfaketime missing (apt-get install faketime)" });

    record(await diskFull(dir, proxied, account));

  } finally {
    child?.kill("SIGKILL");
    proxy.close();
    await store.end();
    await sink.close();
    await demo?.close();
    pgctl("stop", storeUrl);
  }
  console.log("\nfault | survived | data lost | alert | time to recover");
  for (const v of verdicts) console.log(`${v.fault} | ${v.survived} | ${v.lost} | ${v.alert} | ${v.recovered}`);
  process.exit(verdicts.some((v) => v.survived === "NO") ? 1 : 0);
}

/**
 * Disk full: a second process on the embedded store, its data directory on a small tmpfs (mounted here, as
 * root), filled up while it samples, then freed.
 */
async function diskFull(dir: string, odooUrl: string, account: { db: string; user: string; password: string }): Promise<Verdict> {
  const fault = "disk full (embedded store on an 80 MB tmpfs)";
  const mount = join(dir, "tmpfs");
  try {
    execFileSync("mkdir", ["-p", mount]);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=80m", "tmpfs", mount], { stdio: "pipe" });
  } catch (err) {
    return { fault, survived: "NOT RUN", lost: "-", alert: "-", recovered: `cannot mount a tmpfs here (${(err as Error).message.split("\n")[0]})` };
  }
  const port = await freePort();
  const configFile = join(dir, "disk-config.json");
  writeFileSync(configFile, JSON.stringify({
    port, apiToken: TOKEN, dataDir: join(mount, "data"), sampling: { intervalSeconds: INTERVAL_S, jitterSeconds: 0, timeoutSeconds: 4 },
    tenants: [{ name: TENANT, url: odooUrl, db: account.db, user: account.user, password: account.password, timeoutMs: 3000 }],
  }));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--config", configFile], { env: childEnv(), stdio: "ignore" });
  const readyz = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as { reasons?: string[] } };
  };
  const fill = join(mount, "fill");
  try {
    await until(60_000, async () => (await readyz()).status === 200);
    try {
      execFileSync("dd", ["if=/dev/zero", `of=${fill}`, "bs=1M"], { stdio: "pipe" });
    } catch {
      // dd stops with "No space left on device": that is the point
    }
    const t0 = Date.now();
    let seen: { status: number; body: { reasons?: string[] } } | undefined;
    await until(6 * INTERVAL_S * 1000, async () => {
      seen = await readyz();
      return seen.status === 503;
    }).catch(() => {});
    const detected = (Date.now() - t0) / 1000;
    const aliveWhileFull = child.exitCode === null && child.signalCode === null;
    execFileSync("rm", ["-f", fill]);
    const freed = Date.now();
    await until(10 * INTERVAL_S * 1000, async () => (await readyz()).status === 200).catch(() => {});
    const back = child.exitCode === null && (await readyz().catch(() => ({ status: 0 }))).status === 200;
    return {
      fault,
      survived: aliveWhileFull ? "yes" : `NO (exit ${child.exitCode ?? child.signalCode})`,
      lost: "runs held in memory while full",
      alert: seen?.status === 503 ? `/readyz 503 after ${detected.toFixed(1)} s: ${JSON.stringify(seen.body.reasons ?? []).slice(0, 110)}` : "/readyz stayed 200",
      recovered: back ? `ready ${((Date.now() - freed) / 1000).toFixed(1)} s after space was freed` : "NOT recovered",
    };
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    try {
      execFileSync("umount", ["-l", mount]);
    } catch {
      // already gone
    }
  }
}

/** The chaos proxy's answer to one request. */
async function chaos(req: IncomingMessage, res: ServerResponse, mode: ProxyMode, upstream: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (mode === "status-page") return void res.writeHead(200, { "content-type": "application/json" }).end(`{"status":"ok"}`);
  if (mode === "hang") return; // accepted, never answered
  if (mode === "reset") return void req.socket.destroy();
  if (mode === "huge") {
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(1024 * 1024, 120);
    res.write('{"jsonrpc":"2.0","id":1,"result":"');
    for (let i = 0; i < 300 && !res.destroyed; i++) {
      if (res.write(chunk)) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done).off("close", done);
          resolve();
        };
        res.on("drain", done).on("close", done);
      });
    }
    return void res.end('"}');
  }
  try {
    const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers: { "content-type": String(req.headers["content-type"] ?? "") }, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" }).end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    req.socket.destroy();
  }
}


await main();
