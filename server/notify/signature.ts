import { createHmac, timingSafeEqual } from "node:crypto";

/** The header that carries a webhook's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = "x-logistics-signature";
/** The header that carries the notification's idempotency key: a receiver drops a key it has already taken. */
export const DELIVERY_HEADER = "x-logistics-delivery";
/** How far a signature's timestamp may be from the receiver's clock before it is refused as a replay. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Signs a webhook body: HMAC-SHA256 with the shared secret over `<timestamp>.<body>` (the raw bytes sent), as
 * `t=<timestamp>,v1=<hex>`. The timestamp is signed with the body so that a captured request cannot be replayed
 * later with a fresh one; each attempt is signed again at send time.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/**
 * What a receiver does (the reference for the README): parse the header, recompute the HMAC over the timestamp and
 * the raw body, compare in constant time, and refuse a timestamp further than `toleranceSeconds` from now. Returns
 * why it is refused, or null when it is good.
 */
export function verifyWebhook(secret: string, header: string | undefined, body: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): string | null {
  const parts = new Map((header ?? "").split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const given = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return "no signature";
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return "timestamp outside the tolerance (a replay, or a clock off)";
  const expected = Buffer.from(signWebhook(secret, t, body).slice(`t=${t},v1=`.length), "hex");
  return timingSafeEqual(expected, Buffer.from(given, "hex")) ? null : "signature mismatch";
}
