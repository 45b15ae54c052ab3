import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startBackend, type Backend } from "../../server/app/backend.ts";
import { loadConfig } from "../../server/config/load.ts";
import { silentLogger } from "../../server/log/logger.ts";
import { OdooClient } from "../../server/odoo/client.ts";
import { adminOdoo, browserSuiteSkip, launchChromium, logIn, odooUrl } from "../support/browser.ts";
import { connectAddon } from "../support/odoo-settings.ts";

/**
 * Settings > Logistics Health in a real browser, in a real Odoo 18 with the addon, against a running backend on the
 * demo tenant: Test connection on a URL and token just typed (no "Unsaved changes" dialog, the result as a
 * notification, nothing saved), and empty objective fields showing the objectives in force as placeholders (the
 * backend's, from its catalogue). Needs ODOO_URL (admin login) and Debian's chromium.
 */
const why = browserSuiteSkip("browser settings suite");
const OPERATOR_TOKEN = "settings-browser-operator-0123456789";
const PARAMS = {
  tenant: "logistics_observability.backend_tenant",
  objectives: [
    "logistics_observability.target.on_time_delivery_ratio",
    "logistics_observability.target.late_open_deliveries",
    "logistics_observability.target.label_failure_ratio",
    "logistics_observability.target.order_confirm_to_full_ship_p95_hours",
    "logistics_observability.slo.target",
    "logistics_observability.slo.window_days",
  ],
};

describe("Logistics Health settings in a browser", { skip: why || false }, () => {
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  let odoo: OdooClient;
  let boundToken: string;
  const saved = new Map<string, unknown>();
  const param = (key: string) => odoo.execute("ir.config_parameter", "get_param", { key });
  const setParam = (key: string, value: unknown) => odoo.execute("ir.config_parameter", "set_param", { key, value });

  before(async () => {
    // Objectives of the backend's own configuration that are none of the addon's defaults: the placeholders show
    // where they come from.
    const file = join(mkdtempSync(join(tmpdir(), "settings-browser-")), "backend.json");
    writeFileSync(file, JSON.stringify({ targets: { late_open_deliveries: 7, on_time_delivery_ratio: 0.9 }, slo: { target: 0.995, windowDays: 14 } }));
    backend = await startBackend(loadConfig({ API_TOKEN: OPERATOR_TOKEN, PORT: "0" }, file), silentLogger(), { inMemoryStore: true, schedule: false });
    const created = await fetch(`http://127.0.0.1:${backend.port}/api/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ tenant: "demo", scopes: ["read", "write"], label: "settings browser test" }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    boundToken = ((await created.json()) as { token: string }).token;

    odoo = await adminOdoo();
    for (const key of [PARAMS.tenant, ...PARAMS.objectives]) saved.set(key, await param(key));
    for (const key of [PARAMS.tenant, ...PARAMS.objectives]) await setParam(key, false);
    // Saved as an administrator would: the placeholders come from this backend's catalogue.
    await connectAddon(odoo, `http://127.0.0.1:${backend.port}`, boundToken);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await logIn(page);
    mkdirSync("artifacts", { recursive: true });
  });

  after(async () => {
    await browser?.close();
    if (odoo) for (const [key, value] of saved) await setParam(key, value || false);
    await backend?.stop().catch(() => {});
  });

  const field = (name: string) => page.locator(`.o_field_widget[name="${name}"] input`);

  async function openSettings(): Promise<void> {
    await page.goto(`${odooUrl}/odoo/action-logistics_observability.logistics_settings_action`);
    await field("logistics_backend_url").waitFor({ timeout: 30_000 });
  }

  test("empty objective fields show the objectives in force, from the backend's catalogue", async () => {
    await openSettings();
    const expected: Record<string, string> = {
      logistics_target_on_time: "90",
      logistics_target_late_open: "7",
      logistics_target_label_failures: "1",
      logistics_target_full_ship_p95: "48",
      logistics_slo_target: "99.5",
      logistics_slo_window_days: "14",
    };
    await page.waitForFunction(() => document.querySelector('.o_field_widget[name="logistics_target_late_open"] input')?.getAttribute("placeholder"), undefined, { timeout: 15_000 });
    const seen: Record<string, { value: string; placeholder: string | null; title: string | null }> = {};
    for (const name of Object.keys(expected)) {
      const input = field(name);
      seen[name] = { value: await input.inputValue(), placeholder: await input.getAttribute("placeholder"), title: await input.getAttribute("title") };
    }
    console.log(`# placeholders: ${Object.entries(seen).map(([k, v]) => `${k}=${v.placeholder}`).join(", ")}`);
    for (const [name, placeholder] of Object.entries(expected)) {
      assert.deepEqual(seen[name], { value: "", placeholder, title: "Empty: the backend's objective, shown greyed, applies." }, name);
    }
  });

  test("Test connection on a URL and token just typed: no save dialog, the result as a notification, nothing saved", async () => {
    await openSettings();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Another spelling of the backend's address: the saved token is bound to the saved URL, so only the typed one goes.
    const typedUrl = `http://localhost:${backend.port}`;
    await field("logistics_backend_url").fill(typedUrl);
    await field("logistics_backend_token").fill(boundToken);
    await page.locator(".o_logistics_test_connection").click();
    const notification = page.locator(".o_notification", { hasText: "Connected" });
    await notification.waitFor({ timeout: 15_000 });
    const text = (await notification.innerText()).replace(/\s+/g, " ").trim();
    console.log(`# notification: ${text}`);
    assert.match(text, /Connected: the backend samples 1 tenant\(s\): demo/);
    assert.match(text, /Tenant in the backend: demo, the tenant of this token \(saved with the settings\)/);
    assert.equal(await page.locator(".modal", { hasText: "Unsaved changes" }).count(), 0, "no Unsaved changes dialog");
    assert.equal(await page.locator(".modal").count(), 0, "no dialog at all");
    assert.equal(await field("logistics_backend_tenant").inputValue(), "demo", "the tenant learned from the token fills the empty field");
    await page.screenshot({ path: "artifacts/settings-test-connection.png", fullPage: true });
    assert.equal(await param("logistics_observability.backend_url"), `http://127.0.0.1:${backend.port}`, "the typed URL is not saved by the test");
    assert.equal(await param(PARAMS.tenant), false, "nor the tenant");
    assert.deepEqual(errors, []);
  });

  test("the operator's token typed in the form is refused", async () => {
    await openSettings();
    await field("logistics_backend_token").fill(OPERATOR_TOKEN);
    await page.locator(".o_logistics_test_connection").click();
    const notification = page.locator(".o_notification", { hasText: "operator's token" });
    await notification.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator(".modal").count(), 0);
    assert.equal(await notification.locator(".o_notification_bar.bg-danger").count(), 1, "shown as an error");
    console.log(`# notification: ${(await notification.innerText()).replace(/\s+/g, " ").trim()}`);
  });
});
