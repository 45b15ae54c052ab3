/**
 * Grafana dashboards over the backend's /metrics and the generated rules: overview, tenant, database, SLOs and
 * incidents. Built here so that every panel uses names from the catalogue; written to deploy/grafana/dashboards/
 * by `npm run gen:prometheus`, provisioned by deploy/grafana/provisioning/.
 */
import { BUSINESS_SLIS, sliDefinition } from "../../server/sli/catalog.ts";
import { BAD, BURN } from "./rules.ts";

const DS = { type: "prometheus", uid: "prometheus" };

interface Panel {
  title: string;
  type?: "timeseries" | "stat" | "table";
  exprs: Array<{ expr: string; legend?: string }>;
  unit?: string;
  width?: number;
  height?: number;
  description?: string;
}

const UNIT: Record<string, string> = { seconds: "s", ratio: "percentunit", count: "short", bytes: "bytes", per_second: "ops", days: "d" };

/** An SLI of the tenant with its objective in force as a second, dashed series. */
function sliPanel(id: string, by: string[] = []): Panel {
  const def = sliDefinition(id)!;
  const legend = by.length ? by.map((l) => `{{${l}}}`).join(" ") : def.title;
  return {
    title: def.title,
    unit: UNIT[def.unit],
    exprs: [
      { expr: `logistics_${id}{tenant=~"$tenant"}`, legend },
      { expr: `max(logistics_slo_objective{tenant=~"$tenant", sli="${id}"})`, legend: "objective" },
    ],
  };
}

function dashboard(uid: string, title: string, panels: Panel[], variables: string[] = ["tenant"]) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const out = panels.map((p, i) => {
    const w = p.width ?? 12;
    const h = p.height ?? 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const type = p.type ?? "timeseries";
    return {
      id: i + 1,
      type,
      title: p.title,
      description: p.description,
      datasource: DS,
      gridPos,
      fieldConfig: {
        defaults: { unit: p.unit ?? "short", ...(type === "timeseries" ? { custom: { drawStyle: "line", lineWidth: 1, fillOpacity: 0, spanNulls: false } } : {}) },
        overrides: [{ matcher: { id: "byName", options: "objective" }, properties: [{ id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } }, { id: "color", value: { mode: "fixed", fixedColor: "red" } }] }],
      },
      options: type === "stat" ? { reduceOptions: { calcs: ["lastNotNull"] }, colorMode: "value" } : type === "table" ? { showHeader: true } : { legend: { displayMode: "list", placement: "bottom" } },
      targets: p.exprs.map((e, j) => ({ refId: String.fromCharCode(65 + j), datasource: DS, expr: e.expr, legendFormat: e.legend ?? "", ...(type === "table" ? { instant: true, format: "table" } : {}) })),
    };
  });
  const templating = variables.map((v) => ({
    name: v,
    type: "query",
    datasource: DS,
    query: { query: v === "tenant" ? "label_values(logistics_sampling_up, tenant)" : `label_values(logistics_slo_target, ${v})`, refId: v },
    definition: v === "tenant" ? "label_values(logistics_sampling_up, tenant)" : `label_values(logistics_slo_target, ${v})`,
    includeAll: true,
    multi: true,
    current: { text: "All", value: "$__all" },
    allValue: ".*",
    refresh: 2,
  }));
  return { uid, title, tags: ["logistics"], timezone: "browser", schemaVersion: 39, version: 1, refresh: "1m", time: { from: "now-24h", to: "now" }, templating: { list: templating }, panels: out };
}

function overview() {
  return dashboard("logistics-overview", "Logistics: overview", [
    { title: "Tenants sampled", type: "stat", width: 6, height: 4, exprs: [{ expr: 'count(count by (tenant) (logistics_sampling_up{source="odoo_business"}))' }] },
    { title: "Sources that cannot be sampled", type: "stat", width: 6, height: 4, exprs: [{ expr: "count(logistics_sampling_up == 0) or vector(0)" }] },
    { title: "Firing pages", type: "stat", width: 6, height: 4, exprs: [{ expr: 'sum(logistics_alerts{state="firing", severity="page"}) or vector(0)' }] },
    { title: "Firing tickets", type: "stat", width: 6, height: 4, exprs: [{ expr: 'sum(logistics_alerts{state="firing", severity="ticket"}) or vector(0)' }] },
    { title: "Least error budget left (10 SLOs)", type: "table", width: 12, unit: "percentunit", exprs: [{ expr: 'bottomk(10, logistics_slo_error_budget_remaining{tenant=~"$tenant"})' }] },
    { title: "On-time deliveries", unit: "percentunit", exprs: [{ expr: 'logistics_on_time_delivery_ratio{tenant=~"$tenant"}', legend: "{{tenant}}" }] },
    { title: "Late open deliveries", exprs: [{ expr: 'logistics_late_open_deliveries{tenant=~"$tenant"}', legend: "{{tenant}}" }] },
    { title: "Deliveries ready to ship", exprs: [{ expr: 'logistics_ready_backlog{tenant=~"$tenant"}', legend: "{{tenant}}" }] },
    { title: "Carrier label failures", unit: "percentunit", exprs: [{ expr: 'logistics_label_failure_ratio{tenant=~"$tenant"}', legend: "{{tenant}} {{carrier}}" }] },
    { title: "Open waves past their scheduled date", exprs: [{ expr: 'logistics_late_open_waves{tenant=~"$tenant"}', legend: "{{tenant}}" }] },
    { title: "Collector runs that failed, by source", exprs: [{ expr: "count by (source) (logistics_collector_success == 0)", legend: "{{source}}" }] },
    { title: "Collector run time, slowest by source", unit: "s", exprs: [{ expr: "max by (source) (logistics_collector_duration_seconds)", legend: "{{source}}" }] },
  ]);
}

function tenant() {
  const panels: Panel[] = [
    { title: "Sampling works", type: "stat", width: 8, height: 4, exprs: [{ expr: 'min(logistics_sampling_up{tenant=~"$tenant"})' }], description: "1 when every collector of the tenant ran; 0 when one cannot sample." },
    { title: "Missing readings", type: "stat", width: 8, height: 4, exprs: [{ expr: 'sum(logistics_sli_missing{tenant=~"$tenant"})' }] },
    { title: "Firing alerts", type: "stat", width: 8, height: 4, exprs: [{ expr: 'sum(logistics_alerts{tenant=~"$tenant", state="firing"}) or vector(0)' }] },
  ];
  for (const d of BUSINESS_SLIS) panels.push(sliPanel(d.id, d.labels.length ? ["tenant", ...d.labels] : ["tenant"]));
  return dashboard("logistics-tenant", "Logistics: tenant", panels);
}

function database() {
  const pg = (id: string, by: string[] = []) => ({ ...sliPanel(id, ["tenant", ...by]), width: 8 });
  return dashboard("logistics-database", "Logistics: database", [
    pg("pg_connections", ["state"]),
    pg("pg_connections_used_ratio"),
    pg("pg_tenant_share", ["resource"]),
    pg("pg_lock_waiting_sessions"),
    pg("pg_lock_oldest_wait_seconds"),
    pg("pg_blocking_sessions"),
    pg("pg_blocking_chain_depth"),
    pg("pg_long_running_sessions"),
    pg("pg_idle_in_transaction_sessions"),
    pg("pg_idle_in_transaction_oldest_seconds"),
    pg("pg_commits_per_second"),
    pg("pg_rollbacks_per_second"),
    pg("pg_deadlocks_per_second"),
    pg("pg_temp_bytes_per_second"),
    pg("pg_cache_hit_ratio"),
    pg("pg_statement_time_per_second"),
    pg("pg_database_size_bytes"),
    pg("pg_database_growth_bytes_per_hour"),
    pg("pg_replication_lag_seconds"),
    pg("pg_replica_replay_delay_seconds"),
    pg("pg_wal_archive_failures"),
    pg("pg_wal_last_archived_age_seconds"),
  ]);
}

function slosAndIncidents() {
  const sel = 'tenant=~"$tenant", sli=~"$sli"';
  return dashboard("logistics-slos", "Logistics: SLOs and incidents", [
    { title: "Error budget left", type: "table", width: 24, unit: "percentunit", exprs: [{ expr: `sort(logistics_slo_error_budget_remaining{${sel}})` }] },
    { title: "Error budget left over time", unit: "percentunit", exprs: [{ expr: `logistics_slo_error_budget_remaining{${sel}}`, legend: "{{tenant}} {{sli}} {{carrier}}{{channel}}" }] },
    { title: "Burn rate, 1h and 6h (the backend's ledgers)", exprs: [{ expr: `logistics_slo_burn_rate{${sel}, window=~"1h|6h"}`, legend: "{{tenant}} {{sli}} {{carrier}}{{channel}} {{window}}" }] },
    { title: "Burn rate, 1h and 6h (Prometheus' recording rules)", exprs: [{ expr: `${BURN}{${sel}, window=~"1h|6h"}`, legend: "{{tenant}} {{sli}} {{carrier}}{{channel}} {{window}}" }] },
    { title: "Readings that break their objective", exprs: [{ expr: `sum by (tenant, sli) (${BAD}{${sel}})`, legend: "{{tenant}} {{sli}}" }] },
    { title: "Firing alerts by severity and kind (the backend)", exprs: [{ expr: 'sum by (severity, kind) (logistics_alerts{tenant=~"$tenant", state="firing"})', legend: "{{severity}} {{kind}}" }] },
    { title: "Pending and firing alerts (Prometheus' rules)", exprs: [{ expr: 'count by (alertname, severity, alertstate) (ALERTS{alertname=~"Logistics.*", tenant=~"$tenant"})', legend: "{{alertname}} {{alertstate}}" }] },
    { title: "Sources that cannot be sampled", exprs: [{ expr: 'logistics_sampling_up{tenant=~"$tenant"} == 0', legend: "{{tenant}} {{source}}" }] },
    { title: "SLO targets and objectives in force", type: "table", width: 24, exprs: [{ expr: `logistics_slo_target{${sel}}` }, { expr: `logistics_slo_objective{${sel}}` }] },
  ], ["tenant", "sli"]);
}

/** File name (under deploy/grafana/dashboards/) and dashboard JSON model. */
export function dashboards(): Array<{ file: string; model: ReturnType<typeof dashboard> }> {
  return [
    { file: "overview.json", model: overview() },
    { file: "tenant.json", model: tenant() },
    { file: "database.json", model: database() },
    { file: "slos-incidents.json", model: slosAndIncidents() },
  ];
}

/** Every PromQL expression of the dashboards, template variable queries included. */
export function dashboardExprs(): string[] {
  return dashboards().flatMap(({ model }) => [...model.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...model.templating.list.map((v) => v.definition)]);
}
