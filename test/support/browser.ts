import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { Secret } from "../../server/config/secret.ts";
import { OdooClient } from "../../server/odoo/client.ts";

/** The real Odoo and the Chromium the browser suites drive (ODOO_URL and Debian's chromium). */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const odooUrl = process.env.ODOO_URL;
export const ADMIN = { login: process.env.ODOO_USER ?? "admin", password: process.env.ODOO_PASSWORD ?? "admin" };

/** Why a browser suite cannot run here ("" when it can), said once in its output. */
export function browserSuiteSkip(suite: string): string {
  const why = !odooUrl ? "ODOO_URL unset" : !existsSync(CHROMIUM) ? `${CHROMIUM} missing (apt-get install chromium)` : "";
  if (why) console.log(`# ${suite}: NOT RUN (${why})`);
  return why;
}

/** Why a suite that needs Chromium but no Odoo cannot run here ("" when it can), said once in its output. */
export function chromiumSkip(suite: string): string {
  const why = existsSync(CHROMIUM) ? "" : `${CHROMIUM} missing (apt-get install chromium)`;
  if (why) console.log(`# ${suite}: NOT RUN (${why})`);
  return why;
}

/** The suite's JSON-RPC client, as the administrator. */
export function adminOdoo(): Promise<OdooClient> {
  return OdooClient.connect({ url: odooUrl!, db: process.env.ODOO_DB ?? "logistics", user: ADMIN.login, credential: new Secret(ADMIN.password), timeoutMs: 10_000 });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
}

/** Logs in through Odoo's login form, as a user does. */
export async function logIn(page: Page, login = ADMIN.login, password = ADMIN.password): Promise<void> {
  await page.goto(`${odooUrl}/web/login`);
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL(/\/odoo/), page.click("button[type=submit]")]);
}
