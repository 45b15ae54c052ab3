import { odooStamp } from "./database.ts";

/** The datetime granularities of read_group that the simulator supports (Odoo also has week and number parts). */
export type Granularity = "hour" | "day" | "month" | "quarter" | "year";

export const GRANULARITIES: ReadonlySet<string> = new Set<Granularity>(["hour", "day", "month", "quarter", "year"]);

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The group a datetime falls in, as a [start, end) range of naive UTC stamps (Odoo's date_trunc, no user tz). */
export function datetimeGroup(value: string, granularity: Granularity): { from: string; to: string } {
  const d = new Date(`${value.replace(" ", "T")}Z`);
  const [y, m, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
  const starts: Record<Granularity, [number, number]> = {
    hour: [Date.UTC(y, m, day, h), Date.UTC(y, m, day, h + 1)],
    day: [Date.UTC(y, m, day), Date.UTC(y, m, day + 1)],
    month: [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)],
    quarter: [Date.UTC(y, m - (m % 3), 1), Date.UTC(y, m - (m % 3) + 3, 1)],
    year: [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)],
  };
  const [from, to] = starts[granularity];
  return { from: odooStamp(from), to: odooStamp(to) };
}

/**
 * The group's label as Odoo 18 prints it in en_US (babel patterns of READ_GROUP_DISPLAY_FORMAT): "01:00 12 Nov"
 * (a 12-hour clock: "hh"), "29 Nov 2026", "November 2026", "Q4 2026", "2026".
 */
export function datetimeLabel(from: string, granularity: Granularity): string {
  const d = new Date(`${from.replace(" ", "T")}Z`);
  const pad = (n: number) => String(n).padStart(2, "0");
  const month = MONTHS[d.getUTCMonth()]!;
  const year = String(d.getUTCFullYear()).padStart(4, "0");
  switch (granularity) {
    case "hour":
      return `${pad(d.getUTCHours() % 12 || 12)}:00 ${pad(d.getUTCDate())} ${month.slice(0, 3)}`;
    case "day":
      return `${pad(d.getUTCDate())} ${month.slice(0, 3)} ${year}`;
    case "month":
      return `${month} ${year}`;
    case "quarter":
      return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${year}`;
    case "year":
      return year;
  }
}
