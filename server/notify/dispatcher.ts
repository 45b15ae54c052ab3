import { DeliveryError } from "./smtp.ts";
import type { Outbox, OutboxMessage } from "./outbox.ts";

export interface Notifier {
  send(m: OutboxMessage): Promise<void>;
}

export interface RetryPolicy {
  baseSeconds: number;
  maxSeconds: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseSeconds: 60, maxSeconds: 3600, maxAttempts: 8 };

/** When to try again after `attempts` failed attempts: exponential, capped. Pure. */
export function nextAttemptAt(now: Date, attempts: number, policy: RetryPolicy = DEFAULT_RETRY): Date {
  const seconds = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + seconds * 1000);
}

/**
 * One pass over the due messages: send each once; a retryable failure is rescheduled with backoff, a permanent
 * one (or too many attempts) marks the message failed with its reason. At-least-once: a crash between a send
 * and its mark sends it again on restart, with the same Message-ID.
 */
export async function deliverDue(outbox: Outbox, notifier: Notifier, now: Date, policy: RetryPolicy = DEFAULT_RETRY): Promise<{ sent: number; retried: number; failed: number }> {
  const tally = { sent: 0, retried: 0, failed: 0 };
  for (const m of await outbox.due(now)) {
    try {
      await notifier.send(m);
      await outbox.markSent(m.id, now);
      tally.sent++;
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError(String(err), true);
      if (e.retryable && m.attempts + 1 < policy.maxAttempts) {
        await outbox.markRetry(m.id, e.message, nextAttemptAt(now, m.attempts + 1, policy));
        tally.retried++;
      } else {
        await outbox.markFailed(m.id, e.message);
        tally.failed++;
      }
    }
  }
  return tally;
}
