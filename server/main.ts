import { parseArgs } from "node:util";
import { localApiToken } from "./app/api-token.ts";
import { startBackend } from "./app/backend.ts";
import { ConfigError, loadConfig } from "./config/load.ts";
import { createLogger } from "./log/logger.ts";

const HELP = `Usage: npm start [-- --config FILE]

Samples Odoo tenants' logistics service levels and serves them on /api/v1 and /metrics.
With no tenant configured it samples a built-in demo Odoo and says so.

Options:
  --config FILE   JSON config file (also CONFIG_FILE); environment variables override it
  --help          this text

Environment: PORT, API_TOKEN, DATA_DIR, STORE_URL (postgres://…; default embedded PGlite in DATA_DIR),
SAMPLE_INTERVAL_SECONDS, LOG_LEVEL, and for one tenant ODOO_URL, ODOO_DB, ODOO_USER,
ODOO_PASSWORD or ODOO_API_KEY, ODOO_TENANT, ODOO_TIMEZONE. See README.md.`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: "string" }, help: { type: "boolean" } } });
  if (values.help) {
    console.log(HELP);
    return;
  }
  let log = createLogger();
  let config;
  try {
    config = loadConfig(process.env, values.config ?? process.env.CONFIG_FILE);
  } catch (err) {
    if (err instanceof ConfigError) {
      log.fatal(err.message);
      process.exit(2);
    }
    throw err;
  }
  log = createLogger(config.logLevel);
  if (!config.apiToken) {
    const local = localApiToken(config.dataDir);
    config.apiToken = local.token;
    log.info(`no API_TOKEN configured: API token generated and kept in ${local.path}`);
  }
  const backend = await startBackend(config, log).catch((err) => {
    log.fatal(err instanceof ConfigError ? err.message : { err: String(err) }, err instanceof ConfigError ? undefined : "start-up failed");
    process.exit(err instanceof ConfigError ? 2 : 1);
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: waiting for runs in flight, then closing the store");
    await backend.stop();
    log.info("stopped cleanly");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

void main();
