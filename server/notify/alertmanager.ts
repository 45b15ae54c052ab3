import type { AlertmanagerPost } from "../alerts/alertmanager-alert.ts";
import type { Secret } from "../config/secret.ts";
import { postJson } from "./http-post.ts";
import { DeliveryError } from "./smtp.ts";

export interface AlertmanagerConfig {
  urls: readonly string[];
  bearerToken?: Secret;
  basicAuth?: { username: string; password: Secret };
  resendSeconds: number;
  timeoutSeconds: number;
}

/** At most this many alerts per request, as Prometheus sends them. */
export const MAX_BATCH = 64;

/**
 * Posts alerts to Alertmanager's `/api/v2/alerts`. A firing alert says it ends `goodForMs` after it is sent
 * unless posted again (Prometheus: four times the longer of its resend delay and evaluation interval), so that a
 * backend that stops leaves no alert firing forever, and one that runs is never resolved by the timeout.
 */
export class AlertmanagerNotifier {
  constructor(
    private readonly config: AlertmanagerConfig,
    private readonly goodForMs: number,
  ) {}

  /** The posts of one request, as Alertmanager's API takes them, with their times set now. */
  static body(posts: readonly AlertmanagerPost[], now: number, goodForMs: number): string {
    return JSON.stringify(posts.map((p) => ({
      labels: p.labels,
      annotations: p.annotations,
      startsAt: new Date(p.startsAt).toISOString(),
      endsAt: new Date(p.state === "resolved" ? Math.max(p.endsAt ?? now, p.startsAt) : now + goodForMs).toISOString(),
      ...(p.generatorURL && { generatorURL: p.generatorURL }),
    })));
  }

  async post(url: string, posts: readonly AlertmanagerPost[], now: number): Promise<void> {
    if (!this.config.urls.includes(url)) throw new DeliveryError(`alertmanager ${url}: no longer configured (alerts.alertmanager.urls)`, false);
    const headers: Record<string, string> = {};
    if (this.config.bearerToken) headers.authorization = `Bearer ${this.config.bearerToken.reveal()}`;
    if (this.config.basicAuth) headers.authorization = `Basic ${Buffer.from(`${this.config.basicAuth.username}:${this.config.basicAuth.password.reveal()}`).toString("base64")}`;
    await postJson(`alertmanager ${url}`, new URL("api/v2/alerts", url.endsWith("/") ? url : `${url}/`).toString(), AlertmanagerNotifier.body(posts, now, this.goodForMs), headers, this.config.timeoutSeconds * 1000);
  }
}
