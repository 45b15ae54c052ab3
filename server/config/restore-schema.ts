import cron from "node-cron";
import { z } from "zod";
import { isTimeZone } from "../sli/format.ts";

/** Odoo's tables whose row counts prove a logistics database came back whole. */
export const DEFAULT_KEY_TABLES = ["sale_order", "stock_picking", "stock_move", "stock_picking_batch", "res_partner", "product_product"] as const;

/** Runs on any Odoo with Inventory: the pickings by state, as a person would look at them after a restore. */
export const DEFAULT_SAMPLE_QUERY = "SELECT state, count(*) AS pickings FROM stock_picking GROUP BY state ORDER BY state";

/** A table of the restored database: `name` or `schema.name`, lowercase, as Odoo names its tables. */
export const tableName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/, "a lowercase table name, optionally schema.table");

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "a postgres:// URL")
  .refine((u) => URL.canParse(u), "a postgres:// URL that parses (percent-encode special characters of the password)");

/**
 * One restore test (`restoreTests[]`): restore the newest pg_dump archive into a scratch database on a server
 * where the role may CREATE and DROP DATABASE, check it, time it against the recovery time objective, drop it.
 */
export const restoreTestSchema = z.strictObject({
  /** Names the test in the API, the events and the scratch database (`lo_restore_<name>_<random>`). */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lowercase letters, digits, - and _ (max 40): it names a database and an API path"),
  /** The tenant whose database the archive holds; absent: the platform's (only the operator's tokens see it). */
  tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "a configured tenant name").optional(),
  archive: z.strictObject({
    kind: z.literal("pg_dump"),
    /** A `pg_dump -Fc` file, or a directory whose newest `*.dump` file is restored. */
    path: z.string().min(1),
  }),
  /** Server and role for the scratch database; the path is the database connected to for CREATE DATABASE (default postgres). */
  scratchUrl: postgresUrl,
  /** Tables whose restored row counts must equal the counts recorded at backup time (`<archive>.counts.json`). */
  keyTables: z.array(tableName).max(100).default([...DEFAULT_KEY_TABLES]),
  /** A query that must succeed on the restored database (run read-only). */
  sampleQuery: z.string().min(1).max(10_000).default(DEFAULT_SAMPLE_QUERY),
  /** Recovery time objective: creating the database and pg_restore must finish within it. */
  recoveryObjectiveSeconds: z.number().int().min(1).max(7 * 86_400).default(3600),
  /** When the backend runs it: a cron expression (minute hour day-of-month month day-of-week) in `timeZone`. */
  schedule: z
    .string()
    .refine((s) => cron.validate(s), "a cron expression (minute hour day-of-month month day-of-week), e.g. 0 3 * * 0")
    .default("0 3 * * 0"),
  timeZone: z.string().refine(isTimeZone, { message: "not a time zone Intl knows (an IANA name such as Europe/Brussels)" }).default("UTC"),
  /** pg_restore --jobs. */
  jobs: z.number().int().min(1).max(64).default(2),
  /** pg_restore is stopped after this long (the test fails); default twice the objective, at least an hour. */
  timeoutSeconds: z.number().int().min(10).max(7 * 86_400).optional(),
});

export const restoreTestsSchema = z
  .array(restoreTestSchema)
  .refine((list) => new Set(list.map((t) => t.name)).size === list.length, { message: "restore test names must be unique" })
  .default([]);

export type RawRestoreTest = z.infer<typeof restoreTestSchema>;
