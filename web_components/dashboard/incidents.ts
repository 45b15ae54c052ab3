import { drillOf } from "./drill.ts";
import { isBusiness } from "./model.ts";
import { _t } from "./t.ts";
import { incidentTitle } from "./titles.ts";

/** An incident as the backend's /incidents gives it (the fields the dashboard reads). */
export interface IncidentView {
  id: number;
  /** What the addon's logistics.incident records it as (incident_ref). */
  ref: string;
  tenant: string;
  state: "open" | "resolved";
  severity: "page" | "ticket";
  title: string;
  openedAt: string;
  firstAbnormalAt: string;
  causes: Array<{ rank: number; layer: string; subject: string; evidence: string; confidence: number }>;
  alerts: Array<{ sli: string; title: string; labels: Record<string, string>; state: string; severity: string; since: string }>;
}

/** What an incident card says: what is wrong, since when, what it touches, its probable cause, what to open. */
export interface IncidentCard {
  id: number;
  title: string;
  urgency: string;
  urgent: boolean;
  since: string;
  /** Which counts say how much it touches (drill keys), and the carrier when it is a carrier's. */
  affects: string[];
  carrier: string | undefined;
  cause: string | null;
  evidence: string | null;
}

/**
 * The incidents a logistics manager is told about, urgent first then the oldest: those with a business service
 * level among their firing alerts. Infrastructure-only incidents stay with the operations team. Pure.
 */
export function incidentCards(incidents: readonly IncidentView[]): IncidentCard[] {
  return incidents
    .filter((i) => i.state === "open" && i.alerts.some((a) => a.state === "firing" && isBusiness(a.sli)))
    .sort((a, b) => Number(b.severity === "page") - Number(a.severity === "page") || Date.parse(a.firstAbnormalAt) - Date.parse(b.firstAbnormalAt))
    .map((i) => {
      const business = i.alerts.filter((a) => a.state === "firing" && isBusiness(a.sli));
      const [cause] = i.causes;
      return {
        id: i.id,
        title: incidentTitle(i.title, i.alerts),
        urgency: i.severity === "page" ? _t("Urgent") : _t("To follow up"),
        urgent: i.severity === "page",
        since: i.firstAbnormalAt,
        affects: [...new Set(business.map((a) => drillOf(a.sli)))],
        carrier: business.find((a) => a.labels.carrier)?.labels.carrier,
        cause: cause?.subject ?? null,
        evidence: cause?.evidence ?? null,
      };
    });
}
