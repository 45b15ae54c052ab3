import { parseOdooDatetime, toOdooDatetime } from "../../odoo/datetime.ts";
import { reading, type Reading } from "../../sli/sample.ts";
import { secondsBetween } from "../../sli/stats.ts";
import type { Section, SectionEnv } from "./section.ts";

/** Outgoing mail: failures by Odoo's failure_type, and the queue of mails due but not sent with its oldest age. */
export const mailSection: Section = {
  name: "mail",
  slis: ["mail_failed", "mail_outgoing_backlog", "mail_outgoing_oldest_age_seconds"],
  maxRpcs: 1,
  async run({ client, window }: SectionEnv) {
    const now = toOdooDatetime(window.now);
    const groups = await client.readGroup(
      "mail.mail",
      ["|", ["state", "=", "exception"], "&", ["state", "=", "outgoing"], "|", ["scheduled_date", "=", false], ["scheduled_date", "<=", now]],
      ["state", "failure_type"],
      { oldest: "create_date:min" },
    );
    const failed = new Map<string, number>();
    let backlog = 0;
    let oldest: Date | null = null;
    for (const g of groups) {
      if (g.state === "exception") {
        const type = typeof g.failure_type === "string" ? g.failure_type : "unknown";
        failed.set(type, (failed.get(type) ?? 0) + g.__count);
      } else {
        backlog += g.__count;
        const at = parseOdooDatetime(g.oldest);
        if (at && (!oldest || at < oldest)) oldest = at;
      }
    }
    const failures: Reading[] = failed.size
      ? [...failed].map(([failure_type, n]) => reading("mail_failed", n, "", { failure_type }))
      : [reading("mail_failed", 0, "")];
    return [
      ...failures,
      reading("mail_outgoing_backlog", backlog, ""),
      reading("mail_outgoing_oldest_age_seconds", oldest ? Math.max(0, secondsBetween(oldest, window.now)) : 0, ""),
    ];
  },
};
