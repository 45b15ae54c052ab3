/**
 * One reading of an SLI: a value, or the reason there is none. A failed, timed-out or empty reading is never 0:
 * a dashboard that shows 0 late deliveries because Odoo was down would lie.
 */
export type Reading = {
  sli: string;
  labels?: Record<string, string>;
  /** Set by shared collectors (PostgreSQL) whose readings belong to several tenants; else the collector's own. */
  tenant?: string;
} & ({ value: number; missing?: undefined } | { value?: undefined; missing: string });

/** A reading stamped with its tenant, source and time, as stored and served. */
export interface Sample {
  tenant: string;
  source: string;
  sli: string;
  labels: Record<string, string>;
  at: Date;
  value: number | null;
  missing: string | null;
}

export function reading(sli: string, value: number | undefined, whyMissing: string, labels?: Record<string, string>): Reading {
  return value === undefined ? { sli, labels, missing: whyMissing } : { sli, labels, value };
}

export function stamp(tenant: string, source: string, at: Date, r: Reading): Sample {
  return { tenant: r.tenant ?? tenant, source, sli: r.sli, labels: r.labels ?? {}, at, value: r.value ?? null, missing: r.missing ?? null };
}
