import { _t } from "./t.ts";

/**
 * The business service levels' names in the user's language. The backend's catalogue names them in English; these
 * are the same names as `_t()` calls, so that Odoo's exporter puts them in i18n/ (a name missing here stays the
 * backend's). Keep them equal to server/sli/catalog.ts: a unit test compares them.
 */
export const SLI_TITLES: Record<string, () => string> = {
  order_quote_to_confirm_p50_seconds: () => _t("Quote to confirmation (p50)"),
  order_quote_to_confirm_p95_seconds: () => _t("Quote to confirmation (p95)"),
  order_confirm_to_first_ship_p50_seconds: () => _t("Confirmation to first shipment (p50)"),
  order_confirm_to_first_ship_p95_seconds: () => _t("Confirmation to first shipment (p95)"),
  order_confirm_to_full_ship_p50_seconds: () => _t("Confirmation to full shipment (p50)"),
  order_confirm_to_full_ship_p95_seconds: () => _t("Confirmation to full shipment (p95)"),
  on_time_delivery_ratio: () => _t("On-time deliveries (Odoo On Time %)"),
  delivery_avg_delay_seconds: () => _t("Average delay (Odoo Avg Delay)"),
  delivery_avg_lead_time_seconds: () => _t("Average lead time (Odoo Avg Lead Time)"),
  late_open_deliveries: () => _t("Late open deliveries (Odoo Late filter)"),
  ready_backlog: () => _t("Deliveries ready to ship"),
  ready_backlog_oldest_age_seconds: () => _t("Oldest ready delivery, time past its scheduled date"),
  wave_delay_p95_seconds: () => _t("Wave completion delay past schedule (p95)"),
  late_open_waves: () => _t("Open waves past their scheduled date"),
  label_failure_ratio: () => _t("Carrier label failures"),
  label_latency_p95_seconds: () => _t("Carrier label latency (p95)"),
  cron_max_lag_seconds: () => _t("Largest scheduled-job lag"),
  cron_failing_jobs: () => _t("Scheduled jobs failing"),
  cron_stuck_jobs: () => _t("Scheduled jobs stuck or killed"),
  queue_job_backlog: () => _t("Job queue backlog"),
  queue_job_oldest_wait_seconds: () => _t("Oldest queued job wait"),
  queue_job_failed: () => _t("Failed jobs"),
  mail_failed: () => _t("Outgoing mails failed"),
  mail_outgoing_backlog: () => _t("Outgoing mails waiting"),
  mail_outgoing_oldest_age_seconds: () => _t("Oldest outgoing mail waiting"),
  journey_success: () => _t("Synthetic journey success"),
  journey_duration_seconds: () => _t("Synthetic journey duration"),
};

/** A service level's name for this user; the backend's when it has none of ours. */
export function sliTitle(sli: string, backendTitle: string): string {
  return SLI_TITLES[sli]?.() ?? backendTitle;
}

/** "Carrier label failures (DHL Express)" from the backend, in the user's language: the SLI part translated. */
export function incidentTitle(title: string, alerts: ReadonlyArray<{ sli: string; title: string }>): string {
  const named = alerts.find((a) => title.startsWith(a.title));
  return named ? sliTitle(named.sli, named.title) + title.slice(named.title.length) : title;
}
