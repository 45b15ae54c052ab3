import nodemailer, { type Transporter } from "nodemailer";
import type { Secret } from "../config/secret.ts";
import type { OutboxMessage } from "../store/outbox.ts";

/** What a notifier answers when it could not deliver: whether trying again later can help. */
export class DeliveryError extends Error {
  override name = "DeliveryError";

  constructor(
    message: string,
    readonly retryable: boolean,
    /** The destination could not be reached at all (Odoo down): what switches an alert to the SMTP fallback. */
    readonly unreachable = false,
  ) {
    super(message);
  }
}

export interface SmtpConfig {
  host: string;
  port: number;
  from: string;
  /** STARTTLS when the server offers it; `secure` for implicit TLS (port 465). */
  secure?: boolean;
  user?: string;
  password?: Secret;
  timeoutMs?: number;
  /** Without implicit TLS, STARTTLS is required unless this allows a plain-text relay. */
  allowPlainText?: boolean;
}

/**
 * Direct SMTP, the fallback path when Odoo cannot send the mail itself. The idempotency key becomes the
 * Message-ID, so that a message re-sent after a crash is recognisably the same one.
 */
export class SmtpNotifier {
  readonly #transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    this.#transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure ?? false,
      requireTLS: !config.secure && !config.allowPlainText,
      auth: config.user ? { user: config.user, pass: config.password?.reveal() ?? "" } : undefined,
      connectionTimeout: config.timeoutMs ?? 10_000,
      greetingTimeout: config.timeoutMs ?? 10_000,
      socketTimeout: config.timeoutMs ?? 10_000,
    });
  }

  async send(m: OutboxMessage): Promise<void> {
    try {
      await this.#transport.sendMail({
        from: this.config.from,
        to: m.recipient,
        subject: m.subject,
        text: m.body,
        html: m.html,
        messageId: `<${m.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, ".")}@logistics-observability>`,
      });
    } catch (err) {
      throw classify(err);
    }
  }

  close(): void {
    this.#transport.close();
  }
}

/** SMTP 4xx and lost connections are worth retrying; 5xx (bad recipient, refused) are not. */
export function classify(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const text = (e.message ?? String(err)).split("\n")[0]!.slice(0, 300);
  if (e.code === "ETLS") return new DeliveryError("SMTP server offers no STARTTLS: mail is not sent in clear (alerts.smtp.allowPlainText allows a local relay)", false);
  if (typeof e.responseCode === "number") return new DeliveryError(`SMTP ${e.responseCode}: ${text}`, e.responseCode < 500);
  return new DeliveryError(`SMTP ${e.code ?? "error"}: ${text}`, true);
}
