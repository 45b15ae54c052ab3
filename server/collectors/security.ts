import type { Tenant } from "../config/load.ts";
import { OdooClient } from "../odoo/client.ts";
import { parseOdooDatetime } from "../odoo/datetime.ts";
import { OdooError } from "../odoo/errors.ts";
import { AUDIT_CATEGORIES, type AuditCategory, type AuditEvent } from "../security/audit-event.ts";
import { securityReadings } from "../security/judge.ts";
import { SECURITY_SIGNALS } from "../sli/journey-security-catalog.ts";
import { reading, type Reading } from "../sli/sample.ts";
import type { Store } from "../store/store.ts";
import type { CollectContext, Collector } from "./collector.ts";

export const AUDIT_MODEL = "logistics.audit.event";
const FIELDS = ["occurred_at", "category", "action", "actor_login", "login", "remote_addr", "target_model", "target_id", "target_name", "detail", "rows"];
/** Rows copied per RPC, and RPCs per cycle at most: a backlog of a million failed logins catches up over cycles. */
const PAGE = 1_000;
const MAX_PAGES = 10;
const HOUR = 3_600_000;
/** An Odoo without the audit trail is asked again after this many cycles, so that installing the addon is noticed. */
const RECHECK_ABSENT_CYCLES = 30;

type Row = Record<string, unknown> & { id: number };
const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

/** One audit row as the backend keeps it; a category the backend does not know (a newer addon) is skipped. */
export function auditEventOf(r: Row): AuditEvent | undefined {
  const at = parseOdooDatetime(r.occurred_at);
  const category = r.category as AuditCategory;
  if (!at || !AUDIT_CATEGORIES.includes(category)) return undefined;
  return {
    odooId: r.id, at, category, action: text(r.action) ?? "", actor: text(r.actor_login), login: text(r.login), remoteAddr: text(r.remote_addr),
    targetModel: text(r.target_model), targetId: typeof r.target_id === "number" && r.target_id ? r.target_id : null, targetName: text(r.target_name),
    detail: text(r.detail), rows: typeof r.rows === "number" ? r.rows : null,
  };
}

/**
 * Security and governance of one tenant: copies the addon's audit trail (failed logins, privilege changes, API
 * keys, configuration, modules, exports) into the store, and judges the recent trail. Without the addon's audit
 * model every signal is missing with the reason.
 */
export class SecurityCollector implements Collector {
  /** Its readings go out with the tenant's business run (odoo-tenant.ts): one run per tenant's Odoo. */
  readonly source = "odoo_business";
  readonly slis = SECURITY_SIGNALS.map((d) => d.id);
  /** Cycles left before looking again for an audit trail that was not installed (an RPC per cycle saved). */
  #absentFor = 0;

  constructor(
    private readonly tenantConfig: Tenant,
    private readonly store: Store,
    /** The tenant's logged-in client: the business run's own (odoo-tenant.ts), never a second login. */
    private readonly client: () => Promise<OdooClient>,
  ) {}

  get tenant(): string {
    return this.tenantConfig.name;
  }

  async collect({ now }: CollectContext): Promise<Reading[]> {
    if (this.#absentFor > 0) {
      this.#absentFor--;
      return this.absent();
    }
    try {
      await this.copyTrail();
    } catch (err) {
      if (!(err instanceof OdooError)) throw err;
      if (err.kind === "missing_model") {
        this.#absentFor = RECHECK_ABSENT_CYCLES;
        return this.absent();
      }
      // Odoo down or the login refused is the business collector's page already (one tenant, one cause): here the
      // signals are missing with the reason, and the trail is read on from where it stopped once Odoo answers.
      const why = err.kind === "access" ? `the backend's Odoo user cannot read the audit trail (needs Logistics Health / Manager): ${err.message}` : `audit trail not read: ${err.message}`;
      return this.slis.map((sli) => reading(sli, undefined, why));
    }
    const recent = await this.store.audit.recent(this.tenant, now);
    const exports = await this.store.audit.exportedRowsByHour(this.tenant, new Date(now.getTime() - 14 * 24 * HOUR));
    return securityReadings(now, recent, exports);
  }

  absent(): Reading[] {
    return this.slis.map((sli) => reading(sli, undefined, "the addon's audit trail is not installed (logistics_observability 18.0.1.5.0 or later)"));
  }

  private async copyTrail(): Promise<void> {
    const client = await this.client();
    let last = await this.store.audit.lastOdooId(this.tenant);
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await client.searchRead<Row>(AUDIT_MODEL, [["id", ">", last]], FIELDS, { order: "id asc", limit: PAGE });
      await this.store.audit.append(this.tenant, rows.map(auditEventOf).filter((e): e is AuditEvent => e !== undefined));
      if (rows.length < PAGE) return;
      last = rows.at(-1)!.id;
    }
  }
}
