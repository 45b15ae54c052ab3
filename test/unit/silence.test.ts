import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inhibitedBy, silenceMatches, type AlertIdentity, type Silence } from "../../server/detect/silence.ts";

const alert = (over: Partial<AlertIdentity> = {}): AlertIdentity => ({ tenant: "eu", sli: "label_failure_ratio", labels: { carrier: "DHL" }, layer: "business", ...over });
const silence = (matchers: Record<string, string>): Silence => ({ id: 1, matchers, creator: "ops", comment: "carrier outage known", startsAt: 0, endsAt: 1000 });

describe("silences", () => {
  const cases: Array<[string, Silence, AlertIdentity, number, boolean]> = [
    ["tenant and sli match", silence({ tenant: "eu", sli: "label_failure_ratio" }), alert(), 10, true],
    ["label matcher", silence({ carrier: "DHL" }), alert(), 10, true],
    ["another carrier is not silenced", silence({ carrier: "UPS" }), alert(), 10, false],
    ["another tenant is not silenced", silence({ tenant: "us" }), alert(), 10, false],
    ["expired", silence({ tenant: "eu" }), alert(), 1000, false],
    ["not started", { ...silence({ tenant: "eu" }), startsAt: 500 }, alert(), 10, false],
  ];
  for (const [name, s, a, now, want] of cases) test(name, () => assert.equal(silenceMatches(s, a, now), want));
});

describe("inhibition", () => {
  const cases: Array<[string, AlertIdentity, Array<{ tenant: string; source: string }>, string | null]> = [
    ["nothing failing", alert(), [], null],
    ["its Odoo unreachable inhibits a business alert", alert(), [{ tenant: "eu", source: "odoo_business" }], "odoo unreachable for eu"],
    ["another tenant's Odoo does not", alert(), [{ tenant: "us", source: "odoo_business" }], null],
    // A missing extension in the monitored database once silenced every business alert of every tenant.
    ["a failing PostgreSQL collector does not inhibit business alerts", alert(), [{ tenant: "global", source: "postgres" }], null],
    ["PostgreSQL down inhibits database alerts", alert({ sli: "pg_lock_waiting_sessions", layer: "database", labels: {} }), [{ tenant: "global", source: "postgres" }], "postgresql collector failing"],
    ["PostgreSQL down does not hide a certificate expiring", alert({ sli: "tls_leaf_expiry_days", layer: "tls", labels: { endpoint: "odoo" } }), [{ tenant: "global", source: "postgres" }], null],
  ];
  for (const [name, a, failing, want] of cases) test(name, () => assert.equal(inhibitedBy(a, failing), want));
});
