import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { startSmtpSink } from "../support/smtp-sink.ts";
import { until } from "../support/until.ts";

const INTERVAL_S = 10;
const TENANTS = 100;
const pgctl = (...args: string[]) => execFileSync("scripts/dev/postgres.sh", args, { encoding: "utf8" }).trim();

/** A process of ours (a backend instance, the demo fleet); the suite kills what it started, nothing else. */
function child(args: string[], env: Record<string, string> = {}): ChildProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ODOO_")));
  return spawn(process.execPath, ["--import", "tsx", ...args], { env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

const firstLine = async (p: ChildProcess) => {
  const lines = createInterface({ input: p.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  return line;
};

/**
 * Three backends on one real PostgreSQL store share 100 demo tenants through leases; one is killed with -9 and
 * the other two take its tenants. Read from the store afterwards: every tenant sampled, never twice in one cycle,
 * never more than two cycles without a sample; every email delivered once.
 */
describe("several backends on one store", { timeout: 400_000 }, () => {
  let url = "";
  let fleet: ChildProcess;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const instances: ChildProcess[] = [];
  let db: pg.Client;
  let configFile = "";

  before(async () => {
    url = pgctl("start");
    db = new pg.Client({ connectionString: url });
    await db.connect();
    fleet = child(["scripts/bench/demo-fleet.ts", String(TENANTS)]);
    const odoos = JSON.parse(await firstLine(fleet)) as Array<{ url: string; db: string; user: string; password: string }>;
    sink = await startSmtpSink();
    const dir = mkdtempSync(join(tmpdir(), "lo-multi-"));
    configFile = join(dir, "config.json");
    writeFileSync(configFile, JSON.stringify({
      port: 0, apiToken: "multi-token-0123456789", dataDir: dir, store: { url }, logLevel: "warn",
      sampling: { intervalSeconds: INTERVAL_S, timeoutSeconds: 8 },
      alerts: { recipients: ["ops@example.com"], smtp: { host: "127.0.0.1", port: sink.port, from: "monitor@example.com", allowPlainText: true } },
      tenants: odoos.map((o, i) => ({ name: `t${String(i).padStart(3, "0")}`, ...o })),
    }));
  });

  after(async () => {
    for (const p of [...instances, fleet]) if (p && p.exitCode === null) p.kill("SIGKILL");
    await db?.end().catch(() => {});
    await sink?.close();
    if (url) pgctl("stop", url);
  });

  const holders = async () => (await db.query<{ holder: string; n: number }>("SELECT holder, count(*)::int AS n FROM lo.leases WHERE expires_at > now() GROUP BY holder ORDER BY holder")).rows;

  test("one of three killed with -9: its tenants are taken within two cycles, nothing sampled or mailed twice", async () => {
    // The first creates the schema; the other two join once it is there.
    instances.push(child(["server/main.ts", "--config", configFile]));
    await until(60_000, async () => (await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'lo' AND table_name = 'leases'")).rowCount === 1, "the store's schema");
    instances.push(child(["server/main.ts", "--config", configFile]), child(["server/main.ts", "--config", configFile]));
    const resources = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM lo.leases WHERE expires_at > now()")).rows[0]!.n;
    await until(90_000, async () => (await holders()).length === 3 && (await resources()) >= TENANTS, "three instances sharing 100 tenants");
    const total = await resources();
    const shares = await holders();
    console.log(`# leases: ${shares.map((h) => h.n).join(" / ")} (${TENANTS} tenants${total > TENANTS ? " and the global work" : ""} on 3 instances)`);
    // Judged from here: the start of three processes (each samples once at start, then on the cadence; tenants
    // change hands while the others join) is not the steady state nor the takeover.
    const settledAt = Date.now() + INTERVAL_S * 1000;
    await new Promise((r) => setTimeout(r, 3 * INTERVAL_S * 1000));

    const victim = instances[2]!;
    // An instance's id is host-pid-random: the victim is the one with its process id.
    const victimId = (await db.query<{ id: string }>("SELECT id FROM lo.instances WHERE id LIKE '%-' || $1 || '-%'", [String(victim.pid)])).rows[0]!.id;
    const orphans = (await db.query<{ resource: string }>("SELECT resource FROM lo.leases WHERE holder = $1", [victimId])).rows.map((r) => r.resource);
    const killedAt = Date.now();
    victim.kill("SIGKILL");
    await until(3 * INTERVAL_S * 1000, async () => (await db.query("SELECT 1 FROM lo.leases WHERE holder = $1 AND expires_at > now()", [victimId])).rowCount === 0 && (await resources()) === total, "the victim's leases taken");
    const takenAfter = (Date.now() - killedAt) / 1000;
    await new Promise((r) => setTimeout(r, 4 * INTERVAL_S * 1000));
    const endedAt = Date.now();
    for (const p of instances.slice(0, 2)) p.kill("SIGTERM");
    await Promise.all(instances.slice(0, 2).map((p) => (p.exitCode === null ? once(p, "exit") : undefined)));

    // One business run per tenant and cycle leaves one reading of late open deliveries.
    const { rows } = await db.query<{ tenant: string; at: Date }>("SELECT tenant, at FROM lo.samples WHERE sli = 'late_open_deliveries' AND at >= $1 ORDER BY tenant, at", [new Date(settledAt)]);
    const byTenant = new Map<string, number[]>();
    for (const r of rows) byTenant.set(r.tenant, [...(byTenant.get(r.tenant) ?? []), r.at.getTime()]);
    assert.equal(byTenant.size, TENANTS, "every tenant sampled");
    let maxGap = 0;
    let minGap = Infinity;
    let worst = "";
    for (const [tenant, at] of byTenant) {
      const late = endedAt - at.at(-1)!;
      for (let i = 1; i < at.length; i++) {
        const gap = at[i]! - at[i - 1]!;
        if (gap > maxGap) [maxGap, worst] = [gap, tenant];
        minGap = Math.min(minGap, gap);
      }
      assert.ok(late < 3 * INTERVAL_S * 1000, `${tenant} last sampled ${(late / 1000).toFixed(1)} s before the end`);
    }
    const orphanGaps = orphans.filter((r) => r.startsWith("tenant:")).map((r) => {
      const at = byTenant.get(r.slice(7))!.filter((t) => t >= killedAt - INTERVAL_S * 1000);
      return Math.max(...at.slice(1).map((t, i) => t - at[i]!));
    });
    const sent = (await db.query<{ n: number }>("SELECT count(DISTINCT (sent_at, group_key, recipient))::int AS n FROM lo.outbox WHERE channel = 'smtp' AND state = 'sent'")).rows[0]!.n;
    const ids = sink.received.map((m) => m.messageId);
    const doubled = ids.filter((id, i) => ids.indexOf(id) !== i);
    console.log(`# killed -9 with ${orphans.length} leases: taken after ${takenAfter.toFixed(1)} s (${INTERVAL_S} s cycles); largest gap between two samples of one tenant ${(maxGap / 1000).toFixed(1)} s (${worst}), of the victim's tenants ${(Math.max(...orphanGaps) / 1000).toFixed(1)} s; smallest ${(minGap / 1000).toFixed(1)} s; ${rows.length} samples; ${sink.received.length} emails for ${sent} sent, ${doubled.length} doubled`);
    // Two cycles unsampled: three intervals between two samples (a sample's time moves a little with the load).
    assert.ok(maxGap < 3 * INTERVAL_S * 1000, `never more than two cycles unsampled (${worst}: ${maxGap} ms)`);
    assert.ok(minGap >= INTERVAL_S * 500, `never sampled twice in one cycle (smallest gap ${minGap} ms)`);
    assert.deepEqual(doubled, [], "no email twice");
    assert.equal(sink.received.length, sent, "one email per delivery the store recorded");
    assert.ok(sent > 0, "the demo tenants' failing jobs were mailed");
  });
});
