import { z } from "zod";

/**
 * Capacity and cost: what each tenant was given (Odoo workers, cron threads, a storage quota, its filestore) and what
 * the platform's resources cost, so that measured use becomes utilisation, forecasts and a monthly estimate.
 */
export const capacitySchema = z
  .strictObject({
    /** Per tenant name. */
    tenants: z
      .record(
        z.string(),
        z.strictObject({
          /** Odoo's --workers for this tenant's server: busy workers are counted against it. */
          workers: z.number().int().min(1).max(1000).optional(),
          /** Odoo's --max-cron-threads (default 2). */
          cronThreads: z.number().int().min(1).max(100).default(2),
          /** The tenant's filestore directory (…/filestore/<db>), measured hourly with du. */
          filestorePath: z.string().min(1).optional(),
          /** Storage sold to the tenant (database plus filestore): days until it is reached are forecast. */
          storageQuotaBytes: z.number().int().positive().optional(),
        }),
      )
      .default({}),
    /** The host mount the databases and filestores live on (one of sources.host.mounts): its days until full. */
    diskMount: z.string().default("/"),
    /** Days of history behind the growth forecasts and the right-sizing percentiles. */
    historyDays: z.number().int().min(1).max(90).default(7),
    /** Unit prices of the monthly estimate, in `currency`; a price left out costs nothing. */
    prices: z
      .strictObject({
        currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR").default("EUR"),
        /** One GB (10^9 bytes) of database and filestore for a month. */
        storageGbMonth: z.number().min(0).default(0),
        /** One hour of database statement time (pg_stat_statements), about one core busy for an hour. */
        databaseCpuHour: z.number().min(0).default(0),
        /** One PostgreSQL connection held for a month. */
        connectionMonth: z.number().min(0).default(0),
        /** One configured Odoo worker for a month. */
        workerMonth: z.number().min(0).default(0),
      })
      .default({ currency: "EUR", storageGbMonth: 0, databaseCpuHour: 0, connectionMonth: 0, workerMonth: 0 }),
  })
  .default({ tenants: {}, diskMount: "/", historyDays: 7, prices: { currency: "EUR", storageGbMonth: 0, databaseCpuHour: 0, connectionMonth: 0, workerMonth: 0 } });

export type CapacityConfig = z.infer<typeof capacitySchema>;
