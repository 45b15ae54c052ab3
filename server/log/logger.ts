import { pino, type Logger } from "pino";

export type { Logger };

/**
 * One structured logger for the process. Secrets never reach it: credentials are `Secret` objects that
 * serialise as "[redacted]", and the redact paths below catch the few raw fields that could carry one.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? "info", destination?: NodeJS.WritableStream): Logger {
  return pino({
    level,
    base: { service: "logistics-observability" },
    redact: { paths: ["password", "apiKey", "token", "*.password", "*.apiKey", "*.token", "authorization"], censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, destination ?? process.stdout);
}

/** A logger that drops everything: for tests that assert on behaviour, not on log lines. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
