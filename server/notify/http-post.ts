import { DeliveryError } from "./smtp.ts";

/**
 * POSTs a JSON body and says what a failure means: 408, 429 and 5xx (and no answer at all) are worth trying
 * again; another 4xx is the request's fault and would fail the same way forever. Redirects are not followed (a
 * configured endpoint that moved is a configuration to fix, and credentials must not follow a redirect). The
 * error names the endpoint by `name`, never its headers.
 */
export async function postJson(name: string, url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "logistics-observability", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? (err instanceof Error ? err.message : String(err)));
    throw new DeliveryError(`${name}: ${why}`, true, true);
  }
  const text = (await res.text().catch(() => "")).replace(/\s+/g, " ").trim().slice(0, 200);
  if (res.ok) return;
  throw new DeliveryError(`${name}: HTTP ${res.status}${text ? ` ${text}` : ""}`, retryableStatus(res.status), res.status >= 500);
}

/** Whether an HTTP status is worth trying again later: a redirect (3xx) or another 4xx is not. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
