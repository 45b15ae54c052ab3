import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { Secret } from "../../server/config/secret.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { OdooClient } from "../../server/odoo/client.ts";
import { until } from "../support/until.ts";

/**
 * Synthetic journeys against a real Odoo 18: a dedicated Inventory / User logs in through the login form every
 * cycle. Faults are injected on the real stack (a table locked in PostgreSQL, the journey user's password changed)
 * and the journey must fail at the step a person would be stuck on, and page, within two cycles. Needs ODOO_URL,
 * ODOO_DB, ODOO_USER, ODOO_PASSWORD (an administrator) and ODOO_PG_URL (default postgres://odoo:odoo@127.0.0.1:5432/<db>).
 */
const url = process.env.ODOO_URL;
if (!url) console.log("# real Odoo journeys suite: NOT RUN (ODOO_URL unset; ../shared/odoo/odoo-up.sh starts one)");

const INTERVAL_S = 10;
const TOKEN = "journeys-token-0123456789";

interface AlertRow {
  sli: string;
  state: string;
  severity: string;
  labels: Record<string, string>;
  firedAt: string | null;
}

describe("synthetic journeys on a real Odoo", { skip: url ? false : "ODOO_URL unset" }, () => {
  const db = process.env.ODOO_DB ?? "logistics";
  const tenant = `jrn${Date.now().toString(36)}`;
  const login = `journey_${tenant}`;
  const password = `Journey-${Math.random().toString(36).slice(2)}`;
  let admin: OdooClient;
  let userId: number;
  let backend: Backend;

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${backend.port}/api/v1${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200, `${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const firingStep = async () => {
    const { alerts } = await api<{ alerts: AlertRow[] }>(`/alerts?tenant=${tenant}&sli=journey_failed_step&state=firing`);
    return alerts[0];
  };
  const lastRun = async () => (await api<{ runs: Array<{ ok: boolean; failedStep: string | null; error: string | null; at: string }> }>(`/journeys?tenant=${tenant}&journey=warehouse&limit=1`)).runs[0];

  before(async () => {
    admin = await OdooClient.connect({ url: url!, db, user: process.env.ODOO_USER ?? "admin", credential: new Secret(process.env.ODOO_PASSWORD ?? "admin"), timeoutMs: 20_000 });
    const [group] = await admin.searchRead<{ res_id: number }>("ir.model.data", [["module", "=", "stock"], ["name", "=", "group_stock_user"]], ["res_id"]);
    const [created] = (await admin.executeOn("res.users", "web_save", [], { vals: { name: `Journey ${tenant}`, login, password, groups_id: [[6, 0, [group!.res_id]]] }, specification: {} })) as Array<{ id: number }>;
    userId = created!.id;
    const dir = mkdtempSync(join(tmpdir(), "lo-journeys-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      port: 0, apiToken: TOKEN, dataDir: dir,
      sampling: { intervalSeconds: INTERVAL_S, jitterSeconds: 0, timeoutSeconds: 15 },
      alerts: { forSeconds: INTERVAL_S },
      // The Odoo's own PostgreSQL, so that a journey stopped by a lock names the lock as its probable cause.
      sources: { postgres: { url: process.env.ODOO_PG_URL ?? `postgres://odoo:odoo@127.0.0.1:5432/${db}` } },
      // The development Odoo runs --workers=2 (../shared/odoo): busy workers are counted against it.
      capacity: { tenants: { [tenant]: { workers: Number(process.env.ODOO_WORKERS ?? 2) } } },
      tenants: [{ name: tenant, url, db, user: process.env.ODOO_USER ?? "admin", password: process.env.ODOO_PASSWORD ?? "admin", timeoutMs: 4_000, journey: { user: login, password } }],
    }));
    backend = await startBackend(loadConfig({}, file), silentLogger(), { inMemoryStore: true });
    await until(60_000, async () => (await lastRun())?.ok, "a first successful journey");
  });

  after(async () => {
    await backend?.stop();
    if (userId) await admin.executeOn("res.users", "write", [userId], { vals: { active: false } }).catch(() => {});
  });

  test("every step of a healthy run is timed, and the run is stored with its steps", async () => {
    const { runs } = await api<{ runs: Array<{ ok: boolean; steps: Array<{ step: string; ok: boolean; seconds: number }> }> }>(`/journeys?tenant=${tenant}&journey=warehouse&limit=1`);
    assert.deepEqual(runs[0]!.steps.map((s) => s.step), ["login_page", "login", "web_client", "assets", "inventory_overview", "ready_deliveries", "open_delivery", "logout"]);
    assert.ok(runs[0]!.steps.every((s) => s.ok && s.seconds > 0 && s.seconds < 4));
    const portal = (await api<{ runs: Array<{ ok: boolean; steps: Array<{ step: string }> }> }>(`/journeys?tenant=${tenant}&journey=portal&limit=1`)).runs[0]!;
    assert.equal(portal.ok, true);
    assert.deepEqual(portal.steps.map((s) => s.step), ["page", "assets"]);
  });

  test("a locked stock_move table fails the journey at open_delivery and pages on the next", async () => {
    const pgUrl = process.env.ODOO_PG_URL ?? `postgres://odoo:odoo@127.0.0.1:5432/${db}`;
    const locker = new pg.Client({ connectionString: pgUrl });
    await locker.connect();
    try {
      // Only a delivery's form reads its moves: the list and the overview stay fast; the form waits on the lock.
      await admin.execute("stock.picking", "search_count", { domain: [["picking_type_code", "=", "outgoing"], ["state", "=", "assigned"]] }).then((n) => assert.ok(Number(n) > 0, "the database has a ready delivery to open"));
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE stock_move IN ACCESS EXCLUSIVE MODE");
      const t0 = Date.now();
      const failed = await until(2 * INTERVAL_S * 1000, async () => { const r = await lastRun(); return r && !r.ok ? r : undefined; }, "a failed journey run within two cycles");
      const failedAfter = (Date.now() - t0) / 1000;
      const alert = await until(3 * INTERVAL_S * 1000, firingStep, "journey_failed_step firing");
      const seconds = (Date.now() - t0) / 1000;
      console.log(`# locked stock_move: run failed at ${failed.failedStep} after ${failedAfter.toFixed(1)} s (${(failedAfter / INTERVAL_S).toFixed(1)} cycles of ${INTERVAL_S} s); journey_failed_step{step=${alert.labels.step}} ${alert.severity} after ${seconds.toFixed(1)} s (${(seconds / INTERVAL_S).toFixed(1)} cycles)`);
      assert.equal(alert.labels.step, "open_delivery");
      assert.equal(alert.severity, "page");
      const run = (await lastRun())!;
      assert.equal(run.failedStep, "open_delivery");
      assert.match(run.error!, /no answer within 4000 ms/);
      // The incident's timeline says where the user was stopped and what they saw.
      const { incidents } = await api<{ incidents: Array<{ timeline: Array<{ kind: string; text: string }>; causes: Array<{ layer: string; subject: string }> }> }>(`/incidents?tenant=${tenant}&state=open`);
      const line = incidents.flatMap((i) => i.timeline).find((e) => e.kind === "journey");
      console.log(`# incident timeline: "${line?.text}"; probable causes: ${incidents[0]?.causes.map((c) => `${c.layer}: ${c.subject}`).join(" / ") || "unknown"}`);
      assert.equal(line?.text, "Journey warehouse stopped at open_delivery: no answer within 4000 ms");
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      await locker.end();
    }
    await until(4 * INTERVAL_S * 1000 + 20_000, async () => !(await firingStep()), "the alert resolved once the lock is gone");
  });

  test("a broken login (the journey user's password changed) fails at login and pages on the next", async () => {
    await admin.executeOn("res.users", "write", [userId], { vals: { password: `${password}-changed` } });
    try {
      const t0 = Date.now();
      const failed = await until(2 * INTERVAL_S * 1000, async () => { const r = await lastRun(); return r && !r.ok ? r : undefined; }, "a failed journey run within two cycles");
      const failedAfter = (Date.now() - t0) / 1000;
      const alert = await until(3 * INTERVAL_S * 1000, async () => { const a = await firingStep(); return a?.labels.step === "login" ? a : undefined; }, "journey_failed_step{step=login} firing");
      const seconds = (Date.now() - t0) / 1000;
      console.log(`# broken login: run failed at ${failed.failedStep} after ${failedAfter.toFixed(1)} s (${(failedAfter / INTERVAL_S).toFixed(1)} cycles); journey_failed_step{step=${alert.labels.step}} ${alert.severity} after ${seconds.toFixed(1)} s (${(seconds / INTERVAL_S).toFixed(1)} cycles)`);
      const run = (await lastRun())!;
      assert.equal(run.failedStep, "login");
      assert.match(run.error!, /Wrong login\/password/);
    } finally {
      await admin.executeOn("res.users", "write", [userId], { vals: { password } });
    }
  });

  test("a saturated worker pool: every worker stuck in a request, the journey fails at its first page and the busy workers show it", async () => {
    const pgUrl = process.env.ODOO_PG_URL ?? `postgres://odoo:odoo@127.0.0.1:5432/${db}`;
    const locker = new pg.Client({ connectionString: pgUrl });
    await locker.connect();
    const stuck: Array<Promise<unknown>> = [];
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE stock_move IN ACCESS EXCLUSIVE MODE");
      // One request per worker that waits on the lock: what a long report or a slow import does to a small pool.
      for (let i = 0; i < Number(process.env.ODOO_WORKERS ?? 2); i++) {
        stuck.push(fetch(`${url}/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: i, params: { service: "object", method: "execute_kw", args: [db, 2, process.env.ODOO_PASSWORD ?? "admin", "stock.move", "search_count", [[]]] } }) }).catch(() => undefined));
      }
      const t0 = Date.now();
      const failed = await until(2 * INTERVAL_S * 1000, async () => { const r = await lastRun(); return r && !r.ok && Date.parse(r.at) > t0 ? r : undefined; }, "a failed journey run within two cycles");
      const busy = await until(2 * INTERVAL_S * 1000, async () => {
        const { slis } = await api<{ slis: Array<{ sli: string; tenant: string; value: number | null }> }>(`/slis/current?tenant=${tenant}`);
        return slis.find((x) => x.sli === "odoo_workers_busy_ratio" && (x.value ?? 0) >= 1);
      }, "odoo_workers_busy_ratio at 100%");
      console.log(`# saturated workers: run failed at ${failed.failedStep} (${failed.error}) after ${((Date.now() - t0) / 1000).toFixed(1)} s; odoo_workers_busy_ratio ${busy.value}`);
      const causes = await until(2 * INTERVAL_S * 1000, async () => {
        const { incidents } = await api<{ incidents: Array<{ causes: Array<{ layer: string; subject: string }> }> }>(`/incidents?tenant=${tenant}&state=open`);
        return incidents[0]?.causes.length ? incidents[0].causes : undefined;
      }, "the incident's probable causes").catch(() => []);
      console.log(`# saturated workers: probable causes ${causes.map((c) => `${c.layer}: ${c.subject}`).join(" / ") || "none yet"}`);
      assert.equal(failed.failedStep, "login_page");
      assert.match(failed.error!, /no answer within 4000 ms/);
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      await locker.end();
      await Promise.all(stuck);
    }
    await until(4 * INTERVAL_S * 1000, async () => (await lastRun())?.ok, "journeys succeed again once the workers are free");
  });
});
