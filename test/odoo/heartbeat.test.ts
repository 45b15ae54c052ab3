import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startBackend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { ALERT_MODEL, HEARTBEAT_MODEL, INCIDENT_MODEL, RECORD_METHOD } from "../../server/notify/odoo.ts";
import { OdooClient } from "../../server/odoo/client.ts";
import { until } from "../support/until.ts";

/**
 * The backend's heartbeat in a real Odoo 18 with the addon: a sampling cycle of a tenant whose Odoo has the addon
 * leaves its heartbeat there once its alerts are evaluated, with the same user that records the alerts, and that
 * tenant's alert records then read as current. (That they say "not reported since ..." once the heartbeats stop is
 * the addon suite's tests/test_stale_backend.py, under a frozen clock.) Needs ODOO_URL, ODOO_DB, ODOO_USER,
 * ODOO_PASSWORD (a user in Logistics Health / Manager, e.g. admin).
 */
const url = process.env.ODOO_URL;
if (!url) console.log("# real Odoo heartbeat suite: NOT RUN (ODOO_URL unset)");

interface Beat {
  id: number;
  tenant: string;
  reported_at: string;
  interval_seconds: number;
}

describe("heartbeat in a real Odoo", { skip: url ? false : "ODOO_URL unset" }, () => {
  test("a sampling cycle leaves its heartbeat in the tenant's Odoo, whose alert records then read as current", async () => {
    const loaded = loadConfig({ ...process.env, PORT: "0", SAMPLE_INTERVAL_SECONDS: "60" });
    const tenant = `hb${Date.now().toString(36)}`;
    const config = { ...loaded, tenants: [{ ...loaded.tenants[0]!, name: tenant }] };
    const odoo = await OdooClient.connect(config.tenants[0]!);
    const beats = () => odoo.searchRead<Beat>(HEARTBEAT_MODEL, [["tenant", "=", tenant]], ["tenant", "reported_at", "interval_seconds"]);
    const backend = await startBackend(config, silentLogger(), { inMemoryStore: true, schedule: false });
    try {
      assert.deepEqual(await beats(), []);
      const report = await backend.runner.run(backend.collectors[0]!);
      assert.equal(report.ok, true, "the tenant was sampled");
      const [beat] = await until(15_000, async () => ((await beats()).length ? beats() : undefined), "the heartbeat in Odoo");
      assert.equal(beat!.interval_seconds, 60);
      const age = Date.now() - Date.parse(`${beat!.reported_at.replace(" ", "T")}Z`);
      assert.ok(Math.abs(age) < 60_000, `reported_at ${beat!.reported_at} is Odoo's now (${age} ms off)`);

      const [recorded] = (await odoo.execute(ALERT_MODEL, RECORD_METHOD, {
        notifications: [{
          key: `${tenant}/fired`, fingerprint: `${tenant}/late_open_deliveries@1`, transition: "fired", tenant, sli: "late_open_deliveries",
          sli_title: "Late open deliveries", labels: "", severity: "ticket", value: 14, objective: 10, unit: "count",
          since: beat!.reported_at, resolved_at: null, budget_left: 0.5, probable_cause: "business", mail: false,
        }],
      })) as Array<{ id: number }>;
      const [alert] = await odoo.searchRead<{ backend_silent: boolean; backend_silent_message: string | false }>(ALERT_MODEL, [["id", "=", recorded!.id]], ["backend_silent", "backend_silent_message"]);
      assert.deepEqual(alert, { id: recorded!.id, backend_silent: false, backend_silent_message: false });
    } finally {
      await backend.stop();
      // What the backend recorded of this tenant (its evaluation may open incidents on this Odoo's readings) goes too.
      for (const model of [ALERT_MODEL, INCIDENT_MODEL]) {
        const mine = await odoo.searchRead<{ id: number }>(model, [["tenant", "=", tenant]], ["id"]);
        if (mine.length) await odoo.executeOn(model, "unlink", mine.map((r) => r.id));
      }
      const left = await beats();
      if (left.length) await odoo.executeOn(HEARTBEAT_MODEL, "unlink", left.map((b) => b.id));
    }
  });
});
