import { reading, type Reading } from "../sli/sample.ts";
import type { JourneyResult } from "./journey.ts";

/**
 * A journey run as SLI readings. Pure. Every step of the journey has a series in every run (a steady set of series):
 * `journey_failed_step` is 1 on the step that failed and 0 elsewhere, so its alert names the step; step times are
 * missing for steps never reached.
 */
export function journeyReadings(r: JourneyResult): Reading[] {
  const journey = { journey: r.journey };
  const failed = r.steps.find((s) => !s.ok);
  const out: Reading[] = [
    reading("journey_success", r.ok ? 1 : 0, ""),
    // A failed run's duration is the time to fail, not the journey's: it would flatter a fast failure.
    reading("journey_duration_seconds", r.ok ? r.seconds : undefined, `failed at ${failed?.step}`),
  ].map((x) => ({ ...x, labels: journey }));
  for (const s of r.steps) {
    out.push({ sli: "journey_failed_step", labels: { ...journey, step: s.step }, value: s.ok ? 0 : 1 });
    out.push(reading("journey_step_seconds", s.seconds, "", { ...journey, step: s.step }));
  }
  for (const step of r.skipped) {
    out.push({ sli: "journey_failed_step", labels: { ...journey, step }, value: 0 });
    out.push(reading("journey_step_seconds", undefined, `not reached: ${failed?.step} failed`, { ...journey, step }));
  }
  return out;
}
