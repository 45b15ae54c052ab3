import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startBackend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { OdooClient } from "../../server/odoo/client.ts";

/**
 * Objectives set on the addon's settings page reach the backend: what the administrator types in Odoo is what
 * the tenant's SLIs are judged against, in the API and the SLOs. Needs ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD.
 */
const url = process.env.ODOO_URL;
if (!url) console.log("# real Odoo settings sync suite: NOT RUN (ODOO_URL unset)");

describe("settings sync from a real Odoo", { skip: url ? false : "ODOO_URL unset" }, () => {
  test("an objective and the SLO target set in Odoo are the tenant's after one cycle", async () => {
    const config = loadConfig({ ...process.env, PORT: "0" });
    const odoo = await OdooClient.connect(config.tenants[0]!);
    const keys = { late: "logistics_observability.target.late_open_deliveries", target: "logistics_observability.slo.target" };
    const saved = { late: await odoo.execute("ir.config_parameter", "get_param", { key: keys.late }), target: await odoo.execute("ir.config_parameter", "get_param", { key: keys.target }) };
    await odoo.execute("ir.config_parameter", "set_param", { key: keys.late, value: "25" });
    await odoo.execute("ir.config_parameter", "set_param", { key: keys.target, value: "0.995" });
    const backend = await startBackend(config, silentLogger(), { inMemoryStore: true, schedule: false });
    try {
      await backend.runner.run(backend.collectors[0]!);
      await backend.runner.run(backend.collectors[0]!);
      const tenant = backend.tenants[0]!.name;
      const get = async (path: string) => (await fetch(`http://127.0.0.1:${backend.port}/api/v1/${path}`)).json();
      const { slis } = (await get(`slis/current?tenant=${tenant}`)) as { slis: Array<{ sli: string; objective: number }> };
      assert.equal(slis.find((s) => s.sli === "late_open_deliveries")?.objective, 25);
      const { slos } = (await get(`slos?tenant=${tenant}`)) as { slos: Array<{ sli: string; objective: number; target: number }> };
      const late = slos.find((s) => s.sli === "late_open_deliveries")!;
      assert.deepEqual([late.objective, late.target], [25, 0.995]);
      assert.equal(slos.find((s) => s.sli === "on_time_delivery_ratio")?.target, 0.995, "the target applies to every SLO of the tenant");
    } finally {
      await backend.stop();
      await odoo.execute("ir.config_parameter", "set_param", { key: keys.late, value: saved.late || false });
      await odoo.execute("ir.config_parameter", "set_param", { key: keys.target, value: saved.target || false });
    }
  });

  test("an objective cleared on the settings page is the backend's own again after the next sync, not 0", async () => {
    const config = loadConfig({ ...process.env, PORT: "0" });
    const odoo = await OdooClient.connect(config.tenants[0]!);
    const key = "logistics_observability.target.late_open_deliveries";
    const saved = await odoo.execute("ir.config_parameter", "get_param", { key });
    // As the administrator saves the page: the field typed, then emptied (the form sends 0 for an empty number).
    const savePage = async (late: number) => {
      const [record] = (await odoo.executeOn("res.config.settings", "web_save", [], { vals: { logistics_target_late_open: late }, specification: {} })) as Array<{ id: number }>;
      await odoo.executeOn("res.config.settings", "execute", [record!.id]);
    };
    await savePage(25);
    const backend = await startBackend(config, silentLogger(), { inMemoryStore: true, schedule: false });
    try {
      const tenant = backend.tenants[0]!.name;
      const objective = async () => {
        const { slis } = (await (await fetch(`http://127.0.0.1:${backend.port}/api/v1/slis/current?tenant=${tenant}`)).json()) as { slis: Array<{ sli: string; objective: number }> };
        return slis.find((s) => s.sli === "late_open_deliveries")?.objective;
      };
      await backend.runner.run(backend.collectors[0]!);
      assert.equal(await objective(), 25);
      await savePage(0);
      assert.equal(await odoo.execute("ir.config_parameter", "get_param", { key }), false, "nothing stored for an empty field");
      // The settings are read every 5th cycle: the 6th run reads them again.
      for (let i = 0; i < 5; i++) await backend.runner.run(backend.collectors[0]!);
      const { slis } = (await (await fetch(`http://127.0.0.1:${backend.port}/api/v1/catalog`)).json()) as { slis: Array<{ id: string; objective: number }> };
      assert.equal(await objective(), slis.find((s) => s.id === "late_open_deliveries")!.objective, "the backend's own objective");
    } finally {
      await backend.stop();
      await odoo.execute("ir.config_parameter", "set_param", { key, value: saved || false });
    }
  });
});
