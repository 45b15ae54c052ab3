import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../server/config/load.ts";

const fixture = (name: string) => new URL(`../fixtures/config/${name}`, import.meta.url).pathname;

describe("config: file + environment, validated once", () => {
  test("a good file gives typed tenants with masked credentials", () => {
    const c = loadConfig({}, fixture("good.json"));
    assert.equal(c.port, 8090);
    assert.equal(c.demo, false);
    assert.deepEqual(c.tenants.map((t) => [t.name, t.credentialKind, t.timezone]), [["eu-warehouse", "apiKey", "Europe/Brussels"], ["us-warehouse", "password", "UTC"]]);
    assert.equal(c.tenants[1]!.credential.reveal(), "pw-us");
    const printed = JSON.stringify(c) + inspect(c, { depth: 10 }) + String(c.apiToken);
    for (const secret of ["pw-us", "key-eu", "a-long-enough-api-token"]) assert.ok(!printed.includes(secret), `${secret} leaked`);
  });

  test("no config at all is the demo", () => {
    const c = loadConfig({});
    assert.equal(c.demo, true);
    assert.equal(c.sampling.intervalSeconds, 60);
  });

  test("environment alone configures one tenant, and overrides the file", () => {
    const c = loadConfig({ ODOO_URL: "http://127.0.0.1:8069", ODOO_DB: "logistics", ODOO_USER: "admin", ODOO_PASSWORD: "admin", PORT: "9000", API_TOKEN: "0123456789abcdef0" });
    assert.equal(c.port, 9000);
    assert.deepEqual(c.tenants.map((t) => [t.name, t.url, t.db]), [["default", "http://127.0.0.1:8069", "logistics"]]);
    assert.equal(loadConfig({ PORT: "9001" }, fixture("good.json")).port, 9001);
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ["unknown key is named", () => loadConfig({}, fixture("bad-unknown-key.json")), /tenants\[0\]\.pasword: unknown key/],
    ["bad value is named", () => loadConfig({}, fixture("bad-value.json")), /sampling\.intervalSeconds: /],
    ["bad URL scheme and missing credential", () => loadConfig({}, fixture("bad-tenant.json")), /tenants\[0\]\.url: an http\(s\) URL.*tenants\[0\]\.password: set exactly one of password and apiKey/],
    ["malformed JSON", () => loadConfig({}, fixture("bad-json.json")), /bad-json\.json: not valid JSON/],
    ["missing file", () => loadConfig({}, "/nonexistent.json"), /cannot be read \(ENOENT\)/],
    ["bad environment value names the variable", () => loadConfig({ PORT: "eighty" }), /port \(from PORT\): /],
    ["incomplete tenant from the environment", () => loadConfig({ ODOO_URL: "http://o" }), /tenants\[0\]\.db \(from ODOO_DB\)|tenants\[0\]\.db: /],
    ["both password and key", () => loadConfig({ ODOO_URL: "http://o", ODOO_DB: "d", ODOO_USER: "u", ODOO_PASSWORD: "p", ODOO_API_KEY: "k" }), /set exactly one of password and apiKey/],
  ];
  for (const [name, fn, message] of bad) {
    test(`refused: ${name}`, () => {
      assert.throws(fn, (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  test("error messages never carry a secret", () => {
    try {
      loadConfig({ ODOO_URL: "not a url", ODOO_DB: "d", ODOO_USER: "u", ODOO_PASSWORD: "s3cret-value" });
      assert.fail("should throw");
    } catch (err) {
      assert.ok(!(err as Error).message.includes("s3cret-value"));
    }
  });
});

test("a cadence that cannot be aligned on the clock is refused at start-up", () => {
  assert.throws(() => loadConfig({ SAMPLE_INTERVAL_SECONDS: "61" }), /sampling\.intervalSeconds \(from SAMPLE_INTERVAL_SECONDS\): must divide 60/);
});

test("the docker-compose stack's backend config is valid", () => {
  const env = { ODOO_URL: "http://odoo:8069", ODOO_DB: "odoo", ODOO_USER: "admin", ODOO_PASSWORD: "admin", PG_MONITOR_URL: "postgres://logistics_monitor:m0nitor-pw@postgres:5432/postgres", HOST: "0.0.0.0" };
  const c = loadConfig(env, new URL("../../deploy/backend.json", import.meta.url).pathname);
  assert.deepEqual(Object.keys(c.sources).sort(), ["host", "postgres", "redis", "traefik"]);
  assert.equal(c.host, "0.0.0.0");
  assert.ok(!JSON.stringify(c).includes("m0nitor-pw"), "the monitor password is a secret");
});

test("credentials in a tenant URL are refused, naming the key; the server binds loopback by default", () => {
  assert.throws(
    () => loadConfig({ ODOO_URL: "https://admin:hunter22@odoo.example.com", ODOO_DB: "odoo", ODOO_USER: "admin", ODOO_PASSWORD: "x" }),
    (err: Error) => /tenants\[0\]\.url \(from ODOO_URL\): no credentials in the URL/.test(err.message) && !err.message.includes("hunter22"),
  );
  assert.equal(loadConfig({}).host, "127.0.0.1");
});

test("alerting: a bad recipient is named, the SMTP password is a secret", () => {
  const dir = mkdtempSync(join(tmpdir(), "lo-conf-"));
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ alerts: { recipients: ["not-an-address"] } }));
  assert.throws(() => loadConfig({}, bad), /alerts\.recipients\[0\]: /);
  const good = join(dir, "good.json");
  writeFileSync(good, JSON.stringify({ alerts: { recipients: ["ops@example.com"], smtp: { host: "mail", from: "obs@example.com", user: "obs", password: "smtp-s3cret" } } }));
  const c = loadConfig({}, good);
  assert.equal(c.alerts.smtp!.password!.reveal(), "smtp-s3cret");
  assert.ok(!JSON.stringify(c).includes("smtp-s3cret"));
});
