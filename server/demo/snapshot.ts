import type { Database } from "./database.ts";
import { OdooFault, missingModel, userError } from "./faults.ts";

/** The addon's logistics.snapshot.batch: read calls run together, each answering with its result or its error. */
export const SNAPSHOT_MODEL = "logistics.snapshot";

const READ_METHODS = ["search_count", "search_read", "read_group"];

type Call = (db: Database, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => unknown;

export function snapshotBatch(db: Database, kwargs: Record<string, unknown>, call: Call): unknown {
  const calls = kwargs.calls;
  if (!Array.isArray(calls) || calls.length > 50) throw userError("calls: a list of at most 50 read calls");
  return calls.map((c: { model?: string; method?: string; kwargs?: Record<string, unknown> }) => {
    try {
      if (!READ_METHODS.includes(String(c.method))) throw userError(`method '${c.method}' is not a read method (${READ_METHODS.join(", ")})`);
      if (typeof c.model !== "string" || !db.has(c.model)) throw missingModel(String(c.model));
      return { result: call(db, c.model, String(c.method), [], c.kwargs ?? {}) };
    } catch (err) {
      if (err instanceof OdooFault) return { error: { name: err.exception, message: err.message } };
      throw err;
    }
  });
}
