import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { incidentBody, incidentRef, incidentSubject, odooIncidentNotification } from "../../server/alerts/incident-text.ts";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { INCIDENT_MODEL, RECORD_METHOD } from "../../server/notify/odoo.ts";
import { OdooClient } from "../../server/odoo/client.ts";
import { BUSINESS_SLIS } from "../../server/sli/catalog.ts";
import { journeyReadings } from "../../server/journeys/readings.ts";
import { stamp } from "../../server/sli/sample.ts";
import { adminOdoo, browserSuiteSkip, launchChromium, logIn, odooUrl } from "../support/browser.ts";
import { connectAddon } from "../support/odoo-settings.ts";

/**
 * The dashboard in a real browser, in a real Odoo 18 with the addon installed, against a running backend on the
 * demo tenant; the demo's DHL label incident in Odoo's Incidents menu; then the dashboard with the backend stopped.
 * Needs ODOO_URL (admin login) and Debian's chromium.
 */
const why = browserSuiteSkip("browser suite");
const TOKEN = "browser-test-token-0123456789";

describe("Logistics Health dashboard in a browser", { skip: why || false }, () => {
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  let odoo: OdooClient;
  let incidentRecord: number | undefined;

  before(async () => {
    backend = await startBackend(loadConfig({ API_TOKEN: TOKEN, PORT: "0", SAMPLE_INTERVAL_SECONDS: "60" }), silentLogger(), { inMemoryStore: true });
    await new Promise((r) => setTimeout(r, 1500)); // the first cycle runs at start
    // Two more readings: the demo's DHL label outage then burns its budget at 100x. It already failed at the first
    // reading, so it is a known condition: a ticket, not a page.
    for (let i = 0; i < 2; i++) for (const c of backend.collectors) await backend.runner.run(c);
    odoo = await adminOdoo();
    await connectAddon(odoo, `http://127.0.0.1:${backend.port}`, TOKEN);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await logIn(page);
    mkdirSync("artifacts", { recursive: true });
  });

  after(async () => {
    if (incidentRecord) await odoo.executeOn(INCIDENT_MODEL, "unlink", [incidentRecord]);
    await browser?.close();
    await backend?.stop().catch(() => {});
  });

  test("incident first: what needs attention on top, then every business SLI in its area with a value, breaches first", async () => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
    await page.waitForSelector(".o_logistics_tile", { timeout: 30_000 });
    const nowTop = (await page.locator(".o_logistics_now").boundingBox())!.y;
    const areasTop = (await page.locator(".o_logistics_areas").boundingBox())!.y;
    assert.ok(nowTop < areasTop, "what needs attention comes before the service levels");
    const areas = await page.$$eval(".o_logistics_area", (els) => els.map((e) => ({ id: e.getAttribute("data-area"), statuses: [...e.querySelectorAll(".o_logistics_tile")].map((t) => t.getAttribute("data-status")) })));
    assert.deepEqual(new Set(areas.map((a) => a.id)), new Set(["orders", "deliveries", "waves", "carriers", "jobs"]));
    const breached = areas.map((a) => a.statuses.includes("breach"));
    assert.deepEqual(breached, [...breached].sort((a, b) => Number(b) - Number(a)), `areas with a breach first: ${JSON.stringify(areas)}`);
    for (const a of areas) assert.deepEqual(a.statuses, [...a.statuses].sort((x, y) => Number(y === "breach") - Number(x === "breach")), `breaches first in ${a.id}`);
    const tiles = await page.$$eval(".o_logistics_tile", (els) => els.map((e) => ({ sli: e.getAttribute("data-sli"), value: e.querySelector(".o_logistics_value")?.textContent?.trim() })));
    await page.screenshot({ path: "artifacts/dashboard.png", fullPage: true });
    const shown = new Set(tiles.filter((t) => t.value && t.value !== "—").map((t) => t.sli));
    const without = BUSINESS_SLIS.map((d) => d.id).filter((id) => !shown.has(id));
    assert.deepEqual(without, [], `tiles without a value: ${without.join(", ")}`);
    assert.equal(await page.locator(".o_logistics_banner").count(), 0);
    assert.deepEqual(errors, []);
  });

  test("the DHL label incident reads in plain words: since when, what it touches, its probable cause; budgets in a manager's words", async () => {
    const card = page.locator(".o_logistics_incident", { hasText: "DHL Express" }).first();
    await card.waitFor({ timeout: 15_000 });
    const text = await card.innerText();
    assert.match(text, /To follow up\s+Carrier label failures \(DHL Express\)/);
    assert.match(text, /Probable cause: the DHL Express label service/);
    assert.match(await card.locator(".o_logistics_incident_since").innerText(), /^Since \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \([\d.]+ (sec|min|hr|days?) ago\)$/, "Odoo's date format, then its age");
    assert.match(await card.locator(".o_logistics_affected").first().innerText(), /^\d+ · DHL Express label failures \(24 h\)$/);
    const budget = page.locator('.o_logistics_tile[data-sli="label_failure_ratio"] .o_logistics_budget');
    assert.match(await budget.innerText(), /^\d+(\.\d)?% of this month's allowance used · at this pace, used up in /);
    assert.equal(await page.locator(".o_logistics_alerts, .o_logistics_all_clear").count(), 0, "no 'all within objective' beside an incident");
    await page.screenshot({ path: "artifacts/dashboard.png", fullPage: true });
  });

  test("a tile opens its trend with the objective line; a count opens Odoo's list with Odoo's own filter", async () => {
    await page.locator('.o_logistics_tile[data-sli="late_open_deliveries"]').click();
    const trend = page.locator('.o_logistics_area[data-area="deliveries"] .o_logistics_trend');
    await trend.waitFor({ timeout: 15_000 });
    const datasets = await trend.locator("canvas").evaluate((c) => (globalThis as unknown as { Chart: { getChart(c: unknown): { data: { datasets: Array<{ label: string; data: unknown[] }> } } } }).Chart.getChart(c)!.data.datasets.map((d) => ({ label: d.label, first: d.data[0] })));
    assert.deepEqual(datasets[1], { label: "Objective", first: 10 }, "the objective as a line at its value");
    await page.screenshot({ path: "artifacts/dashboard-trend.png", fullPage: true });
    const late = page.locator('.o_logistics_count[data-drill="deliveries.late"]');
    const count = Number((await late.locator(".badge").innerText()).trim());
    await late.click();
    await page.waitForSelector(".o_list_view", { timeout: 15_000 });
    const facets = (await page.locator(".o_searchview_facet").allInnerTexts()).join(" | ");
    assert.match(facets, /Late/);
    assert.match(facets, /Deliveries/);
    const rows = await page.locator(".o_list_view .o_data_row").count();
    assert.equal(rows, Math.min(count, 80), `the list shows the ${count} counted`);
  });

  test("the Incidents menu opens the backend's DHL label incident: its first cause, the evidence and the timeline", async () => {
    const [incident] = (await backend.store.incidents.list({ tenant: "demo", state: "open" }))
      .filter((i) => i.alerts.some((a) => a.sli === "label_failure_ratio" && a.labels.carrier === "DHL Express"));
    assert.ok(incident, "the demo's DHL label outage is an open incident");
    const [cause] = incident.causes;
    assert.equal(cause?.subject, "the DHL Express label service");
    // A rerun within the same millisecond of the same store is the only way to meet an earlier record of it.
    const earlier = await odoo.searchRead<{ id: number }>(INCIDENT_MODEL, [["incident_ref", "=", incidentRef(incident)]], ["id"]);
    if (earlier.length) await odoo.executeOn(INCIDENT_MODEL, "unlink", earlier.map((r) => r.id));
    // As the dispatcher records it once the operations addresses have had the email: without a mail from Odoo.
    const key = `incident/${incidentRef(incident)}/opened/${incident.timeline.length}/odoo`;
    const notification = { ...odooIncidentNotification(incident, "opened", key, incidentSubject(incident, "opened"), incidentBody(incident, "opened")), mail: false };
    const [recorded] = (await odoo.execute(INCIDENT_MODEL, RECORD_METHOD, { notifications: [notification] })) as Array<{ id: number; duplicate: boolean }>;
    assert.equal(recorded!.duplicate, false);
    incidentRecord = recorded!.id;

    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
    await page.locator(".o_menu_sections").getByText("Incidents", { exact: true }).click();
    const row = page.locator(".o_list_view .o_data_row", { hasText: incident.title }).filter({ hasText: "demo" });
    await row.first().waitFor({ timeout: 30_000 });
    assert.equal(await row.count(), 1, "listed once, among the open incidents");
    assert.match(await row.innerText(), /the DHL Express label service/);
    await row.click();
    const form = page.locator(".o_form_view");
    await form.waitFor({ timeout: 15_000 });
    assert.equal((await form.locator(".oe_title").innerText()).trim(), incident.title);
    assert.equal((await form.locator('.o_field_widget[name="probable_cause"]').innerText()).trim(), cause.subject);
    const causes = form.locator('.o_field_widget[name="cause_ids"] .o_data_row');
    assert.equal(await causes.count(), incident.causes.length);
    const first = await causes.first().locator("td").allInnerTexts();
    assert.deepEqual(first.slice(0, 4).map((t) => t.trim()), ["1", cause.subject, "integration", cause.evidence]);
    assert.match(cause.evidence, /^DHL Express carrier label failures \d+(\.\d)?% since first sampled at \d\d:\d\d UTC(, while [12] other carriers? prints? normally|, and every other carrier began failing with it)$/);
    await page.screenshot({ path: "artifacts/incident-form.png", fullPage: true, animations: "disabled" });

    await form.locator(".o_notebook .nav-link", { hasText: "Timeline" }).click();
    await form.locator(".o_notebook .nav-link.active", { hasText: "Timeline" }).waitFor({ timeout: 15_000 });
    const entries = form.locator('.o_field_widget[name="timeline_ids"] .o_data_row');
    await entries.first().waitFor({ timeout: 15_000 });
    const texts = (await entries.locator('td[name="text"]').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(texts, incident.timeline.map((e) => e.text), "the whole timeline, in order");
    assert.ok(texts.some((t) => t.startsWith("probable cause: the DHL Express label service (")), texts.join("; "));
    await page.screenshot({ path: "artifacts/incident-timeline.png", fullPage: true, animations: "disabled" });
    assert.deepEqual(errors, []);
  });

  test("a Logistics Health / User only user: no error dialog, every tile with a value, counts say what they cannot show", async () => {
    const [group] = await odoo.searchRead<{ res_id: number }>("ir.model.data", [["module", "=", "logistics_observability"], ["name", "=", "group_logistics_health_user"]], ["res_id"]);
    const login = `lo_viewer_${process.pid}`;
    const [user] = (await odoo.executeOn("res.users", "web_save", [], {
      vals: { name: "Shift viewer", login, password: `${login}-pw`, groups_id: [[6, 0, [group!.res_id]]] },
      specification: {},
    })) as Array<{ id: number }>;
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      const viewer = await context.newPage();
      const errors: string[] = [];
      viewer.on("pageerror", (e) => errors.push(e.message));
      await logIn(viewer, login, `${login}-pw`);
      await viewer.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
      await viewer.waitForSelector(".o_logistics_tile", { timeout: 30_000 }).catch(async (err: Error) => {
        await viewer.screenshot({ path: "artifacts/dashboard-user-only.png", fullPage: true });
        throw err;
      });
      await viewer.waitForSelector(".o_logistics_unavailable", { timeout: 15_000 });
      await viewer.waitForTimeout(1000);
      await viewer.screenshot({ path: "artifacts/dashboard-user-only.png", fullPage: true });
      assert.equal(await viewer.locator(".o_error_dialog, .modal .o_dialog_error, .o_dialog .modal-title:has-text('Error')").count(), 0, "no error dialog");
      const values = await viewer.$$eval(".o_logistics_tile .o_logistics_value", (els) => els.map((e) => e.textContent?.trim()));
      assert.ok(values.length >= BUSINESS_SLIS.length && values.every((v) => v && v !== "—"), "every tile has its value from the backend");
      const unavailable = await viewer.locator(".o_logistics_unavailable").allInnerTexts();
      assert.ok(unavailable.some((t) => /access rights do not include deliveries/.test(t)), unavailable.join(" | "));
      const clickable = await viewer.locator(".o_logistics_count").evaluateAll((els) => els.map((e) => e.getAttribute("data-drill")));
      assert.deepEqual(clickable, ["carriers.labels"], "only the counts this user may open: the label events of Logistics Health");
      await viewer.locator(".o_logistics_count").first().click();
      await viewer.waitForSelector(".o_list_view", { timeout: 15_000 });
      assert.equal(await viewer.locator(".o_error_dialog").count(), 0);
      await viewer.goBack();
      await viewer.waitForSelector(".o_logistics_tile", { timeout: 30_000 });
      await viewer.locator(".o_logistics_open_incident").first().click();
      await viewer.waitForTimeout(1500);
      assert.equal(await viewer.locator(".o_error_dialog").count(), 0, "opening an incident is explained, never an error");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await odoo.executeOn("res.users", "write", [user!.id], { vals: { active: false } });
    }
  });

  test("on a phone: incidents as cards on top, the first breach visible without scrolling", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await page.context().storageState() });
    try {
      const p = await phone.newPage();
      await p.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
      await p.waitForSelector(".o_logistics_tile", { timeout: 30_000 });
      const first = p.locator(".o_logistics_incident, .o_logistics_tile[data-status=breach]").first();
      const box = (await first.boundingBox())!;
      await p.screenshot({ path: "artifacts/dashboard-phone.png" });
      assert.ok(box.y + Math.min(box.height, 120) <= 844, `the first breach starts at ${Math.round(box.y)} px of an 844 px screen`);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling (${width} px)`);
    } finally {
      await phone.close();
    }
  });

  test("a Brussels user reading French: French words, times on the Brussels clock in Odoo's French format", async () => {
    const [fr] = await odoo.searchRead<{ id: number; active: boolean }>("res.lang", [["code", "=", "fr_FR"], ["active", "in", [true, false]]], ["id", "active"]);
    if (!fr!.active) {
      const [wizard] = (await odoo.executeOn("base.language.install", "web_save", [], { vals: { lang_ids: [[6, 0, [fr!.id]]], overwrite: false }, specification: {} })) as Array<{ id: number }>;
      await odoo.executeOn("base.language.install", "lang_install", [wizard!.id]);
    }
    const [group] = await odoo.searchRead<{ res_id: number }>("ir.model.data", [["module", "=", "logistics_observability"], ["name", "=", "group_logistics_health_user"]], ["res_id"]);
    const login = `lo_bruxelles_${process.pid}`;
    const [user] = (await odoo.executeOn("res.users", "web_save", [], {
      vals: { name: "Chef de quai", login, password: `${login}-pw`, lang: "fr_FR", tz: "Europe/Brussels", groups_id: [[6, 0, [group!.res_id]]] },
      specification: {},
    })) as Array<{ id: number }>;
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, timezoneId: "Europe/Brussels", locale: "fr-FR" });
    try {
      const p = await context.newPage();
      await logIn(p, login, `${login}-pw`);
      await p.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
      await p.waitForSelector(".o_logistics_tile", { timeout: 30_000 });
      await p.screenshot({ path: "artifacts/dashboard-fr-brussels.png", fullPage: true });
      assert.equal((await p.locator(".o_logistics_now h5").innerText()).trim(), "Ce qui demande votre attention");
      const areas = (await p.locator(".o_logistics_area .card-header .fw-bold").allInnerTexts()).map((t) => t.replace(/\s*Manqués\s*:\s*\d+$/, "").trim());
      assert.ok(areas.includes("Livraisons") && areas.includes("Transporteurs"), areas.join(", "));
      const statuses = new Set(await p.locator(".o_logistics_tile .badge").allInnerTexts());
      assert.ok([...statuses].every((t) => ["Objectif tenu", "Objectif manqué", "Aucune donnée"].includes(t.trim())), [...statuses].join(", "));
      const newest = ((await (await fetch(`http://127.0.0.1:${backend.port}/api/v1/slis/current`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { slis: Array<{ at: string }> }).slis.map((x) => x.at).sort().at(-1)!;
      const shown = (await p.locator(".o_logistics_updated").innerText()).replace(/\s+/g, " ").trim();
      const [, d, mo, y, h, mi, sec] = /^Dernières données : (\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(shown) ?? assert.fail(`not Odoo's French format: ${shown}`);
      // Read as Brussels winter time (UTC+1): within a sampling cycle of the backend's newest reading.
      const asBrussels = Date.UTC(+y!, +mo! - 1, +d!, +h! - 1, +mi!, +sec!);
      assert.ok(Math.abs(asBrussels - Date.parse(newest)) <= 90_000, `${shown} is ${newest} on the Brussels clock`);
      assert.match(await p.locator('.o_logistics_tile[data-sli="on_time_delivery_ratio"] .o_logistics_value').innerText(), /^\d+(,\d)?\s%$/, "French numbers");
    } finally {
      await context.close();
      await odoo.executeOn("res.users", "write", [user!.id], { vals: { active: false } });
    }
  });

  test("the Scorecard menu answers the five questions the business asks, each with a verdict", async () => {
    await page.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
    await page.locator(".o_menu_sections").getByText("Scorecard", { exact: true }).click();
    await page.waitForSelector(".o_logistics_answer", { timeout: 30_000 });
    const answers = await page.$$eval(".o_logistics_answer", (els) => els.map((e) => ({ key: e.getAttribute("data-question"), answer: e.getAttribute("data-answer"), verdict: e.querySelector(".o_logistics_verdict")?.textContent?.trim() })));
    assert.deepEqual(answers.map((a) => a.key), ["detection", "isolation", "backups", "tenants", "changes"]);
    for (const a of answers) {
      assert.ok(["yes", "partly", "no", "unknown"].includes(a.answer!), JSON.stringify(a));
      assert.ok(a.verdict && a.verdict.length > 10, JSON.stringify(a));
    }
    assert.match(answers[1]!.verdict!, /incident/i, "isolation is judged on the demo's incidents");
    await page.locator(".o_logistics_scorecard .btn-group button", { hasText: "90" }).click();
    await page.waitForFunction(() => document.querySelector(".o_logistics_scorecard .btn-group .btn-primary")?.textContent?.includes("90"));
    await page.screenshot({ path: "artifacts/scorecard.png", fullPage: true });
  });

  test("the User journeys area: each journey's success and duration, a failed one first", async () => {
    // The demo Odoo serves no web client: the journeys' readings are those of a run that failed at the portal's page.
    const at = new Date();
    const runs = [
      { journey: "warehouse", ok: true, seconds: 0.9, steps: [{ step: "login", ok: true, seconds: 0.4 }, { step: "open_delivery", ok: true, seconds: 0.05 }], skipped: [] },
      { journey: "portal", ok: false, seconds: 4, steps: [{ step: "page", ok: false, seconds: 4, error: "no answer within 4000 ms" }], skipped: ["assets"] },
    ];
    await backend.store.recordRun("demo", "odoo_journey", runs.flatMap(journeyReadings).map((r) => stamp("demo", "odoo_journey", at, r)));
    await page.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
    const area = page.locator('.o_logistics_area[data-area="journeys"]');
    await area.waitFor({ timeout: 30_000 });
    assert.match(await area.innerText(), /User journeys/);
    const tiles = await area.locator(".o_logistics_tile").evaluateAll((els) => els.map((e) => ({ sli: e.getAttribute("data-sli"), status: e.getAttribute("data-status"), text: (e as HTMLElement).innerText })));
    assert.deepEqual(new Set(tiles.map((t) => t.sli)), new Set(["journey_success", "journey_duration_seconds"]), "steps stay in the incident, not in tiles");
    assert.equal(tiles[0]!.status, "breach", "the failed journey first");
    assert.match(tiles[0]!.text, /Synthetic journey success/);
    await area.screenshot({ path: "artifacts/dashboard-journeys.png" });
  });

  test("with the backend stopped: a banner with the time of the last data, and Odoo stays usable", async () => {
    await backend.stop();
    await page.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_dashboard_action`);
    const banner = page.locator(".o_logistics_banner");
    await banner.waitFor({ timeout: 30_000 });
    assert.match(await banner.innerText(), /unreachable.*Last data: /s);
    const now = await page.locator(".o_logistics_now").innerText();
    assert.doesNotMatch(now, /within its objective/, "no 'all within objective' while the backend is away");
    assert.match(now, /Unknown: without the backend/);
    assert.equal(await page.locator(".o_logistics_incident").count(), 0, "no incident shown as if current");
    assert.ok((await page.locator(".o_logistics_count").count()) > 0, "Odoo's own counts still open their lists");
    await page.screenshot({ path: "artifacts/dashboard-backend-down.png", fullPage: true });
    await page.goto(`${odooUrl}/odoo/action-stock.action_picking_tree_all`);
    await page.waitForSelector(".o_list_view", { timeout: 30_000 });
  });
});
