import { OdooError } from "./errors.ts";

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 200 };

/**
 * Runs `attempt` and retries only transient failures (unreachable, timeout, 502/503/504), with exponential
 * backoff and full jitter. Bad credentials or a missing model fail at once: retrying them only adds load.
 */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof OdooError) || !err.transient || n >= policy.retries) throw err;
      const delay = Math.random() * policy.baseDelayMs * 2 ** n;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
