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

/** The addon's logistics.settings.objectives: what the demo's administrator set on the settings page. */
export const SETTINGS_MODEL = "logistics.settings";

export function settingsObjectives(): unknown {
  return {
    objectives: { on_time_delivery_ratio: 0.95, late_open_deliveries: 10, label_failure_ratio: 0.01, order_confirm_to_full_ship_p95_seconds: 172800.0 },
    slo: { target: 0.99, windowDays: 28 },
  };
}
