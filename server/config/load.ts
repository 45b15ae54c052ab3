import { readFileSync } from "node:fs";
import { z } from "zod";
import { configSchema, type RawConfig, type SourcesConfig, type TenantConfig } from "./schema.ts";
import type { RawRestoreTest } from "./restore-schema.ts";
import { Secret } from "./secret.ts";

/** A tenant as the rest of the backend sees it: credentials wrapped so that they cannot be printed. */
export interface Tenant extends Omit<TenantConfig, "password" | "apiKey" | "journey"> {
  credential: Secret;
  /** The journey user's login, its password kept secret. */
  journey?: { user: string; password: Secret; portalPath: string };
  credentialKind: "password" | "apiKey";
  /** True for the built-in demo Odoo that runs when no tenant is configured. */
  demo: boolean;
}

/** Sources with their connection URLs (which may hold passwords) wrapped as secrets. */
export interface Sources extends Omit<SourcesConfig, "postgres" | "redis"> {
  postgres?: Omit<NonNullable<SourcesConfig["postgres"]>, "url"> & { url: Secret };
  redis?: Omit<NonNullable<SourcesConfig["redis"]>, "url"> & { url: Secret };
}

type RawAlertmanager = NonNullable<RawConfig["alerts"]["alertmanager"]>;

/** Alerting, with the SMTP password, Alertmanager's credentials and the webhooks' keys wrapped as secrets. */
export interface Alerts extends Omit<RawConfig["alerts"], "smtp" | "alertmanager" | "webhooks"> {
  smtp?: Omit<NonNullable<RawConfig["alerts"]["smtp"]>, "password"> & { password?: Secret };
  alertmanager?: Omit<RawAlertmanager, "bearerToken" | "basicAuth"> & { bearerToken?: Secret; basicAuth?: { username: string; password: Secret } };
  webhooks: Array<Omit<RawConfig["alerts"]["webhooks"][number], "secret"> & { secret: Secret }>;
}

/** A restore test, the scratch server's URL (with its password) wrapped as a secret. */
export interface RestoreTest extends Omit<RawRestoreTest, "scratchUrl"> {
  scratchUrl: Secret;
}

export interface Config extends Omit<RawConfig, "tenants" | "apiToken" | "metricsToken" | "sources" | "alerts" | "restoreTests"> {
  sources: Sources;
  restoreTests: RestoreTest[];
  alerts: Alerts;
  tenants: Tenant[];
  apiToken: Secret | undefined;
  metricsToken: Secret | undefined;
  /** Set when no tenant was configured: main starts the demo Odoo and points this tenant at it. */
  demo: boolean;
}

/** Raised for any bad configuration; the message names every offending key. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Environment variables and the config key each one sets. */
const ENV_KEYS: Record<string, string> = {
  PORT: "port",
  HOST: "host",
  API_TOKEN: "apiToken",
  METRICS_TOKEN: "metricsToken",
  DATA_DIR: "dataDir",
  STORE_URL: "store.url",
  PG_MONITOR_URL: "sources.postgres.url",
  REDIS_URL: "sources.redis.url",
  TRAEFIK_METRICS_URL: "sources.traefik.url",
  SAMPLE_INTERVAL_SECONDS: "sampling.intervalSeconds",
  LOG_LEVEL: "logLevel",
  ODOO_URL: "tenants[0].url",
  ODOO_DB: "tenants[0].db",
  ODOO_USER: "tenants[0].user",
  ODOO_PASSWORD: "tenants[0].password",
  ODOO_API_KEY: "tenants[0].apiKey",
  ODOO_TENANT: "tenants[0].name",
  ODOO_TIMEZONE: "tenants[0].timezone",
};
const NUMERIC_ENV = new Set(["PORT", "SAMPLE_INTERVAL_SECONDS"]);

/**
 * Reads the config file (JSON) if one is given, applies environment overrides, and validates the result once.
 * Unknown keys and bad values throw a ConfigError naming the key (and the variable it came from).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, file: string | undefined = env.CONFIG_FILE): Config {
  const raw = file ? readConfigFile(file) : {};
  const origin = applyEnv(raw, env);
  if (env.ODOO_URL && !raw.tenants) throw new ConfigError("ODOO_URL is set but no tenant was built from it");
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error, origin, file));
  return finish(parsed.data);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`config file ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("the top level must be an object");
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`config file ${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** Writes each set variable into `raw` at its key; returns key path -> variable name for error messages. */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const origin = new Map<string, string>();
  const tenantEnv = Object.keys(ENV_KEYS).filter((k) => k.startsWith("ODOO_") && env[k] !== undefined);
  if (tenantEnv.length > 0) {
    const tenants = Array.isArray(raw.tenants) ? raw.tenants : [];
    if (!tenants[0]) tenants[0] = { name: "default" };
    raw.tenants = tenants;
  }
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    setPath(raw, key, NUMERIC_ENV.has(name) && /^\d+$/.test(value) ? Number(value) : value);
    origin.set(key, name);
  }
  return origin;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!next || typeof next !== "object") node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function formatIssues(error: z.ZodError, origin: Map<string, string>, file?: string): string {
  const lines = error.issues.map((issue) => {
    const base = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `${base ? `${base}.` : ""}${k}: unknown key`).join("; ");
    }
    const from = origin.get(base);
    return `${base || "(top level)"}${from ? ` (from ${from})` : ""}: ${issue.message}`;
  });
  return `invalid configuration${file ? ` in ${file}` : ""}: ${lines.join("; ")}`;
}

function finish(data: RawConfig): Config {
  const names = new Set<string>();
  for (const t of data.tenants) {
    if (names.has(t.name)) throw new ConfigError(`invalid configuration: tenants: duplicate name "${t.name}"`);
    names.add(t.name);
  }
  for (const t of Object.keys(data.capacity.tenants)) {
    if (!names.has(t)) throw new ConfigError(`invalid configuration: capacity.tenants.${t}: not a configured tenant`);
  }
  data.statusPage.publicTenants.forEach((t, i) => {
    // The demo tenant is "demo" when none is configured.
    if (!names.has(t) && !(names.size === 0 && t === "demo")) throw new ConfigError(`invalid configuration: statusPage.publicTenants[${i}]: "${t}" is not a configured tenant`);
  });
  for (const t of Object.keys(data.digest.tenantRecipients)) {
    // The demo tenant is "demo" when none is configured.
    if (!names.has(t) && !(names.size === 0 && t === "demo")) throw new ConfigError(`invalid configuration: digest.tenantRecipients.${t}: not a configured tenant`);
  }
  const tenants = data.tenants.map(({ password, apiKey, journey, ...rest }): Tenant => ({
    ...rest,
    ...(journey && { journey: { ...journey, password: new Secret(journey.password) } }),
    credential: new Secret((password ?? apiKey)!),
    credentialKind: password ? "password" : "apiKey",
    demo: false,
  }));
  const { postgres, redis, ...otherSources } = data.sources;
  const sources: Sources = {
    ...otherSources,
    ...(postgres && { postgres: { ...postgres, url: new Secret(postgres.url) } }),
    ...(redis && { redis: { ...redis, url: new Secret(redis.url) } }),
  };
  const { smtp, alertmanager, webhooks, ...otherAlerts } = data.alerts;
  const alerts: Alerts = {
    ...otherAlerts,
    ...(smtp && { smtp: { ...smtp, password: smtp.password ? new Secret(smtp.password) : undefined } }),
    ...(alertmanager && {
      alertmanager: {
        ...alertmanager,
        bearerToken: alertmanager.bearerToken ? new Secret(alertmanager.bearerToken) : undefined,
        basicAuth: alertmanager.basicAuth && { username: alertmanager.basicAuth.username, password: new Secret(alertmanager.basicAuth.password) },
      },
    }),
    webhooks: webhooks.map((w) => ({ ...w, secret: new Secret(w.secret) })),
  };
  data.restoreTests.forEach((r, i) => {
    if (r.tenant !== undefined && !names.has(r.tenant)) throw new ConfigError(`invalid configuration: restoreTests[${i}].tenant: "${r.tenant}" is not a configured tenant`);
  });
  const restoreTests = data.restoreTests.map((r): RestoreTest => ({ ...r, scratchUrl: new Secret(r.scratchUrl) }));
  return { ...data, sources, alerts, restoreTests, tenants, apiToken: data.apiToken ? new Secret(data.apiToken) : undefined, metricsToken: data.metricsToken ? new Secret(data.metricsToken) : undefined, demo: tenants.length === 0 };
}
