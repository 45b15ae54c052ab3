import type { SliDefinition } from "./catalog.ts";

/**
 * Synthetic journeys are business service levels seen from a user's chair: a journey's success and duration have
 * objectives and error budgets like the other business SLIs; the failing step alerts on its own, naming the step.
 */
export const JOURNEY_SIGNALS: readonly SliDefinition[] = [
  { id: "journey_success", title: "Synthetic journey success", unit: "ratio", better: "higher", target: 1, labels: ["journey"], layer: "business" },
  { id: "journey_duration_seconds", title: "Synthetic journey duration", unit: "seconds", better: "lower", target: 10, labels: ["journey"], layer: "business" },
  { id: "journey_failed_step", title: "Synthetic journey failed at this step", unit: "count", better: "lower", target: 0, labels: ["journey", "step"], layer: "business" },
  { id: "journey_step_seconds", title: "Synthetic journey step duration", unit: "seconds", better: "lower", target: 8, labels: ["journey", "step"], layer: "business" },
];

/**
 * What the addon's audit trail says, judged per tenant over recent windows. Bursts, grants of administrator rights
 * and unusual exports are the dangerous ones (they alert at once); the other counts are for the trail and trends.
 */
export const SECURITY_SIGNALS: readonly SliDefinition[] = [
  { id: "security_failed_logins", title: "Failed logins in the last 10 minutes", unit: "count", better: "lower", target: 50, labels: [] },
  { id: "security_login_bursts", title: "Logins or addresses with 5 or more failed logins in 10 minutes (brute force)", unit: "count", better: "lower", target: 0, labels: [] },
  { id: "security_credential_stuffing_sources", title: "Addresses failing on 10 or more logins in an hour (credential stuffing)", unit: "count", better: "lower", target: 0, labels: [] },
  { id: "security_privilege_grants", title: "Administrator rights granted in the last hour", unit: "count", better: "lower", target: 0, labels: [] },
  { id: "security_new_internal_users", title: "Internal users created in the last 24 hours", unit: "count", better: "lower", target: 5, labels: [] },
  { id: "security_api_keys_created", title: "API keys created in the last 24 hours", unit: "count", better: "lower", target: 5, labels: [] },
  { id: "security_config_changes", title: "Configuration changes in the last hour", unit: "count", better: "lower", target: 20, labels: ["kind"] },
  { id: "security_unusual_exporters", title: "Users exporting far more rows this hour than their baseline", unit: "count", better: "lower", target: 0, labels: [] },
].map((d): SliDefinition => ({ ...d, layer: "security" }) as SliDefinition);
