import type { Secret } from "../config/secret.ts";
import type { OutboxMessage } from "../store/outbox.ts";
import { postJson } from "./http-post.ts";
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from "./signature.ts";
import { DeliveryError } from "./smtp.ts";

export interface WebhookConfig {
  name: string;
  url: string;
  secret: Secret;
  timeoutSeconds: number;
}

/** Signed JSON POSTs of the incident notifications, one configured webhook per outbox recipient. */
export class WebhookNotifier {
  readonly #byName: Map<string, WebhookConfig>;

  constructor(webhooks: readonly WebhookConfig[], private readonly clock: () => number = Date.now) {
    this.#byName = new Map(webhooks.map((w) => [w.name, w]));
  }

  /** The body goes out as written to the outbox; the signature is made now, over this attempt's timestamp. */
  async send(m: OutboxMessage): Promise<void> {
    const hook = this.#byName.get(m.recipient);
    if (!hook) throw new DeliveryError(`webhook ${m.recipient}: no longer configured (alerts.webhooks)`, false);
    const timestamp = Math.floor(this.clock() / 1000);
    await postJson(`webhook ${hook.name}`, hook.url, m.body, {
      [SIGNATURE_HEADER]: signWebhook(hook.secret.reveal(), timestamp, m.body),
      [DELIVERY_HEADER]: m.idempotencyKey,
    }, hook.timeoutSeconds * 1000);
  }
}
