import { advanceCursor, cursorDomain, type Cursor } from "../../odoo/cursor.ts";
import { many2one, parseOdooDatetime, toOdooDatetime } from "../../odoo/datetime.ts";
import { waveDelay } from "../../sli/business.ts";
import type { WaveFact } from "../../sli/facts.ts";
import { reading } from "../../sli/sample.ts";
import { PAGE_SIZE, windowStart, type Section, type SectionEnv } from "./section.ts";

interface BatchRow extends Record<string, unknown> {
  id: number;
  is_wave: boolean;
  scheduled_date: string | false;
  write_date: string;
  /** Recorded by the addon when the batch became done. */
  date_done?: string | false;
}

/**
 * Waves and batches. Odoo 18 has no done date on a batch: the addon records it; without the addon it is taken as
 * the last date_done of the batch's pickings (one more read_group). Late open waves are those still open past
 * their scheduled date.
 */
export const wavesSection: Section = {
  name: "waves",
  slis: ["wave_delay_p95_seconds", "late_open_waves"],
  maxRpcs: 3,
  async run({ client, store, tenant, window, models }: SectionEnv) {
    const cursor = (await store.getCursor<Cursor>(tenant.name, "stock.picking.batch.done")) ?? { at: toOdooDatetime(windowStart(window)), ids: [] };
    const batches = await client.searchRead<BatchRow>(
      "stock.picking.batch",
      [...cursorDomain("write_date", cursor), ["state", "=", "done"]],
      ["is_wave", "scheduled_date", "write_date", ...(models.addon ? ["date_done"] : [])],
      { order: "write_date asc, id asc", limit: PAGE_SIZE },
    );
    const doneAt = new Map<number, Date | null>(batches.filter((b) => b.date_done).map((b) => [b.id, parseOdooDatetime(b.date_done)]));
    if (batches.length && !models.addon) {
      const groups = await client.readGroup(
        "stock.picking",
        [["batch_id", "in", batches.map((b) => b.id)], ["state", "=", "done"]],
        ["batch_id"],
        { lastDone: "date_done:max" },
      );
      for (const g of groups) {
        const batch = many2one(g.batch_id);
        if (batch) doneAt.set(batch.id, parseOdooDatetime(g.lastDone));
      }
    }
    const facts: WaveFact[] = batches.flatMap((b) => {
      const done = doneAt.get(b.id);
      return done ? [{ batchId: b.id, isWave: b.is_wave, scheduledAt: parseOdooDatetime(b.scheduled_date), doneAt: done }] : [];
    });
    await store.upsertWaves(tenant.name, facts);
    await store.setCursor(tenant.name, "stock.picking.batch.done", advanceCursor(cursor, batches, "write_date"));
    // Waves as Odoo's Inventory Overview counts them: a batch transfer is not a wave.
    const lateOpen = await client.searchCount("stock.picking.batch", [
      ["is_wave", "=", true],
      ["state", "in", ["draft", "in_progress"]],
      ["scheduled_date", "<", toOdooDatetime(window.now)],
    ]);
    return [waveDelay(await store.wavesSince(tenant.name, windowStart(window)), window), reading("late_open_waves", lateOpen, "")];
  },
};
