/**
 * promtool unit tests of the generated rules. The SLO scenarios are minute-by-minute readings; what each test
 * expects is the backend's own verdict on the same readings (`evaluateBurn`, the current reading, one interval
 * of keep-firing), taken only at minutes where that verdict does not depend on whether a window holds its oldest
 * minute (Prometheus' ranges include both ends, the backend's ledgers do not). The monitor's alerts are spelled out.
 */
import { BURN_RULES, evaluateBurn, isGood, type SloPoint } from "../../server/detect/burn-rate.ts";
import { sliDefinition } from "../../server/sli/catalog.ts";
import { BAD, JOB, ruleGroups } from "./rules.ts";

const INSTANCE = "backend:8080";
const TARGET = 0.99;

interface Scenario {
  name: string;
  sli: string;
  labels?: Record<string, string>;
  minutes: number;
  /** Checked from this minute on (a long scenario's history is only there to fill the windows). */
  checkFrom?: number;
  value: (minute: number) => number | null;
}

const SCENARIOS: Scenario[] = [
  { name: "late deliveries: a 20-minute outage pages, resolves at the second good reading", sli: "late_open_deliveries", minutes: 150, value: (m) => (m >= 90 && m < 110 ? 40 : 3) },
  { name: "on-time deliveries (higher is better) drop and recover", sli: "on_time_delivery_ratio", minutes: 150, value: (m) => (m >= 90 && m < 112 ? 0.7 : 0.98) },
  { name: "one carrier failing among others", sli: "label_failure_ratio", labels: { carrier: "DHL Express" }, minutes: 120, value: (m) => (m >= 80 ? 0.3 : 0.002) },
  { name: "the carrier that prints normally beside it", sli: "label_failure_ratio", labels: { carrier: "UPS Standard" }, minutes: 120, value: () => 0.002 },
  { name: "a slow burn (one bad reading in 25) is a ticket while the reading is bad", sli: "late_open_deliveries", minutes: 26 * 60, checkFrom: 24 * 60, value: (m) => (m % 25 === 24 ? 40 : 3) },
  { name: "a stray bad first reading of a new series does not page", sli: "ready_backlog", minutes: 20, value: (m) => (m === 0 ? 900 : 10) },
  { name: "an outage from the first reading pages at the second", sli: "cron_max_lag_seconds", minutes: 20, value: (m) => (m < 15 ? 7200 : 10) },
  { name: "a missing reading is neither good nor bad", sli: "mail_outgoing_backlog", minutes: 120, value: (m) => (m >= 90 && m < 100 ? null : m >= 100 ? 500 : 10) },
];

type Severity = "page" | "ticket";

/**
 * The backend's burn alert at each minute, by severity, where Prometheus must agree. The backend holds one alert
 * per series whose severity moves; Prometheus has one per severity, each kept one interval after its condition
 * (so a ticket that turns into a page is both for one interval: Alertmanager's inhibition hides the ticket).
 */
function backendAlerts(s: Scenario): Array<{ minute: number; severities: Severity[] }> {
  const def = sliDefinition(s.sli)!;
  const slo = { objective: def.target, better: def.better, target: TARGET, windowSeconds: 28 * 86_400 };
  const points: SloPoint[] = Array.from({ length: s.minutes }, (_, m) => ({ at: m * 60_000, value: s.value(m) }));
  const wider = BURN_RULES.map((r) => ({ ...r, longSeconds: r.longSeconds + 60, shortSeconds: r.shortSeconds + 60 }));
  const breach = (m: number): { severity: Severity | null; stable: boolean } => {
    if (m < 0) return { severity: null, stable: true };
    const upTo = points.slice(0, m + 1);
    const a = evaluateBurn(upTo, m * 60_000, slo).severity;
    const v = s.value(m);
    return { severity: v !== null && !isGood(v, slo) ? a : null, stable: a === evaluateBurn(upTo, m * 60_000, slo, wider).severity };
  };
  const out: Array<{ minute: number; severities: Severity[] }> = [];
  let before = breach(-1);
  for (let m = 0; m < s.minutes; m++) {
    const now = breach(m);
    // Firing while the verdict holds and the reading breaches, and one interval more.
    if (now.stable && before.stable) out.push({ minute: m, severities: (["page", "ticket"] as const).filter((x) => now.severity === x || before.severity === x) });
    before = now;
  }
  return out;
}

/** Promtool's expanding notation: runs of one value as `vxN`, missing readings as a staleness marker then `_`. */
function seriesValues(values: Array<number | null>): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[i]) j++;
    const n = j - i + 1;
    // A reading the backend reports missing leaves /metrics: Prometheus marks the series stale at once.
    parts.push(values[i] === null ? (n === 1 ? "stale" : `stale _x${n - 1}`) : n === 1 ? String(values[i]) : `${values[i]}x${n - 1}`);
    i = j + 1;
  }
  return parts.join(" ");
}

const selector = (name: string, labels: Record<string, string>) => `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(",")}}`;

function annotations(severity: Severity, labels: Record<string, string>) {
  const rule = ruleGroups().flatMap((g) => g.rules).find((r) => r.alert === (severity === "page" ? "LogisticsSloBurnRatePage" : "LogisticsSloBurnRateTicket"))!;
  const summary = `${labels.tenant}: ${labels.sli}${labels.carrier ? ` (${labels.carrier})` : ""}${labels.channel ? ` (${labels.channel})` : ""} burns its error budget`;
  return { summary, description: rule.annotations!.description! };
}

/** Every 5th minute the backend's verdict is stable on, plus every minute where it changes. */
function checkpoints(s: Scenario) {
  const all = backendAlerts(s).filter((a) => a.minute >= (s.checkFrom ?? 0));
  return all.filter((a, i) => a.minute % 5 === 0 || a.minute === 1 || (i > 0 && all[i - 1]!.minute === a.minute - 1 && all[i - 1]!.severities.join() !== a.severities.join()));
}

function sloTest(s: Scenario) {
  const def = sliDefinition(s.sli)!;
  const series = { job: JOB, instance: INSTANCE, tenant: "demo", ...s.labels };
  const slo = { ...series, sli: s.sli };
  const values = Array.from({ length: s.minutes }, (_, m) => s.value(m));
  const alerts = checkpoints(s).flatMap((c) =>
    (["LogisticsSloBurnRatePage", "LogisticsSloBurnRateTicket"] as const).map((alertname) => {
      const severity: Severity = alertname.endsWith("Page") ? "page" : "ticket";
      const labels = { severity, ...slo };
      return { eval_time: `${c.minute}m`, alertname, exp_alerts: c.severities.includes(severity) ? [{ exp_labels: labels, exp_annotations: annotations(severity, labels) }] : [] };
    }),
  );
  return {
    name: s.name,
    interval: "1m",
    input_series: [
      { series: selector(`logistics_${s.sli}`, series), values: seriesValues(values) },
      { series: selector("logistics_slo_objective", slo), values: `${def.target}x${s.minutes}` },
      { series: selector("logistics_slo_target", slo), values: `${TARGET}x${s.minutes}` },
    ],
    alert_rule_test: alerts,
    promql_expr_test: [{ expr: `${BAD}{sli="${s.sli}"}`, eval_time: "0m", exp_samples: [{ labels: selector(BAD, slo), value: values[0] === null ? undefined : isGood(values[0]!, { objective: def.target, better: def.better }) ? 0 : 1 }].filter((x) => x.value !== undefined) }],
  };
}

const monitorLabels = { job: JOB, instance: INSTANCE };

function monitorTests() {
  const up = { ...monitorLabels, tenant: "demo", source: "odoo_business" };
  return [
    {
      name: "a source that fails twice in a row pages; once is a blip",
      interval: "1m",
      input_series: [{ series: selector("logistics_sampling_up", up), values: "1 1 0 0 0 1 1 0 1" }, { series: selector("up", monitorLabels), values: "1x9" }],
      alert_rule_test: [
        { eval_time: "2m", alertname: "LogisticsSamplingDown", exp_alerts: [] },
        { eval_time: "3m", alertname: "LogisticsSamplingDown", exp_alerts: [{ exp_labels: { severity: "page", ...up }, exp_annotations: { summary: "demo: odoo_business cannot be sampled", description: "Two runs in a row of this collector failed; GET /api/v1/collectors says why." } }] },
        { eval_time: "6m", alertname: "LogisticsSamplingDown", exp_alerts: [] },
        { eval_time: "7m", alertname: "LogisticsSamplingDown", exp_alerts: [] },
      ],
    },
    {
      name: "a sampler that stopped (no run for five intervals, sampling_up frozen at 1) pages",
      interval: "1m",
      input_series: [
        { series: selector("logistics_sampling_up", up), values: "1x12" },
        { series: selector("logistics_collector_last_success_timestamp_seconds", up), values: "0x12" },
        { series: selector("up", monitorLabels), values: "1x12" },
      ],
      alert_rule_test: [
        { eval_time: "5m", alertname: "LogisticsSamplingStalled", exp_alerts: [] },
        { eval_time: "8m", alertname: "LogisticsSamplingStalled", exp_alerts: [{ exp_labels: { severity: "page", ...up }, exp_annotations: { summary: "demo: odoo_business has not run for five intervals", description: "No run of this collector finished for five sampling intervals while its last run said it worked: the scheduler has stopped." } }] },
      ],
    },
    {
      name: "a backend Prometheus cannot scrape pages after two intervals; a target missing from the configuration after five",
      interval: "1m",
      input_series: [{ series: selector("up", monitorLabels), values: "1 1 0 0 0 0 1" }],
      alert_rule_test: [
        { eval_time: "3m", alertname: "LogisticsMonitorDown", exp_alerts: [] },
        { eval_time: "4m", alertname: "LogisticsMonitorDown", exp_alerts: [{ exp_labels: { severity: "page", ...monitorLabels }, exp_annotations: { summary: `Prometheus cannot scrape the logistics backend ${INSTANCE}`, description: "The backend is down, unreachable, or refuses the METRICS_TOKEN: nothing it judges reaches Prometheus." } }] },
        { eval_time: "6m", alertname: "LogisticsMonitorAbsent", exp_alerts: [] },
      ],
    },
    {
      name: "no logistics target at all",
      interval: "1m",
      input_series: [{ series: 'up{job="other",instance="x:1"}', values: "1x10" }],
      alert_rule_test: [
        { eval_time: "4m", alertname: "LogisticsMonitorAbsent", exp_alerts: [] },
        { eval_time: "6m", alertname: "LogisticsMonitorAbsent", exp_alerts: [{ exp_labels: { severity: "page", job: JOB }, exp_annotations: { summary: "No logistics backend is scraped", description: `Prometheus has no target in job "${JOB}": the scrape configuration lost it.` } }] },
      ],
    },
  ];
}

/** The promtool test file, relative to deploy/prometheus/tests/. */
export function ruleTests(): object {
  return { rule_files: ["../rules/logistics.rules.yml"], evaluation_interval: "1m", tests: [...SCENARIOS.map(sloTest), ...monitorTests()] };
}
