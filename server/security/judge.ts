import type { Reading } from "../sli/sample.ts";
import type { AuditEvent } from "./audit-event.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Failed logins on one login, or from one address, within BURST_WINDOW: someone guessing a password. */
export const BURST_FAILURES = 5;
const BURST_WINDOW = 10 * MINUTE;
/** One address failing on this many different logins within an hour: a list of stolen credentials being tried. */
export const STUFFING_LOGINS = 10;
/** Rows a user may export in an hour before any baseline matters: a day's picking list is not egress. */
const EXPORT_FLOOR_ROWS = 1_000;
/** A user's hour is unusual above this many times their usual export hour. */
const EXPORT_FACTOR = 10;
/** Groups whose grant is a privilege change worth an alert (the addon records only these). */
const GRANTED = "granted";
const CONFIG_KIND: Record<string, string> = { "ir.config_parameter": "parameter", "ir.mail_server": "mail_server", "delivery.carrier": "carrier" };

export interface ExportHour {
  actor: string;
  hour: Date;
  rows: number;
}

const since = (events: readonly AuditEvent[], now: Date, ms: number) => events.filter((e) => e.at.getTime() > now.getTime() - ms);
const count = <K>(keys: K[]): Map<K, number> => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());

/**
 * A tenant's security signals from its recent audit trail (at least the last 24 hours) and its users' export hours
 * (the last 14 days). Pure.
 */
export function securityReadings(now: Date, events: readonly AuditEvent[], exportHours: readonly ExportHour[]): Reading[] {
  const failed = events.filter((e) => e.category === "login_failed");
  const recentFailed = since(failed, now, BURST_WINDOW);
  const bursts = [...count(recentFailed.map((e) => `login:${e.login ?? "?"}`)), ...count(recentFailed.filter((e) => e.remoteAddr).map((e) => `addr:${e.remoteAddr}`))]
    .filter(([, n]) => n >= BURST_FAILURES).length;
  const loginsPerAddress = new Map<string, Set<string>>();
  for (const e of since(failed, now, HOUR)) if (e.remoteAddr) loginsPerAddress.set(e.remoteAddr, (loginsPerAddress.get(e.remoteAddr) ?? new Set()).add(e.login ?? "?"));
  const stuffing = [...loginsPerAddress.values()].filter((s) => s.size >= STUFFING_LOGINS).length;
  const lastHour = since(events, now, HOUR);
  const lastDay = since(events, now, 24 * HOUR);
  const configByKind = count(lastHour.filter((e) => e.category === "config" || e.category === "module").map((e) => (e.category === "module" ? "module" : CONFIG_KIND[e.targetModel ?? ""] ?? "other")));
  return [
    { sli: "security_failed_logins", value: recentFailed.length },
    { sli: "security_login_bursts", value: bursts },
    { sli: "security_credential_stuffing_sources", value: stuffing },
    { sli: "security_privilege_grants", value: lastHour.filter((e) => e.category === "privilege" && e.action === GRANTED).length },
    { sli: "security_new_internal_users", value: lastDay.filter((e) => e.category === "user_created").length },
    { sli: "security_api_keys_created", value: lastDay.filter((e) => e.category === "api_key" && e.action === "created").length },
    // Every kind every time, so that a quiet hour reads 0 rather than a series that vanished.
    ...["parameter", "mail_server", "carrier", "module", "other"].map((kind) => ({ sli: "security_config_changes", labels: { kind }, value: configByKind.get(kind) ?? 0 })),
    { sli: "security_unusual_exporters", value: unusualExporters(now, exportHours).length },
  ];
}

/**
 * Users whose rows exported in the current hour exceed both the floor and EXPORT_FACTOR times their usual export
 * hour (the median of their hours with exports over the baseline period): egress against that user's own habit.
 */
export function unusualExporters(now: Date, hours: readonly ExportHour[]): string[] {
  const current = Math.floor(now.getTime() / HOUR) * HOUR;
  const byActor = new Map<string, { now: number; past: number[] }>();
  for (const h of hours) {
    const a = byActor.get(h.actor) ?? { now: 0, past: [] };
    if (h.hour.getTime() >= current) a.now += h.rows;
    else a.past.push(h.rows);
    byActor.set(h.actor, a);
  }
  return [...byActor].filter(([, a]) => a.now > Math.max(EXPORT_FLOOR_ROWS, EXPORT_FACTOR * median(a.past))).map(([actor]) => actor).sort();
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
