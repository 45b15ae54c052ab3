import { z } from "zod";
import { isTimeZone } from "../sli/format.ts";
import { alertmanagerSchema, webhooksSchema } from "./channels-schema.ts";
import { capacitySchema } from "./capacity-schema.ts";
import { restoreTestsSchema } from "./restore-schema.ts";
import { statusPageSchema } from "./status-schema.ts";

/** Where a tenant's Odoo is and how to log in. Exactly one of password and apiKey. */
export const tenantSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lowercase letters, digits, - and _ (max 40): it is a metric label"),
    url: z
      .url({ protocol: /^https?$/, error: "an http(s) URL" })
      // Credentials belong in user and password/apiKey (kept secret); in the URL they would be shown and logged.
      .refine((u) => { const p = new URL(u); return !p.username && !p.password; }, "no credentials in the URL: use user and password (or apiKey)"),
    db: z.string().min(1),
    user: z.string().min(1),
    password: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    /** Timezone whose midnight starts "today" in Odoo's Late filter (the users' timezone). */
    timezone: z.string().default("UTC"),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /**
     * Synthetic journeys as a dedicated low-privilege user (Inventory / User, nothing else): logs in through the login
     * form every cycle, so it needs a password, not an API key.
     */
    journey: z
      .strictObject({
        user: z.string().min(1),
        password: z.string().min(1),
        /** The public page a customer opens (the website's home or the portal), checked without logging in; "" for none. */
        portalPath: z.string().regex(/^(\/.*)?$/, "a path on the tenant's server, starting with /").default("/"),
      })
      .optional(),
  })
  .refine((t) => Boolean(t.password) !== Boolean(t.apiKey), {
    message: "set exactly one of password and apiKey",
    path: ["password"],
  });

/** An http(s) URL given by the operator; redirects are never followed when it is fetched. */
const httpUrl = z
  .url({ protocol: /^https?$/, error: "an http(s) URL" })
  .refine((u) => { const p = new URL(u); return !p.username && !p.password; }, "no credentials in the URL");

/**
 * Infrastructure sources. Targets come from this trusted file only, never from Odoo or the API.
 */
export const sourcesSchema = z.strictObject({
  postgres: z
    .strictObject({
      /** A role with pg_monitor, never a superuser. */
      url: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL"),
      /** Databases that are tenants, beyond those named by the tenants' `db`: database -> tenant name. */
      tenantDatabases: z.record(z.string(), z.string()).default({}),
      longRunningSeconds: z.number().min(1).default(300),
      statementTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
      topStatements: z.number().int().min(0).max(100).default(10),
    })
    .optional(),
  redis: z
    .strictObject({
      url: z.string().regex(/^rediss?:\/\//, "a redis:// or rediss:// URL"),
      /** Keys whose length is a queue backlog (list, sorted set or stream). */
      queues: z.array(z.strictObject({ name: z.string().regex(/^[a-z0-9_.-]{1,40}$/), key: z.string().min(1) })).default([]),
      timeoutMs: z.number().int().min(100).max(60_000).default(3_000),
      /**
       * Tenants whose Odoo uses this Redis (sessions, queues, cache). Redis is a possible cause only of their
       * alerts: a Redis nobody's Odoo talks to explains nothing.
       */
      usedBy: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  host: z
    .strictObject({
      procPath: z.string().default("/proc"),
      cgroupPath: z.string().default("/sys/fs/cgroup"),
      /** Mount points whose disk usage is reported. */
      mounts: z.array(z.string()).default(["/"]),
      /** Read-only container runtime API for restart counts (optional). */
      docker: z.strictObject({ socketPath: z.string().default("/var/run/docker.sock") }).optional(),
    })
    .optional(),
  traefik: z.strictObject({ url: httpUrl, timeoutMs: z.number().int().min(100).max(60_000).default(5_000) }).optional(),
  /** The Kubernetes API, read with a read-only service account (defaults: where Kubernetes mounts them in a pod). */
  kubernetes: z
    .strictObject({
      apiUrl: httpUrl.default("https://kubernetes.default.svc"),
      tokenFile: z.string().default("/var/run/secrets/kubernetes.io/serviceaccount/token"),
      caFile: z.string().optional().default("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"),
      /** Namespaces whose pods are read; empty: every namespace. */
      namespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a Kubernetes namespace name")).default([]),
      /** A pod pending longer than this is counted. */
      pendingSeconds: z.number().int().min(10).max(86_400).default(120),
      timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    })
    .optional(),
  tls: z
    .strictObject({
      endpoints: z.array(
        z.strictObject({
          name: z.string().regex(/^[a-z0-9_.-]{1,40}$/, "lowercase letters, digits, '.', '-', '_' (it is a metric label)"),
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535).default(443),
          servername: z.string().optional(),
        }),
      ),
      timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    })
    .optional(),
  backups: z
    .strictObject({
      /** Output of `pgbackrest info --output=json`, refreshed by the operator's own job. */
      pgbackrestInfoFile: z.string().optional(),
      /** Output of `wal-g backup-list --json --detail`. */
      walgBackupListFile: z.string().optional(),
    })
    .optional(),
});

/** Objectives per SLI id; the catalogue holds the defaults. */
export const targetsSchema = z.record(z.string(), z.number().finite());

const sloTarget = z.number().gt(0, "a share between 0 and 1, e.g. 0.99").lt(1, "a share between 0 and 1, e.g. 0.99");
const sloWindowDays = z.number().int().min(1).max(90);

/**
 * Service level objectives: the share of sampled time each SLI must meet its objective over the window.
 * An Odoo tenant's settings page overrides them for that tenant.
 */
export const sloSchema = z
  .strictObject({
    target: sloTarget.default(0.99),
    windowDays: sloWindowDays.default(28),
    /** Per SLI id: its own target or window. */
    slis: z.record(z.string(), z.strictObject({ target: sloTarget.optional(), windowDays: sloWindowDays.optional() })).default({}),
  })
  .default({ target: 0.99, windowDays: 28, slis: {} });

/** Business calendar: expected peaks that the seasonal detector must not call anomalies. */
export const calendarSchema = z
  .array(
    z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("month_end"), days: z.number().int().min(1).max(10), factor: z.number().positive() }),
      z.strictObject({
        kind: z.literal("dispatch_window"),
        /** ISO weekdays, 1 = Monday. */
        weekdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
        fromHour: z.number().int().min(0).max(23),
        toHour: z.number().int().min(1).max(24),
        factor: z.number().positive(),
      }),
    ]),
  )
  .default([{ kind: "month_end", days: 3, factor: 1.5 }]);

export const configSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8080),
  /** Address the HTTP server binds: loopback unless told otherwise (0.0.0.0 in a container). */
  host: z.string().min(1).default("127.0.0.1"),
  apiToken: z.string().min(16, "at least 16 characters").optional(),
  /** When set, /metrics answers only scrapes that send it as a bearer token (tenant names and KPIs are there). */
  metricsToken: z.string().min(16, "at least 16 characters").optional(),
  dataDir: z.string().default(".data"),
  store: z
    .strictObject({
      /** postgres://… for a PostgreSQL server; absent means the embedded PGlite store in dataDir. */
      url: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL").optional(),
      retentionDays: z.number().int().min(1).max(3650).default(30),
      /**
       * Connections to PostgreSQL: runs being written, alerts being judged and API answers share them, and an API
       * request waits behind the others when they are too few.
       */
      poolSize: z.number().int().min(2).max(100).default(16),
    })
    .default({ retentionDays: 30, poolSize: 16 }),
  sampling: z
    .strictObject({
      intervalSeconds: z
        .number()
        .int()
        .min(5)
        .max(3600)
        .refine((s) => (s < 60 && 60 % s === 0) || (s % 60 === 0 && 3600 % s === 0), "must divide 60, or be whole minutes that divide 60 (e.g. 15, 30, 60, 300)")
        .default(60),
      /** Largest random delay before a tenant's cycle starts, so that tenants do not all hit at once. */
      jitterSeconds: z.number().min(0).max(600).optional(),
      /** Deadline of one collector run; a run past it is recorded as missing. */
      timeoutSeconds: z.number().min(1).max(600).default(30),
      /**
       * Log in again every this many cycles (0: never). Odoo caches successful credential checks per worker, so
       * without a login a deleted API key keeps working until Odoo restarts; each login costs Odoo ~0.3 s of CPU.
       */
      credentialCheckCycles: z.number().int().min(0).max(1440).default(1),
      /** Window of the latency, on-time and label SLIs. */
      windowHours: z.number().min(1).max(24 * 28).default(24),
      /** Collector runs in flight at most; the others wait their turn (their deadline starts when they start). */
      maxConcurrentRuns: z.number().int().min(1).max(1000).default(32),
    })
    .default({ intervalSeconds: 60, timeoutSeconds: 30, windowHours: 24, credentialCheckCycles: 1, maxConcurrentRuns: 32 }),
  tenants: z.array(tenantSchema).default([]),
  targets: targetsSchema.default({}),
  sources: sourcesSchema.default({}),
  alerts: z
    .strictObject({
      /**
       * How long an ambiguous breach must hold before its alert fires: one sampling interval by default. Failure
       * counts, and series far out of their normal, fire at once.
       */
      forSeconds: z.number().int().min(0).max(86_400).default(60),
      /** Operations addresses: every notification without an Odoo to deliver it, and the fallback while Odoo is down. */
      recipients: z.array(z.email()).default([]),
      /** A firing alert is notified again after this long (0: never). */
      repeatMinutes: z.number().int().min(0).max(10_080).default(240),
      /** At most this many emails per recipient per hour; the rest wait (grouped) for the next hour. */
      maxPerRecipientPerHour: z.number().int().min(1).max(1000).default(20),
      /** How far (in robust standard deviations) a seasonal SLI may stray from its hour-of-week baseline. */
      anomalyThreshold: z.number().min(1).max(50).default(5),
      /** The operations addresses' time zone (IANA, e.g. Europe/Brussels): the times in their emails. */
      timeZone: z.string().refine(isTimeZone, { message: "not a time zone Intl knows (an IANA name such as Europe/Brussels)" }).default("UTC"),
      /** Direct SMTP for the notifications (the path that works while Odoo is down). */
      smtp: z
        .strictObject({
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535).default(587),
          secure: z.boolean().default(false),
          from: z.email(),
          user: z.string().optional(),
          password: z.string().optional(),
          /**
           * Send without TLS when the server offers no STARTTLS: only for a relay on loopback or a trusted network.
           * Otherwise mail (and the password) never goes in clear.
           */
          allowPlainText: z.boolean().default(false),
        })
        .optional(),
      /** Alertmanager's /api/v2/alerts: firing and resolved alerts, for its routes (PagerDuty, Slack, Opsgenie). */
      alertmanager: alertmanagerSchema.optional(),
      /** Signed JSON webhooks of the incident notifications. */
      webhooks: webhooksSchema,
    })
    .default({ forSeconds: 60, recipients: [], repeatMinutes: 240, maxPerRecipientPerHour: 20, anomalyThreshold: 5, timeZone: "UTC", webhooks: [] }),
  /**
   * The weekly digest emailed (through alerts.smtp) to managers: service levels met, incidents with MTTD and MTTR,
   * top causes, each against last week. Nothing is sent without recipients.
   */
  digest: z
    .strictObject({
      /** Get every tenant's digest. */
      recipients: z.array(z.email()).default([]),
      /** Get one tenant's digest: tenant name -> addresses. */
      tenantRecipients: z.record(z.string(), z.array(z.email())).default({}),
      /** ISO weekday it goes out on (1 = Monday), at `hour` in `timeZone`; it covers the seven days before. */
      weekday: z.number().int().min(1).max(7).default(1),
      hour: z.number().int().min(0).max(23).default(8),
      /** IANA zone of the digest's days and of the times in it, e.g. Europe/Brussels. */
      timeZone: z.string().refine(isTimeZone, { message: "not a time zone Intl knows (an IANA name such as Europe/Brussels)" }).default("UTC"),
    })
    .default({ recipients: [], tenantRecipients: {}, weekday: 1, hour: 8, timeZone: "UTC" }),
  slo: sloSchema,
  calendar: calendarSchema,
  capacity: capacitySchema,
  /** Restore tests of pg_dump archives into a scratch database, on a schedule (server/restore/). */
  restoreTests: restoreTestsSchema,
  /** The status page of each tenant: public for the tenants listed (server/status/). */
  statusPage: statusPageSchema,
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type TenantConfig = z.infer<typeof tenantSchema>;
export type RawConfig = z.infer<typeof configSchema>;
export type SourcesConfig = z.infer<typeof sourcesSchema>;
