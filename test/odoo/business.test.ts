import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BusinessCollector } from "../../server/collectors/business/index.ts";
import { loadConfig } from "../../server/config/load.ts";
import type { Reading } from "../../server/sli/sample.ts";
import { openStore } from "../../server/store/open.ts";
import { groundTruth, labelEventCounts } from "./ground-truth.ts";

/**
 * Samples a real Odoo and checks every business SLI against SQL on Odoo's own database.
 * Needs ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD, and ODOO_PG_URL (default: the odoo-up.sh database).
 */
const url = process.env.ODOO_URL;
if (!url) console.log("# real Odoo suite: NOT RUN (ODOO_URL unset; ../shared/odoo/odoo-up.sh starts one)");

describe("business SLIs on a real Odoo match SQL ground truth", { skip: url ? false : "ODOO_URL unset" }, () => {
  const WINDOW = 7 * 86_400;

  test("one cycle; counts exact, durations within 1 s", async () => {
    const tenant = loadConfig().tenants[0]!;
    const pgUrl = process.env.ODOO_PG_URL ?? `postgres://odoo:odoo@127.0.0.1:5432/${tenant.db}`;
    const store = await openStore({ inMemory: true });
    const collector = new BusinessCollector(tenant, store, { windowSeconds: WINDOW });
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const readings = await collector.collect({ now, signal: new AbortController().signal });
    const truth = await groundTruth(pgUrl, now, WINDOW);
    await store.close();

    const total = (sli: string) => {
      const rs = readings.filter((r: Reading) => r.sli === sli);
      return rs.some((r) => r.value === undefined) ? null : rs.reduce((s, r) => s + (r.value ?? 0), 0);
    };
    const exact = ["late_open_deliveries", "ready_backlog", "late_open_waves", "cron_failing_jobs", "mail_outgoing_backlog"];
    const seconds = [
      "ready_backlog_oldest_age_seconds", "order_quote_to_confirm_p50_seconds", "order_quote_to_confirm_p95_seconds",
      "order_confirm_to_first_ship_p50_seconds", "order_confirm_to_first_ship_p95_seconds", "order_confirm_to_full_ship_p50_seconds",
      "order_confirm_to_full_ship_p95_seconds", "delivery_avg_delay_seconds", "delivery_avg_lead_time_seconds", "wave_delay_p95_seconds",
    ];
    const report: string[] = [];
    for (const sli of exact) {
      report.push(`${sli}: collector ${total(sli)} / SQL ${truth[sli]}`);
      assert.equal(total(sli), truth[sli], sli);
    }
    for (const sli of seconds) {
      const got = total(sli);
      report.push(`${sli}: collector ${got} / SQL ${truth[sli]}`);
      if (truth[sli] === null) assert.equal(got, null, `${sli}: no data in SQL, so it must be missing`);
      else assert.ok(got !== null && Math.abs(got - truth[sli]!) <= 1, `${sli}: ${got} vs ${truth[sli]}`);
    }
    const onTime = total("on_time_delivery_ratio");
    report.push(`on_time_delivery_ratio: collector ${onTime} / SQL ${truth.on_time_delivery_ratio}`);
    assert.ok(onTime !== null && Math.abs(onTime - truth.on_time_delivery_ratio!) < 0.02, "on-time ratio");
    assert.equal(total("mail_failed"), truth.mail_failed_total, "mail_failed summed over failure types");
    const labelTruth = truth.label_failure_ratio_total;
    if (labelTruth !== null && labelTruth !== undefined) {
      // Per carrier in the collector; overall here: weight the carriers' ratios by their events to compare.
      const events = await labelEventCounts(pgUrl, now, WINDOW);
      const overall = readings.filter((r) => r.sli === "label_failure_ratio" && r.value !== undefined)
        .reduce((s, r) => s + r.value! * (events.get(r.labels!.carrier!) ?? 0), 0) / [...events.values()].reduce((a, b) => a + b, 0);
      report.push(`label_failure_ratio (all carriers, from the addon's events): collector ${overall} / SQL ${labelTruth}`);
      assert.ok(Math.abs(overall - labelTruth) < 1e-9, "label failure ratio");
    }
    console.log(report.map((l) => `# ${l}`).join("\n"));
    assert.ok(truth.ready_backlog! > 0 && truth.order_quote_to_confirm_p50_seconds !== null, "the real Odoo has a workload (npm run workload:odoo)");
  });
});
