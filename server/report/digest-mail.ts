/**
 * The weekly digest as an email, pure: a subject, a plain-text body and a simple HTML body in the style of
 * Odoo's own digest (one row per KPI, this week beside last week). Times are in the digest's time zone.
 */
import { formatDuration } from "../sli/format.ts";
import type { Digest, Kpi } from "./digest.ts";

export interface DigestMail {
  subject: string;
  text: string;
  html: string;
}

const TREND_WORDS: Record<NonNullable<Kpi["trend"]>, string> = { better: "better", worse: "worse", same: "same" };
const TREND_COLOURS: Record<NonNullable<Kpi["trend"]>, string> = { better: "#28a745", worse: "#dc3545", same: "#888888" };

function figure(k: Kpi, week: "thisWeek" | "lastWeek"): string {
  const v = k[week];
  // "0 of 0" says nothing: nothing was measured.
  if (v === null || k.outOf?.[week] === 0) return "-";
  const text = k.unit === "seconds" ? formatDuration(v) : String(Math.round(v));
  return k.outOf ? `${text} of ${k.outOf[week]}` : text;
}

const share = (x: number | null) => (x === null ? "not sampled" : `${(Math.floor(x * 1000 + 1e-9) / 10).toFixed(1)}%`);

function dayLabel(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(new Date(Date.UTC(y, m - 1, d)));
}

function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function digestMail(d: Digest, dashboardUrl?: string): DigestMail {
  const period = `${dayLabel(d.weekStart)} to ${dayLabel(d.weekEnd)}`;
  const levels = d.kpis.find((k) => k.key === "service_levels_met")!;
  const met = levels.outOf?.thisWeek ? `${figure(levels, "thisWeek")} service levels met` : "no service level sampled";
  const subject = `Logistics Health weekly digest: ${d.tenant}, ${d.weekStart} to ${d.weekEnd}: ${met}, ${d.incidents.count} incident${d.incidents.count === 1 ? "" : "s"}`;
  const incidentLines = d.incidents.list.map((i) => ({
    when: localTime(i.openedAt, d.timezone),
    what: `[${i.severity}] ${i.title}`,
    times: `detected in ${i.mttdSeconds === null ? "-" : formatDuration(i.mttdSeconds)}, ${i.resolvedAt ? `resolved in ${formatDuration(i.mttrSeconds ?? 0)}` : "still open"}`,
    cause: i.cause ? `${i.causeLayer}: ${i.cause}` : "cause unknown",
  }));
  const text = [
    `Logistics Health: weekly digest for ${d.tenant}`,
    `${period} (times in ${d.timezone})${d.complete ? "" : ", so far"}`,
    "",
    `${"".padEnd(34)}${"this week".padEnd(16)}${"last week".padEnd(16)}`,
    ...d.kpis.map((k) => `${k.label.padEnd(34)}${figure(k, "thisWeek").padEnd(16)}${figure(k, "lastWeek").padEnd(16)}${k.trend ? TREND_WORDS[k.trend] : ""}`.trimEnd()),
    "",
    "Service levels (share of the week within objective; SLO target)",
    ...(d.serviceLevels.slis.length
      ? d.serviceLevels.slis.map((s) => `  ${s.title}: ${share(s.share)} (last week ${share(s.lastWeekShare)}); target ${share(s.target)}${s.met === false ? " - MISSED" : ""}`)
      : ["  none sampled this week"]),
    "",
    "Incidents",
    ...(incidentLines.length ? incidentLines.flatMap((i) => [`  ${i.when}  ${i.what}`, `      ${i.times}; ${i.cause}`]) : ["  none"]),
    "",
    "Top causes (incidents by the layer of their probable cause)",
    ...(d.topCauses.length ? d.topCauses.map((c) => `  ${c.layer}: ${c.count} (last week ${c.lastWeek})`) : ["  none"]),
    ...(dashboardUrl ? ["", `Dashboard: ${dashboardUrl}`] : []),
  ].join("\n");
  return { subject, text, html: html(d, period, incidentLines, dashboardUrl) };
}

const CELL = "padding: 6px 12px; border-bottom: 1px solid #e7e9ed;";

function html(d: Digest, period: string, incidents: Array<{ when: string; what: string; times: string; cause: string }>, dashboardUrl?: string): string {
  const kpiRows = d.kpis
    .map((k) => {
      const colour = k.trend ? TREND_COLOURS[k.trend] : "#888888";
      return `<tr><td style="${CELL}">${escape(k.label)}</td><td style="${CELL} font-size: 20px; font-weight: bold;">${escape(figure(k, "thisWeek"))}</td><td style="${CELL} color: #888888;">${escape(figure(k, "lastWeek"))}</td><td style="${CELL} color: ${colour};">${k.trend ? TREND_WORDS[k.trend] : ""}</td></tr>`;
    })
    .join("\n");
  const levelRows = d.serviceLevels.slis
    .map((s) => `<tr><td style="${CELL}">${escape(s.title)}</td><td style="${CELL}${s.met === false ? " color: #dc3545; font-weight: bold;" : ""}">${share(s.share)}</td><td style="${CELL} color: #888888;">${share(s.lastWeekShare)}</td><td style="${CELL} color: #888888;">${share(s.target)}</td></tr>`)
    .join("\n");
  const incidentItems = incidents.map((i) => `<li style="margin-bottom: 6px;"><strong>${escape(i.when)}</strong> ${escape(i.what)}<br/><span style="color: #555555;">${escape(i.times)}; ${escape(i.cause)}</span></li>`).join("\n");
  const causeItems = d.topCauses.map((c) => `<li>${escape(c.layer)}: ${c.count} <span style="color: #888888;">(last week ${c.lastWeek})</span></li>`).join("\n");
  return `<div style="font-family: Arial, sans-serif; font-size: 13px; color: #212529; max-width: 640px;">
<h2 style="margin: 0 0 4px 0;">Logistics Health: weekly digest</h2>
<p style="margin: 0 0 16px 0; color: #555555;">${escape(d.tenant)} &middot; ${escape(period)} (times in ${escape(d.timezone)})${d.complete ? "" : ", so far"}</p>
<table style="border-collapse: collapse; width: 100%;">
<tr><th style="${CELL} text-align: left;"></th><th style="${CELL} text-align: left;">This week</th><th style="${CELL} text-align: left;">Last week</th><th style="${CELL}"></th></tr>
${kpiRows}
</table>
<h3 style="margin: 20px 0 4px 0;">Service levels</h3>
${levelRows ? `<table style="border-collapse: collapse; width: 100%;"><tr><th style="${CELL} text-align: left;">Share of the week within objective</th><th style="${CELL} text-align: left;">This week</th><th style="${CELL} text-align: left;">Last week</th><th style="${CELL} text-align: left;">Target</th></tr>\n${levelRows}\n</table>` : "<p>None sampled this week.</p>"}
<h3 style="margin: 20px 0 4px 0;">Incidents</h3>
${incidentItems ? `<ul style="padding-left: 18px;">\n${incidentItems}\n</ul>` : "<p>None.</p>"}
<h3 style="margin: 20px 0 4px 0;">Top causes</h3>
${causeItems ? `<ul style="padding-left: 18px;">\n${causeItems}\n</ul>` : "<p>None.</p>"}
${dashboardUrl ? `<p style="margin-top: 20px;"><a href="${escape(dashboardUrl)}" style="background-color: #875A7B; padding: 8px 16px; color: #FFFFFF; text-decoration: none; border-radius: 5px;">Open the Logistics Health dashboard</a></p>` : ""}
</div>`;
}
