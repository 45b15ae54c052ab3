import type { Domain } from "./client.ts";

/**
 * Position of an incremental read on a datetime field. Odoo stores microseconds but answers in whole seconds,
 * so "after the last second seen" would drop rows and "from it" would re-read them forever when one bulk write
 * stamps thousands of rows alike: the cursor keeps the second and the ids already read within it.
 */
export interface Cursor {
  at: string;
  ids: number[];
}

export function cursorDomain(field: string, cursor: Cursor): Domain {
  // Rows seen at the boundary are skipped only while they stay at it: one rewritten later (a module installed
  // with the database and upgraded since) is new again.
  return cursor.ids.length ? ["|", [field, ">", cursor.at], "&", [field, "=", cursor.at], ["id", "not in", cursor.ids]] : [[field, ">=", cursor.at]];
}

/** The cursor after reading `page` (ordered by field, id). */
export function advanceCursor(cursor: Cursor, page: ReadonlyArray<{ id: number } & Record<string, unknown>>, field: string): Cursor {
  let next = cursor;
  for (const row of page) {
    const at = row[field];
    if (typeof at !== "string") continue;
    if (at > next.at) next = { at, ids: [row.id] };
    else if (at === next.at && !next.ids.includes(row.id)) next = { at, ids: [...next.ids, row.id] };
  }
  return next;
}
