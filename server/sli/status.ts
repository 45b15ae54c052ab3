import type { SliDefinition } from "./catalog.ts";

export type SliStatus = "ok" | "breach" | "missing";

/** The objective in force: the config's override, else the catalogue's default. */
export function objectiveOf(def: SliDefinition, overrides: Record<string, number>): number {
  return overrides[def.id] ?? def.target;
}

/** Whether a reading meets its objective; a missing reading is its own status, never "ok". */
export function statusOf(value: number | null, def: SliDefinition, objective: number): SliStatus {
  if (value === null) return "missing";
  return (def.better === "lower" ? value <= objective : value >= objective) ? "ok" : "breach";
}
