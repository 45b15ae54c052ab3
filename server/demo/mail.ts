import { odooStamp, type Rec } from "./database.ts";
import { HOUR, MINUTE, SECOND, type Process, type Simulation } from "./simulation.ts";

/** Share of mails sent at once after the transaction (Odoo's force_send / post-commit hook). */
const SENT_AT_ONCE = 0.9;
/** Share that fails on the first try; the rest wait in the queue for the hourly Email Queue Manager. */
const FAILED_AT_ONCE = 0.035;
/** Chatter notifications that exist without the sale and stock apps (assignments, mentions). */
const NOTIFICATIONS_PER_HOUR = 2;

/**
 * Outgoing mail (mail.mail). Most mails are sent at once and deleted (auto_delete), so only the interesting ones
 * stay visible: mails in `exception`, mostly `mail_smtp` (the relay refused them) and some `mail_email_invalid`,
 * and a few `outgoing` ones waiting for the queue cron. An operator retries SMTP failures after some hours and
 * cancels the invalid addresses, as a support team would.
 */
export class Mailer implements Process {
  constructor(private readonly sim: Simulation) {}

  tick(minute: number): void {
    const n = this.sim.rng.poisson(NOTIFICATIONS_PER_HOUR / 60);
    for (let i = 0; i < n; i++) {
      const at = minute + this.sim.rng.int(0, MINUTE - 1);
      this.sim.at(at, (t) => this.send(`You have been assigned to an activity (${odooStamp(t).slice(0, 10)})`, "warehouse@example.com", t));
    }
  }

  /** Queues one mail at time `t`, as message_post / mail templates do. */
  send(subject: string, emailTo: string, t: number): void {
    const { db, rng } = this.sim;
    const mail = db.create("mail.mail", {
      subject, email_to: emailTo, state: "outgoing", scheduled_date: false, failure_type: false, failure_reason: false, auto_delete: true,
    }, t);
    if (!mail) return;
    const r = rng.next();
    if (r < SENT_AT_ONCE) this.sim.at(t + rng.uniform(1, 5) * SECOND, (at) => this.deliver(mail, at));
    else if (r < SENT_AT_ONCE + FAILED_AT_ONCE) this.sim.at(t + rng.uniform(1, 10) * SECOND, (at) => this.fail(mail, at));
  }

  /** The Email Queue Manager's run: sends every outgoing mail that is due. */
  processQueue(t: number): void {
    const due = [...this.sim.db.records("mail.mail")].filter(
      (m) => m.state === "outgoing" && (m.scheduled_date === false || String(m.scheduled_date) <= odooStamp(t)),
    );
    due.forEach((mail, i) => this.sim.at(t + (i + 1) * 200, (at) => this.deliver(mail, at)));
  }

  private deliver(mail: Rec, t: number): void {
    if (mail.state !== "outgoing" || !this.sim.db.get("mail.mail", mail.id)) return;
    if (this.sim.rng.chance(0.01)) return this.fail(mail, t);
    this.sim.db.unlink("mail.mail", mail.id); // sent, and auto_delete removes it
  }

  private fail(mail: Rec, t: number): void {
    const { db, rng } = this.sim;
    const smtp = rng.chance(0.85);
    db.write("mail.mail", mail, {
      state: "exception",
      failure_type: smtp ? "mail_smtp" : "mail_email_invalid",
      failure_reason: smtp ? "Connection unexpectedly closed: timed out" : `Invalid recipient address: ${mail.email_to}`,
    }, t);
    const later = t + Math.min(rng.logNormal(18 * HOUR, 0.5), 3 * 24 * HOUR);
    this.sim.at(later, (at) => {
      if (mail.state !== "exception") return;
      // Retrying a bad address would fail again: support cancels those.
      db.write("mail.mail", mail, smtp ? { state: "outgoing", failure_type: false, failure_reason: false } : { state: "cancel" }, at);
    });
  }
}
