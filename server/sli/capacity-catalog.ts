import type { SliDefinition } from "./catalog.ts";

const DAY = 86_400;

/**
 * Capacity: how much of what each tenant was given it uses, and when storage runs out. Utilisation alerts before
 * users queue; the forecasts alert weeks ahead; the cost estimate is for the monthly review, never an alert.
 */
export const CAPACITY_SIGNALS: readonly SliDefinition[] = [
  { id: "cron_due_jobs", title: "Scheduled jobs due and waiting for a cron thread", unit: "count", better: "lower", target: 5, labels: [], layer: "business" },
  { id: "odoo_busy_workers", title: "Odoo workers in a request (PostgreSQL sessions of odoo-<pid>)", unit: "count", better: "lower", target: 1000, labels: [], layer: "capacity" },
  { id: "odoo_workers_busy_ratio", title: "Odoo workers busy of those configured (requests queue at 100%)", unit: "ratio", better: "lower", target: 0.8, labels: [], layer: "capacity" },
  { id: "cron_threads_saturation_ratio", title: "Scheduled jobs waiting per cron thread", unit: "ratio", better: "lower", target: 1, labels: [], layer: "capacity" },
  { id: "odoo_filestore_bytes", title: "Filestore size", unit: "bytes", better: "lower", target: 1e15, labels: [], layer: "capacity" },
  { id: "tenant_storage_bytes", title: "Storage used (database and filestore)", unit: "bytes", better: "lower", target: 1e15, labels: [], layer: "capacity" },
  { id: "tenant_storage_growth_bytes_per_day", title: "Storage growth per day (trend over the history)", unit: "bytes", better: "lower", target: 1e13, labels: [], layer: "capacity" },
  { id: "tenant_storage_days_until_quota", title: "Days until the tenant's storage quota is reached at its growth", unit: "days", better: "higher", target: 30, labels: [], layer: "capacity" },
  { id: "storage_days_until_full", title: "Days until the disk is full at the tenants' growth", unit: "days", better: "higher", target: 30, labels: ["mount"], layer: "capacity" },
  { id: "tenant_monthly_cost", title: "Estimated monthly cost in the configured currency", unit: "count", better: "lower", target: 1e12, labels: [], layer: "capacity" },
];

/** A forecast beyond this many days is "not in sight": reported as this many, so a flat trend is not infinity. */
export const FORECAST_HORIZON_DAYS = 3650;
export const SECONDS_PER_DAY = DAY;
