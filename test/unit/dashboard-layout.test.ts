import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { byArea } from "../../web_components/dashboard/areas.ts";
import { countOf, drillOf, drills } from "../../web_components/dashboard/drill.ts";
import { incidentCards, type IncidentView } from "../../web_components/dashboard/incidents.ts";
import { _t, useTranslation } from "../../web_components/dashboard/t.ts";
import { incidentTitle, SLI_TITLES } from "../../web_components/dashboard/titles.ts";
import { BUSINESS_SLIS } from "../../server/sli/catalog.ts";
import { JOURNEY_SIGNALS } from "../../server/sli/journey-security-catalog.ts";
import { isBusiness } from "../../web_components/dashboard/model.ts";

const context = { today: "2026-12-06", now: "2026-12-06 11:00:00", dayAgo: "2026-12-05 11:00:00" };

describe("incident-first dashboard", () => {
  test("areas with a breach come first, and in each area its breaches first, the rest in catalogue order", () => {
    const tile = (sli: string, status = "ok") => ({ sli, status });
    const areas = byArea([tile("order_quote_to_confirm_p50_seconds"), tile("on_time_delivery_ratio"), tile("late_open_deliveries"), tile("ready_backlog", "breach"), tile("label_failure_ratio", "breach"), tile("cron_failing_jobs")]);
    assert.deepEqual(areas.map((a) => a.id), ["deliveries", "carriers", "orders", "jobs"], "waves has no tile: left out");
    assert.deepEqual(areas[0]!.tiles.map((t) => t.sli), ["ready_backlog", "on_time_delivery_ratio", "late_open_deliveries"]);
    assert.equal(areas[0]!.breaches, 1);
    assert.deepEqual(byArea([], ["deliveries", "waves"]).map((a) => a.id), ["deliveries", "waves"], "without the backend, the areas with Odoo's counts");
  });

  test("counts use Odoo's own filters: deliveries open the Late and Ready filters, waves are counted as Odoo counts them", () => {
    const all = drills(context);
    const late = all.find((d) => d.key === "deliveries.late")!;
    assert.equal(late.action, "stock.action_picking_tree_all");
    assert.deepEqual(late.filters, { search_default_late: 1, search_default_delivery: 1 });
    assert.deepEqual(late.domain.slice(-3), [["has_deadline_issue", "=", true], ["date_deadline", "<", "2026-12-06"], ["scheduled_date", "<", "2026-12-06"]]);
    const waves = all.find((d) => d.key === "waves.late")!;
    assert.deepEqual(waves.domain[0], ["is_wave", "=", true], "batch transfers are not waves");
    const dhl = drills(context, "DHL Express").find((d) => d.key === "carriers.labels")!;
    assert.deepEqual(dhl.domain.at(-1), ["carrier_name", "=", "DHL Express"]);
    assert.equal(dhl.label, "DHL Express label failures (24 h)");
    assert.deepEqual(["late_open_deliveries", "ready_backlog_oldest_age_seconds", "wave_delay_p95_seconds", "label_failure_ratio", "mail_failed", "cron_stuck_jobs", "order_quote_to_confirm_p95_seconds"].map(drillOf),
      ["deliveries.late", "deliveries.ready", "waves.late", "carriers.labels", "jobs.mails", "jobs.crons", "orders.to_ship"]);
  });

  test("a count the user may not make says so, without failing the others", async () => {
    const orm = { searchCount: async (model: string) => {
      if (model === "ir.cron") throw Object.assign(new Error("denied"), { data: { name: "odoo.exceptions.AccessError" } });
      return 7;
    } };
    const counts = await Promise.all(drills(context).map((d) => countOf(orm, d)));
    assert.deepEqual(counts.filter((c) => c.count === null).map((c) => [c.drill.key, c.unavailable]), [["jobs.crons", "Not within your access rights"]]);
    assert.ok(counts.filter((c) => c.count === 7).length === counts.length - 1);
  });

  test("incident cards: business incidents only, urgent first then the oldest, with what they touch and their cause", () => {
    const incident = (i: Partial<IncidentView>): IncidentView => ({ id: 1, ref: "1-mih1k0", tenant: "demo", state: "open", severity: "ticket", title: "T", openedAt: "2026-12-06T10:00:00Z", firstAbnormalAt: "2026-12-06T10:00:00Z", causes: [], alerts: [], ...i });
    const firing = (sli: string, labels: Record<string, string> = {}) => ({ sli, title: sli, labels, state: "firing", severity: "page", since: "2026-12-06T10:00:00Z" });
    const cards = incidentCards([
      incident({ id: 1, alerts: [firing("late_open_deliveries")], firstAbnormalAt: "2026-11-18T08:00:00Z" }),
      incident({ id: 2, severity: "page", alerts: [firing("label_failure_ratio", { carrier: "DHL Express" }), firing("label_latency_p95_seconds", { carrier: "DHL Express" })], causes: [{ rank: 1, layer: "integration", subject: "the DHL Express label service", evidence: "DHL Express label failures 30%", confidence: 0.85 }] }),
      incident({ id: 3, alerts: [firing("host_cpu_ratio")] }),
      incident({ id: 4, state: "resolved", alerts: [firing("late_open_waves")] }),
    ]);
    assert.deepEqual(cards.map((c) => c.id), [2, 1], "infrastructure-only and resolved incidents are the operations team's");
    assert.deepEqual([cards[0]!.urgency, cards[0]!.affects, cards[0]!.carrier, cards[0]!.cause], ["Urgent", ["carriers.labels"], "DHL Express", "the DHL Express label service"]);
    assert.deepEqual([cards[1]!.urgency, cards[1]!.since, cards[1]!.cause], ["To follow up", "2026-11-18T08:00:00Z", null]);
  });

  test("every business service level has a translatable name, the catalogue's", () => {
    assert.deepEqual(Object.fromEntries(Object.entries(SLI_TITLES).map(([id, t]) => [id, t()])), Object.fromEntries([...BUSINESS_SLIS, ...JOURNEY_SIGNALS.filter((d) => isBusiness(d.id))].map((d) => [d.id, d.title])));
    useTranslation((term) => (term === "Carrier label failures" ? "Échecs d'étiquettes" : term));
    try {
      assert.equal(incidentTitle("Carrier label failures (DHL Express)", [{ sli: "label_failure_ratio", title: "Carrier label failures" }]), "Échecs d'étiquettes (DHL Express)");
    } finally {
      useTranslation((term) => term);
    }
  });

  test("the words go through Odoo's translation, with Odoo's %s and %(name)s placeholders", () => {
    useTranslation((term) => ({ "Late": "En retard", "%s label failures (24 h)": "Échecs d'étiquettes %s (24 h)" })[term] ?? term);
    try {
      assert.equal(drills(context).find((d) => d.key === "deliveries.late")!.label, "En retard");
      assert.equal(drills(context, "DHL").find((d) => d.key === "carriers.labels")!.label, "Échecs d'étiquettes DHL (24 h)");
      assert.equal(_t("%(a)s and %(b)s", { a: 1, b: "two" }), "1 and two");
    } finally {
      useTranslation((term) => term);
    }
  });
});
