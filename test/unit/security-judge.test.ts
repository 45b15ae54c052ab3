import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { auditEventOf } from "../../server/collectors/security.ts";
import type { AuditEvent } from "../../server/security/audit-event.ts";
import { securityReadings, unusualExporters } from "../../server/security/judge.ts";

const NOW = new Date("2026-12-06T10:30:00Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const ev = (e: Partial<AuditEvent> & Pick<AuditEvent, "category">): AuditEvent => ({
  odooId: 1, at: ago(1), action: "", actor: null, login: null, remoteAddr: null, targetModel: null, targetId: null, targetName: null, detail: null, rows: null, ...e,
});
const valueOf = (events: AuditEvent[], sli: string, labels?: Record<string, string>) =>
  securityReadings(NOW, events, []).find((r) => r.sli === sli && (!labels || JSON.stringify(r.labels) === JSON.stringify(labels)))!.value;

describe("security signals from the audit trail", () => {
  test("five failed logins on one login within ten minutes are a burst; four are not", () => {
    const tries = (n: number, minutes = 1) => Array.from({ length: n }, () => ev({ category: "login_failed", login: "anna", remoteAddr: "203.0.113.9", at: ago(minutes) }));
    assert.equal(valueOf(tries(4), "security_login_bursts"), 0);
    // The login and the address each reach five: two bursts.
    assert.equal(valueOf(tries(5), "security_login_bursts"), 2);
    assert.equal(valueOf(tries(5), "security_failed_logins"), 5);
    assert.equal(valueOf(tries(5, 11), "security_login_bursts"), 0, "older than the window");
  });

  test("one address failing on ten different logins within an hour is credential stuffing", () => {
    const stuffing = Array.from({ length: 10 }, (_, i) => ev({ category: "login_failed", login: `user${i}`, remoteAddr: "198.51.100.7", at: ago(5 * i) }));
    assert.equal(valueOf(stuffing, "security_credential_stuffing_sources"), 1);
    assert.equal(valueOf(stuffing.slice(1), "security_credential_stuffing_sources"), 0);
  });

  test("grants of administrator rights in the last hour count; revocations and older grants do not", () => {
    const events = [ev({ category: "privilege", action: "granted" }), ev({ category: "privilege", action: "revoked" }), ev({ category: "privilege", action: "granted", at: ago(61) })];
    assert.equal(valueOf(events, "security_privilege_grants"), 1);
  });

  test("configuration changes by kind, each kind read every time", () => {
    const events = [ev({ category: "config", targetModel: "ir.mail_server" }), ev({ category: "config", targetModel: "ir.config_parameter" }), ev({ category: "module", action: "upgrade" })];
    assert.equal(valueOf(events, "security_config_changes", { kind: "mail_server" }), 1);
    assert.equal(valueOf(events, "security_config_changes", { kind: "module" }), 1);
    assert.equal(valueOf(events, "security_config_changes", { kind: "carrier" }), 0);
    assert.equal(valueOf([ev({ category: "api_key", action: "created" }), ev({ category: "api_key", action: "deleted" })], "security_api_keys_created"), 1);
  });

  test("an export hour far above the user's own habit is unusual; a habitually large exporter is not", () => {
    const hour = (h: number) => new Date(Date.UTC(2026, 11, 6, 10 - h));
    const hours = [
      ...[1, 2, 3, 4].map((h) => ({ actor: "clerk", hour: hour(h), rows: 50 })), { actor: "clerk", hour: hour(0), rows: 5_000 },
      ...[1, 2, 3].map((h) => ({ actor: "analyst", hour: hour(h), rows: 20_000 })), { actor: "analyst", hour: hour(0), rows: 25_000 },
      { actor: "newcomer", hour: hour(0), rows: 900 },
    ];
    assert.deepEqual(unusualExporters(NOW, hours), ["clerk"]);
  });
});

describe("an audit row from Odoo", () => {
  test("is read with its UTC time, and a category this backend does not know is skipped", () => {
    const e = auditEventOf({ id: 7, occurred_at: "2026-12-06 10:29:00", category: "privilege", action: "granted", actor_login: "admin", login: false, remote_addr: false, target_model: "res.users", target_id: 12, target_name: "Administration / Settings", detail: "added", rows: 0 })!;
    assert.equal(e.at.toISOString(), "2026-12-06T10:29:00.000Z");
    assert.equal(e.actor, "admin");
    assert.equal(e.login, null);
    assert.equal(auditEventOf({ id: 8, occurred_at: "2026-12-06 10:29:00", category: "telepathy" }), undefined);
  });
});
