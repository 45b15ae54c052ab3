/**
 * Prometheus recording and alerting rules generated from the SLI catalogue and the backend's burn rules, so that
 * Prometheus judges the SLOs as the backend does: a reading is bad when it breaks the objective in force for its
 * tenant (`logistics_slo_objective`, which carries the tenant's Odoo settings), a missing reading is neither good
 * nor bad, each window's burn rate is its share of bad readings over the budget (1 - `logistics_slo_target`), and
 * an alert needs both windows of a rule at its factor and the current reading still bad; it resolves at the second
 * good reading (keep_firing_for one interval). Written to deploy/prometheus/ by `npm run gen:prometheus`.
 */
import { BURN_RULES, BURN_WINDOWS, windowLabel, type BurnRule } from "../../server/detect/burn-rate.ts";
import { alertingOf, SLI_CATALOG } from "../../server/sli/catalog.ts";

export const JOB = "logistics";
/** Recorded per SLO series: 1 while its latest reading breaks its objective, 0 while it meets it. */
export const BAD = "tenant_sli:logistics_slo_reading_bad:bool";
/** Recorded per SLO series and `window`: the burn rate over that window, as the backend's ledgers compute it. */
export const BURN = "tenant_sli:logistics_slo_burn_rate:avg_over_time";

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval: string;
  rules: Rule[];
}

const duration = (seconds: number) => windowLabel(seconds);

function badReading(id: string, better: "lower" | "higher"): Rule {
  const op = better === "lower" ? ">" : "<";
  return { record: BAD, expr: `logistics_${id} ${op} bool ignoring (sli) logistics_slo_objective{sli="${id}"}`, labels: { sli: id } };
}

function burnRate(seconds: number): Rule {
  return {
    record: BURN,
    expr: `avg_over_time(${BAD}[${duration(seconds)}]) / (1 - logistics_slo_target)`,
    labels: { window: duration(seconds) },
  };
}

/**
 * Both windows at the factor; while the series is younger than the short window (no reading a short window ago),
 * one bad reading is not enough, as in the backend (`judgeBurn`): an outage pages at its second reading.
 */
function ruleMatches(r: BurnRule): string {
  const long = `${BURN}{window="${duration(r.longSeconds)}"} >= ${r.factor}`;
  const short = `${BURN}{window="${duration(r.shortSeconds)}"} >= ${r.factor}`;
  const history = `(present_over_time(${BAD}[1m] offset ${duration(r.shortSeconds)}) or sum_over_time(${BAD}[${duration(r.shortSeconds)}]) >= 2)`;
  return `(max without (window) (${long} and ignoring (window) ${short}) and ${history})`;
}

const severityMatches = (severity: BurnRule["severity"]) => `(${BURN_RULES.filter((r) => r.severity === severity).map(ruleMatches).join("\n  or\n  ")})`;

function burnAlert(severity: BurnRule["severity"], intervalSeconds: number): Rule {
  const rules = BURN_RULES.filter((r) => r.severity === severity).map((r) => `${r.factor}x over ${duration(r.longSeconds)} and ${duration(r.shortSeconds)}`);
  // The most severe rule wins, as in the backend: a ticket is not raised beside a page of the same series.
  const matches = severity === "page" ? severityMatches("page") : `(${severityMatches("ticket")}\n  unless\n  ${severityMatches("page")})`;
  return {
    alert: severity === "page" ? "LogisticsSloBurnRatePage" : "LogisticsSloBurnRateTicket",
    expr: `${matches}\nand\n${BAD} == 1\n`,
    keep_firing_for: duration(intervalSeconds),
    labels: { severity },
    annotations: {
      summary: "{{ $labels.tenant }}: {{ $labels.sli }}{{ if $labels.carrier }} ({{ $labels.carrier }}){{ end }}{{ if $labels.channel }} ({{ $labels.channel }}){{ end }} burns its error budget",
      description: `The error budget burns at ${rules.join(", or ")}, and the latest reading still breaks its objective.`,
    },
  };
}

/** The monitor itself: a source it cannot sample, a sampler that stopped, a backend Prometheus cannot scrape. */
function monitorRules(intervalSeconds: number): Rule[] {
  return [
    {
      alert: "LogisticsSamplingDown",
      expr: "logistics_sampling_up == 0",
      // The backend pages at the second failed run: one interval after the first.
      for: duration(intervalSeconds),
      labels: { severity: "page" },
      annotations: { summary: "{{ $labels.tenant }}: {{ $labels.source }} cannot be sampled", description: "Two runs in a row of this collector failed; GET /api/v1/collectors says why." },
    },
    {
      alert: "LogisticsSamplingStalled",
      expr: `time() - logistics_collector_last_success_timestamp_seconds > ${5 * intervalSeconds}\nand on (job, instance, tenant, source)\nlogistics_sampling_up == 1\n`,
      for: duration(intervalSeconds),
      labels: { severity: "page" },
      annotations: { summary: "{{ $labels.tenant }}: {{ $labels.source }} has not run for five intervals", description: "No run of this collector finished for five sampling intervals while its last run said it worked: the scheduler has stopped." },
    },
    {
      alert: "LogisticsMonitorDown",
      expr: `up{job="${JOB}"} == 0`,
      for: duration(2 * intervalSeconds),
      labels: { severity: "page" },
      annotations: { summary: "Prometheus cannot scrape the logistics backend {{ $labels.instance }}", description: "The backend is down, unreachable, or refuses the METRICS_TOKEN: nothing it judges reaches Prometheus." },
    },
    {
      alert: "LogisticsMonitorAbsent",
      expr: `absent(up{job="${JOB}"})`,
      for: duration(5 * intervalSeconds),
      labels: { severity: "page" },
      annotations: { summary: "No logistics backend is scraped", description: `Prometheus has no target in job "${JOB}": the scrape configuration lost it.` },
    },
  ];
}

/** Every SLO series of the catalogue: business SLIs that alert on burn rates. */
export const SLO_SLIS = SLI_CATALOG.filter((d) => alertingOf(d) === "slo");

export function ruleGroups(intervalSeconds = 60): RuleGroup[] {
  const interval = duration(intervalSeconds);
  return [
    // One group, so that each evaluation judges the readings, then the windows, then the alerts, in that order.
    {
      name: "logistics-slo",
      interval,
      rules: [...SLO_SLIS.map((d) => badReading(d.id, d.better)), ...BURN_WINDOWS.map(burnRate), burnAlert("page", intervalSeconds), burnAlert("ticket", intervalSeconds)],
    },
    { name: "logistics-monitor", interval, rules: monitorRules(intervalSeconds) },
  ];
}
