/**
 * The status page's content as HTML text, pure: the server renders the public page with it (times in UTC, readable
 * without script), the page's script renders both views with it again in the reader's time zone. Every value and
 * time reads through the product's one formatter; every state is said in words, the colour only repeats it.
 */
import { formatDuration, formatObjective, formatTime, formatValue } from "../sli/format.ts";
import type { DayState } from "./history.ts";
import type { ComponentState, StateReason } from "./state.ts";
import type { DetailedStatus, PublicComponent, PublicIncident, PublicStatus } from "./view.ts";

export interface RenderOptions {
  /** The reader's IANA zone (the browser's), or UTC on the server. */
  timeZone: string;
}

type Detailed = DetailedStatus["components"][number];
type DetailedIncident = DetailedStatus["incidents"][number];
type Journey = DetailedStatus["journeys"][number];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const STATE_TEXT: Record<ComponentState, string> = { operational: "Operational", degraded: "Degraded", outage: "Outage", no_data: "No data" };
const OVERALL_TEXT: Record<ComponentState, string> = {
  operational: "All components are operational",
  degraded: "Some components are degraded",
  outage: "Some components are down",
  no_data: "No data yet",
};
const SLI_STATUS_TEXT = { ok: "Within objective", breach: "Objective missed", missing: "No data" } as const;

const badge = (state: ComponentState) => `<span class="badge s-${state}">${STATE_TEXT[state]}</span>`;

function timeText(iso: string, opts: RenderOptions): string {
  return `<time datetime="${esc(iso)}">${esc(formatTime(Date.parse(iso), opts.timeZone))}</time>`;
}

/** "Outage: Odoo cannot be reached since …": the state with its reason and start, in words. */
export function sinceText(c: Pick<PublicComponent, "state" | "since" | "reason">, opts: RenderOptions): string {
  const since = c.since ? ` since ${timeText(c.since, opts)}` : "";
  const reasons: Record<Exclude<StateReason, null>, string> = {
    odoo_unreachable: `Outage: Odoo cannot be reached${since}`,
    incident: `${STATE_TEXT[c.state]}${since}`,
    journey_failed: `Outage: a user journey fails${since}`,
    objective_missed: `Degraded: an objective is missed${since}`,
  };
  if (c.reason) return reasons[c.reason];
  return c.state === "no_data" ? "No data yet" : `${STATE_TEXT[c.state]}${since}`;
}

const DAY_MS = 86_400_000;

/** 90 days as a bar, one cell per day; the summary says in words what the colours say. */
function historyBar(c: PublicComponent, firstDay: string): string {
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  const counts = new Map<DayState, number>();
  for (const d of c.days) counts.set(d, (counts.get(d) ?? 0) + 1);
  const summary = (["outage", "degraded", "operational", "no_data"] as const).filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${STATE_TEXT[s].toLowerCase()}`).join(", ");
  const cells = c.days.map((d, i) => `<span class="day s-${d}" title="${new Date(start + i * DAY_MS).toISOString().slice(0, 10)}: ${STATE_TEXT[d]}"></span>`).join("");
  // Rounded down: an outage of minutes must not read as 100%.
  const uptime = c.uptime === null ? "Uptime: no data" : `${esc(formatValue(Math.floor(c.uptime * 1000) / 1000, "ratio"))} uptime`;
  return `<div class="history" role="img" aria-label="${esc(`${c.name}, last ${c.days.length} days: ${summary}`)}">${cells}</div>
<p class="history-legend"><span>${c.days.length} days ago</span><span>${uptime}</span><span>Today</span></p>`;
}

function sliTable(c: Detailed, opts: RenderOptions): string {
  if (!c.slis.length) return "";
  const rows = c.slis.map((s) => {
    const labels = Object.entries(s.labels).filter(([k]) => k !== "source").map(([k, v]) => `${k}: ${v}`);
    const name = `${s.title}${labels.length ? ` (${labels.join(", ")})` : ""}${s.shared ? " (database server)" : ""}`;
    const value = s.value === null ? `— <span class="why">${esc((s.missing ?? "").slice(0, 160))}</span>` : esc(formatValue(s.value, s.unit));
    return `<tr class="t-${s.status}"><th scope="row">${esc(name)}</th><td>${value}</td><td>${esc(formatObjective(s.better, s.objective, s.unit))}</td><td>${SLI_STATUS_TEXT[s.status]}</td><td>${timeText(s.at, opts)}</td></tr>`;
  });
  return `<details class="slis"><summary>${c.slis.length} signal${c.slis.length === 1 ? "" : "s"}</summary><div class="scroll"><table>
<thead><tr><th scope="col">Signal</th><th scope="col">Value</th><th scope="col">Objective</th><th scope="col">Status</th><th scope="col">Read at</th></tr></thead>
<tbody>${rows.join("")}</tbody></table></div></details>`;
}

function componentItem(c: PublicComponent | Detailed, firstDay: string, opts: RenderOptions): string {
  return `<li class="component s-${c.state}" id="c-${c.id}">
<div class="head"><h3>${esc(c.name)}</h3>${badge(c.state)}</div>
<p class="since">${sinceText(c, opts)}</p>
${historyBar(c, firstDay)}
${"slis" in c ? sliTable(c, opts) : ""}
</li>`;
}

function incidentItem(i: PublicIncident | DetailedIncident, opts: RenderOptions): string {
  const what = i.components.length ? i.components.map((c) => esc(c.name)).join(", ") : "Other signals";
  const head = `<p><strong>${what}</strong>: ${badge(i.state)} since ${timeText(i.since, opts)}</p>`;
  if (!("title" in i)) return `<li>${head}</li>`;
  const cause = i.probableCause
    ? `Probable cause: ${esc(i.probableCause.subject)} (${esc(i.probableCause.evidence)}; confidence ${esc(formatValue(i.probableCause.confidence, "ratio"))})`
    : "Probable cause: unknown";
  return `<li>${head}<p>${esc(i.title)} — incident ${i.id}, ${i.severity}, opened ${timeText(i.openedAt, opts)}</p><p class="cause">${cause}</p></li>`;
}

function journeyItem(j: Journey, opts: RenderOptions): string {
  const verdict = j.ok ? "Succeeded" : `Failed${j.failedStep ? ` at ${esc(j.failedStep)}` : ""}`;
  const steps = j.steps.map((s) => `<li class="${s.ok ? "ok" : "failed"}">${s.ok ? "✓" : "✗"} ${esc(s.step)}: ${s.ok ? "passed" : "failed"} in ${esc(formatDuration(s.seconds))}${s.error ? ` — ${esc(s.error)}` : ""}</li>`);
  const skipped = j.skipped.map((s) => `<li class="skipped">– ${esc(s)}: not reached</li>`);
  return `<li><h3>${esc(j.journey)} journey</h3><p>${verdict}, ${timeText(j.at, opts)}, ${esc(formatDuration(j.seconds))}</p><ol class="steps">${[...steps, ...skipped].join("")}</ol></li>`;
}

/** The page's content for a view (public or detailed). */
export function renderStatus(view: PublicStatus | DetailedStatus, opts: RenderOptions): string {
  const incidents = view.incidents as Array<PublicIncident | DetailedIncident>;
  const journeys = "journeys" in view ? view.journeys : undefined;
  return `<section class="overall s-${view.overall}" aria-labelledby="overall-h">
<h2 id="overall-h">${badge(view.overall)} ${OVERALL_TEXT[view.overall]}</h2>
<p class="meta" aria-live="polite">Updated ${timeText(view.generatedAt, opts)}. Times are in ${esc(opts.timeZone)}; history bars are UTC days. The page refreshes every minute.</p>
</section>
<section aria-labelledby="incidents-h"><h2 id="incidents-h">Current incidents</h2>
${incidents.length ? `<ul class="incidents">${incidents.map((i) => incidentItem(i, opts)).join("")}</ul>` : "<p>No current incidents.</p>"}
</section>
<section aria-labelledby="components-h"><h2 id="components-h">Components</h2>
<p class="legend">${(["operational", "degraded", "outage", "no_data"] as const).map((st) => `<span><span class="key s-${st}"></span> ${STATE_TEXT[st]}</span>`).join(" ")}</p>
<ul class="components">${(view.components as Array<PublicComponent | Detailed>).map((c) => componentItem(c, view.firstDay, opts)).join("")}</ul>
</section>
${journeys === undefined ? "" : `<section aria-labelledby="journeys-h"><h2 id="journeys-h">User journeys, last run</h2>
${journeys.length ? `<ul class="journeys">${journeys.map((j) => journeyItem(j, opts)).join("")}</ul>` : "<p>No journey has run for this tenant.</p>"}</section>`}`;
}
