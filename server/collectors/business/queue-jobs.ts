import { parseOdooDatetime } from "../../odoo/datetime.ts";
import { reading, type Reading } from "../../sli/sample.ts";
import { secondsBetween } from "../../sli/stats.ts";
import type { Section, SectionEnv } from "./section.ts";

const WAITING = ["pending", "enqueued"];

/** OCA queue_job per channel: backlog, oldest wait, failed jobs. Not installed means "not available", once per cycle. */
export const queueJobsSection: Section = {
  name: "queue_jobs",
  slis: ["queue_job_backlog", "queue_job_oldest_wait_seconds", "queue_job_failed"],
  maxRpcs: 1,
  async run({ client, window, models }: SectionEnv) {
    if (!models.queueJob) {
      const why = "not available: queue_job is not installed";
      return this.slis.map((sli) => reading(sli, undefined, why));
    }
    const groups = await client.readGroup("queue.job", [["state", "in", [...WAITING, "failed"]]], ["channel", "state"], { oldest: "date_created:min" });
    const channels = new Map<string, { backlog: number; failed: number; oldest: Date | null }>();
    for (const g of groups) {
      const channel = typeof g.channel === "string" ? g.channel : "root";
      const c = channels.get(channel) ?? { backlog: 0, failed: 0, oldest: null };
      if (g.state === "failed") c.failed += g.__count;
      else {
        c.backlog += g.__count;
        const oldest = parseOdooDatetime(g.oldest);
        if (oldest && (!c.oldest || oldest < c.oldest)) c.oldest = oldest;
      }
      channels.set(channel, c);
    }
    if (!channels.size) channels.set("root", { backlog: 0, failed: 0, oldest: null });
    return [...channels].flatMap(([channel, c]): Reading[] => [
      reading("queue_job_backlog", c.backlog, "", { channel }),
      reading("queue_job_oldest_wait_seconds", c.oldest ? Math.max(0, secondsBetween(c.oldest, window.now)) : 0, "", { channel }),
      reading("queue_job_failed", c.failed, "", { channel }),
    ]);
  },
};
