import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { runJourney, StepFailure, type Journey } from "../../server/journeys/journey.ts";
import { assetBundles, csrfToken, isBundle, loginRefusal } from "../../server/journeys/page.ts";
import { journeyReadings } from "../../server/journeys/readings.ts";
import type { WebSession } from "../../server/journeys/session.ts";

const page = (name: string) => readFileSync(new URL(`../fixtures/odoo18/web/${name}`, import.meta.url), "utf8");

describe("Odoo 18 pages as a journey reads them (recorded from a real server)", () => {
  test("the login form's CSRF token", () => {
    assert.match(csrfToken(page("login.html"))!, /^[0-9a-f]{40}o\d+$/);
    assert.equal(csrfToken("<html><body>Maintenance</body></html>"), undefined);
  });
  test("a refused login is the login page again with its alert", () => {
    assert.equal(loginRefusal(page("login-wrong-password.html")), "Wrong login/password");
    assert.equal(loginRefusal(page("login.html")), undefined);
  });
  test("the web client's and the login page's bundles", () => {
    assert.deepEqual(assetBundles(page("webclient.html")).map((p) => p.split("/").at(-1)), ["web.assets_web_print.min.css", "web.assets_web.min.css", "web.assets_web.min.js"]);
    assert.ok(assetBundles(page("login.html")).some((p) => p.endsWith("web.assets_frontend_lazy.min.js")));
  });
  test("a bundle is only one when its type matches and it has a body", () => {
    assert.equal(isBundle("/web/assets/1/web.assets_web.min.js", "application/javascript; charset=utf-8", "x"), true);
    assert.equal(isBundle("/web/assets/1/web.assets_web.min.js", "text/html; charset=utf-8", "<html>"), false);
    assert.equal(isBundle("/web/assets/1/web.assets_web.min.css", "text/css", ""), false);
  });
});

const session = {} as WebSession;
const journey = (failAt?: string): Journey<{ seen: string[] }> => ({
  name: "warehouse",
  start: () => ({ seen: [] }),
  steps: ["login", "assets", "open_delivery", "logout"].map((name) => ({
    name,
    async run(_s, state) {
      state.seen.push(name);
      if (name === failAt) throw new StepFailure(`${name} broke`);
    },
  })),
});

describe("a journey run", () => {
  test("stops at the failing step, names it and its error, and lists the steps never reached", async () => {
    let t = 0;
    const r = await runJourney(journey("assets"), session, () => (t += 100));
    assert.equal(r.ok, false);
    assert.deepEqual(r.steps.map((s) => [s.step, s.ok, s.error]), [["login", true, undefined], ["assets", false, "assets broke"]]);
    assert.deepEqual(r.skipped, ["open_delivery", "logout"]);
    assert.ok(r.steps.every((s) => s.seconds === 0.1));
  });

  test("as readings: success, duration only when it succeeded, one failed-step series per step", async () => {
    const failed = journeyReadings(await runJourney(journey("assets"), session));
    const value = (sli: string, step?: string) => failed.find((x) => x.sli === sli && (step === undefined || x.labels?.step === step));
    assert.equal(value("journey_success")!.value, 0);
    assert.match(value("journey_duration_seconds")!.missing!, /failed at assets/);
    assert.deepEqual(failed.filter((x) => x.sli === "journey_failed_step").map((x) => [x.labels!.step, x.value]), [["login", 0], ["assets", 1], ["open_delivery", 0], ["logout", 0]]);
    assert.match(value("journey_step_seconds", "logout")!.missing!, /not reached: assets failed/);
    const ok = journeyReadings(await runJourney(journey(), session));
    assert.equal(ok.find((x) => x.sli === "journey_success")!.value, 1);
    assert.equal(typeof ok.find((x) => x.sli === "journey_duration_seconds")!.value, "number");
    assert.ok(ok.filter((x) => x.sli === "journey_failed_step").every((x) => x.value === 0));
  });
});
