import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadConfig } from "../../server/config/load.ts";

const dir = mkdtempSync(join(tmpdir(), "lo-config-status-"));
const withStatusPage = (statusPage: unknown, tenants = [{ name: "eu", url: "http://127.0.0.1:8069", db: "eu", user: "u", password: "p" }]) => {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ tenants, statusPage }));
  return loadConfig({}, file);
};

describe("config: statusPage", () => {
  test("defaults: the title, and no public tenant", () => {
    assert.deepEqual(loadConfig({}).statusPage, { title: "Service status", publicTenants: [] });
  });
  test("public tenants must be configured tenants; the demo's in demo mode", () => {
    assert.deepEqual(withStatusPage({ title: "Acme", publicTenants: ["eu"] }).statusPage, { title: "Acme", publicTenants: ["eu"] });
    assert.throws(() => withStatusPage({ publicTenants: ["eu", "us"] }), /statusPage\.publicTenants\[1\]: "us" is not a configured tenant/);
    assert.deepEqual(withStatusPage({ publicTenants: ["demo"] }, []).statusPage.publicTenants, ["demo"]);
  });
  test("unknown keys and an empty title are named", () => {
    assert.throws(() => withStatusPage({ public: ["eu"] }), /statusPage\.public: unknown key/);
    assert.throws(() => withStatusPage({ title: " " }), /statusPage\.title: /);
  });
});
