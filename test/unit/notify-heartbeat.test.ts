import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Tenant } from "../../server/config/load.ts";
import { Secret } from "../../server/config/secret.ts";
import { HEARTBEAT_METHOD, HEARTBEAT_MODEL, OdooAlertSink } from "../../server/notify/odoo.ts";
import { DeliveryError } from "../../server/notify/smtp.ts";
import type { OdooClient } from "../../server/odoo/client.ts";
import { OdooError } from "../../server/odoo/errors.ts";

const tenant: Tenant = { name: "eu", url: "http://odoo.invalid", db: "eu", user: "monitor", credential: new Secret("x"), credentialKind: "password", timezone: "UTC", timeoutMs: 1000, demo: false };

/** An Odoo that answers each call with the next of `answers` (an error is thrown), and counts logins. */
function fakeOdoo(answers: Array<unknown>) {
  const calls: Array<{ model: string; method: string; params: Record<string, unknown> }> = [];
  let logins = 0;
  const client = {
    async execute(model: string, method: string, params: Record<string, unknown>) {
      calls.push({ model, method, params });
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as OdooClient;
  const connect = async () => {
    logins++;
    return client;
  };
  return { calls, connect, logins: () => logins };
}

/**
 * The backend's heartbeat in the tenant's Odoo: one call per cycle on the same logged-in client as the alert
 * records, naming the tenant and the sampling interval (the addon judges "silent" by it); an addon without the
 * heartbeat is not called again for an hour; a failure is a delivery error and the next beat logs in again.
 */
describe("heartbeat to the tenant's Odoo", () => {
  test("one call per beat, on one login, with the tenant and the interval", async () => {
    const odoo = fakeOdoo([{ tenant: "eu" }, { tenant: "eu" }]);
    const sink = new OdooAlertSink([tenant], odoo.connect);
    await sink.heartbeat("eu", 60);
    await sink.heartbeat("eu", 60);
    assert.deepEqual(odoo.calls, [
      { model: HEARTBEAT_MODEL, method: HEARTBEAT_METHOD, params: { tenant: "eu", interval_seconds: 60 } },
      { model: HEARTBEAT_MODEL, method: HEARTBEAT_METHOD, params: { tenant: "eu", interval_seconds: 60 } },
    ]);
    assert.equal(odoo.logins(), 1);
  });

  test("an addon without the heartbeat is asked again an hour later, not every cycle", async () => {
    const odoo = fakeOdoo([new OdooError("missing_model", "Object logistics.backend.heartbeat doesn't exist"), { tenant: "eu" }]);
    const sink = new OdooAlertSink([tenant], odoo.connect);
    const t0 = Date.parse("2026-12-06T10:00:00Z");
    await sink.heartbeat("eu", 60, t0);
    await sink.heartbeat("eu", 60, t0 + 60_000);
    await sink.heartbeat("eu", 60, t0 + 59 * 60_000);
    assert.equal(odoo.calls.length, 1, "skipped within the hour");
    await sink.heartbeat("eu", 60, t0 + 61 * 60_000);
    assert.equal(odoo.calls.length, 2);
  });

  test("an unreachable Odoo is a retryable delivery error, and the next beat logs in again", async () => {
    const odoo = fakeOdoo([new OdooError("unreachable", "cannot connect (ECONNREFUSED)"), { tenant: "eu" }]);
    const sink = new OdooAlertSink([tenant], odoo.connect);
    await assert.rejects(sink.heartbeat("eu", 60), (err: unknown) => err instanceof DeliveryError && err.unreachable && /^odoo unreachable/.test(err.message));
    await sink.heartbeat("eu", 60);
    assert.equal(odoo.logins(), 2);
  });

  test("a user without the right to record alerts is refused, not retried as if Odoo were down", async () => {
    const odoo = fakeOdoo([new OdooError("access", "access rights: Only Logistics Health managers may record alerts")]);
    const sink = new OdooAlertSink([tenant], odoo.connect);
    await assert.rejects(sink.heartbeat("eu", 60), (err: unknown) => err instanceof DeliveryError && !err.retryable && !err.unreachable);
  });

  test("a tenant the configuration does not name is refused", async () => {
    const sink = new OdooAlertSink([tenant], fakeOdoo([]).connect);
    await assert.rejects(sink.heartbeat("us", 60), /no tenant named us/);
  });
});
