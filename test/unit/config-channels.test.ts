import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../server/config/load.ts";

const dir = mkdtempSync(join(tmpdir(), "lo-config-channels-"));
const load = (alerts: unknown) => {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ alerts }));
  return loadConfig({}, file);
};
const SECRET = "s3cret-s3cret-s3cret-s3cret-s3cret";

describe("alerts.alertmanager and alerts.webhooks", () => {
  test("defaults, and secrets that never print", () => {
    const c = load({ alertmanager: { urls: ["http://am:9093"], basicAuth: { username: "lo", password: SECRET } }, webhooks: [{ name: "ops", url: "https://hooks.example.com/x", secret: SECRET }] });
    assert.equal(c.alerts.alertmanager?.resendSeconds, 60);
    assert.equal(c.alerts.alertmanager?.basicAuth?.password.reveal(), SECRET);
    assert.equal(c.alerts.webhooks[0]?.timeoutSeconds, 10);
    assert.ok(!JSON.stringify(c).includes(SECRET) && !inspect(c, { depth: 10 }).includes(SECRET));
    assert.deepEqual(load({}).alerts.webhooks, []);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ["no URL", { alertmanager: { urls: [] } }, /alerts\.alertmanager\.urls: at least one Alertmanager URL/],
    ["credentials in the URL", { alertmanager: { urls: ["http://u:p@am:9093"] } }, /alerts\.alertmanager\.urls\[0\]: no credentials in the URL/],
    ["both kinds of credentials", { alertmanager: { urls: ["http://am:9093"], bearerToken: "t", basicAuth: { username: "u", password: "p" } } }, /alerts\.alertmanager\.bearerToken: set bearerToken or basicAuth, not both/],
    ["a resend past the resolve timeout", { alertmanager: { urls: ["http://am:9093"], resendSeconds: 300 } }, /alerts\.alertmanager\.resendSeconds: at most 240 s/],
    ["a dashboard that is no URL", { alertmanager: { urls: ["http://am:9093"], dashboardUrl: "grafana/{tenant}" } }, /alerts\.alertmanager\.dashboardUrl: an http\(s\) URL/],
    ["an unknown key", { alertmanager: { urls: ["http://am:9093"], resend: 60 } }, /alerts\.alertmanager\.resend: unknown key/],
    ["a short webhook secret", { webhooks: [{ name: "ops", url: "https://h.example.com", secret: "short" }] }, /alerts\.webhooks\[0\]\.secret: at least 32 characters/],
    ["two webhooks of one name", { webhooks: [{ name: "ops", url: "https://a.example.com", secret: SECRET }, { name: "ops", url: "https://b.example.com", secret: SECRET }] }, /alerts\.webhooks: webhook names must be unique/],
    ["a webhook URL that is not http", { webhooks: [{ name: "ops", url: "ftp://h.example.com", secret: SECRET }] }, /alerts\.webhooks\[0\]\.url: an http\(s\) URL/],
  ];
  for (const [name, alerts, message] of bad) {
    test(`refused, naming the key: ${name}`, () => {
      assert.throws(() => load(alerts), (err: Error) => err instanceof ConfigError && message.test(err.message) && !err.message.includes(SECRET));
    });
  }
});
