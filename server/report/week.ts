/**
 * The reporting calendar, pure: local days and weeks of an IANA time zone as UTC instants, and when the weekly
 * digest of a schedule is due. A "week" is the seven local days ending with `weekEnd` (a YYYY-MM-DD date),
 * midnight to midnight in the zone, so a week across a DST change is 167 or 169 hours long, as people live it.
 */
import { zoneOffsetMs } from "../odoo/datetime.ts";

const DAY_MS = 86_400_000;

export interface Week {
  /** First and last local day of the week, YYYY-MM-DD. */
  weekStart: string;
  weekEnd: string;
  /** [from, to): local midnight of weekStart to local midnight after weekEnd, as instants. */
  from: number;
  to: number;
}

export interface DigestSchedule {
  /** ISO weekday the digest goes out on, 1 = Monday. */
  weekday: number;
  hour: number;
  timezone: string;
}

/** YYYY-MM-DD plus `days` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a YYYY-MM-DD date, 1 = Monday ... 7 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The local date (YYYY-MM-DD) and hour of an instant in a zone. */
export function localDateOf(at: number, zone: string): { date: string; hour: number } {
  const local = new Date(at + zoneOffsetMs(new Date(at), zone));
  return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours() };
}

/**
 * The instant a local wall-clock time happens in a zone. Twice corrected, because the offset at the wanted time
 * may differ from the offset at the first guess (a DST change in between); a time skipped by DST lands an hour on.
 */
export function localTime(date: string, hour: number, zone: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour);
  const first = wall - zoneOffsetMs(new Date(wall), zone);
  return wall - zoneOffsetMs(new Date(first), zone);
}

export function weekEnding(weekEnd: string, zone: string): Week {
  const weekStart = addDays(weekEnd, -6);
  return { weekStart, weekEnd, from: localTime(weekStart, 0, zone), to: localTime(addDays(weekEnd, 1), 0, zone) };
}

/** The week before. */
export function previousWeek(w: Week, zone: string): Week {
  return weekEnding(addDays(w.weekEnd, -7), zone);
}

/** The last complete week at `now`: the seven days ending yesterday, local time. */
export function lastCompleteWeek(now: number, zone: string): Week {
  return weekEnding(addDays(localDateOf(now, zone).date, -1), zone);
}

/**
 * The latest digest the schedule has made due at `now`: it went (or should have gone) out at `sendAt` and covers
 * the week ending the day before. A digest is due from its weekday's hour until the next one's.
 */
export function dueDigest(now: number, s: DigestSchedule): { sendAt: number; week: Week } {
  const today = localDateOf(now, s.timezone).date;
  let back = (weekdayOf(today) - s.weekday + 7) % 7;
  if (back === 0 && now < localTime(today, s.hour, s.timezone)) back = 7;
  const sendDay = addDays(today, -back);
  return { sendAt: localTime(sendDay, s.hour, s.timezone), week: weekEnding(addDays(sendDay, -1), s.timezone) };
}
