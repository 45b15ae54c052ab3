/** One row of a tenant's audit trail: who changed what, when (the addon's logistics.audit.event). */
export interface AuditEvent {
  /** The row's id in the tenant's Odoo: the cursor the backend reads on from. */
  odooId: number;
  at: Date;
  category: AuditCategory;
  action: string;
  /** Login of who did it (for a failed login, the user whose login was tried, if one exists). */
  actor: string | null;
  /** The login tried by a failed login; never a password. */
  login: string | null;
  remoteAddr: string | null;
  targetModel: string | null;
  targetId: number | null;
  targetName: string | null;
  detail: string | null;
  rows: number | null;
}

export const AUDIT_CATEGORIES = ["login_failed", "privilege", "user_created", "api_key", "config", "module", "export"] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];
