import { setTimeout as sleep } from "node:timers/promises";

/**
 * Polls `probe` until it gives a truthy value, which it returns; a probe that throws has not succeeded yet.
 * Fails after `timeoutMs`, naming what it waited for.
 */
export async function until<T>(timeoutMs: number, probe: () => T | Promise<T>, what = "the condition"): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve().then(probe).catch(() => undefined);
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}
