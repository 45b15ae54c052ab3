/** Odoo datetimes travel as naive UTC strings "YYYY-MM-DD HH:MM:SS"; `false` means empty. */
export function parseOdooDatetime(value: unknown): Date | null {
  if (typeof value !== "string" || value === "") return null;
  const d = new Date(`${value.replace(" ", "T")}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toOdooDatetime(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

/** Offset of `timeZone` from UTC at instant `at`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The UTC instant at which "today" began in `timeZone`: the `current_date` of Odoo's Late filter, which the web
 * client evaluates in the user's timezone.
 */
export function startOfDay(now: Date, timeZone: string): Date {
  const local = new Date(now.getTime() + zoneOffsetMs(now, timeZone));
  const midnightAsUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  // The offset at midnight can differ from the offset now (a DST change during the day).
  const guess = new Date(midnightAsUtc - zoneOffsetMs(now, timeZone));
  return new Date(midnightAsUtc - zoneOffsetMs(guess, timeZone));
}

/** Odoo many2one values come as [id, display_name] or false. */
export function many2one(value: unknown): { id: number; name: string } | null {
  return Array.isArray(value) && typeof value[0] === "number" ? { id: value[0], name: String(value[1]) } : null;
}
