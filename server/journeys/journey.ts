import type { WebSession } from "./session.ts";

/** One step of a journey: does what a person does, and throws with what they would see when it fails. */
export interface Step<S> {
  name: string;
  run(session: WebSession, state: S): Promise<void>;
}

export interface Journey<S> {
  name: string;
  /** A fresh state per run (what earlier steps found, e.g. the delivery to open). */
  start(): S;
  steps: ReadonlyArray<Step<S>>;
  /** Run after a failed step, unmeasured, so that a broken run leaves no open session behind. */
  cleanUp?(session: WebSession): Promise<void>;
}

export interface StepResult {
  step: string;
  ok: boolean;
  seconds: number;
  error?: string;
}

export interface JourneyResult {
  journey: string;
  ok: boolean;
  seconds: number;
  /** Every step tried, in order; the last is the failing one when the journey failed. */
  steps: StepResult[];
  /** Steps never reached because an earlier one failed. */
  skipped: string[];
}

/** Runs the steps in order, timing each, and stops at the first failure as a person would. */
export async function runJourney<S>(journey: Journey<S>, session: WebSession, clock: () => number = () => performance.now()): Promise<JourneyResult> {
  const state = journey.start();
  const steps: StepResult[] = [];
  const began = clock();
  for (const step of journey.steps) {
    const t0 = clock();
    try {
      await step.run(session, state);
      steps.push({ step: step.name, ok: true, seconds: (clock() - t0) / 1000 });
    } catch (err) {
      steps.push({ step: step.name, ok: false, seconds: (clock() - t0) / 1000, error: err instanceof Error ? err.message : String(err) });
      await journey.cleanUp?.(session).catch(() => {});
      break;
    }
  }
  const ok = steps.length === journey.steps.length && steps.every((s) => s.ok);
  const skipped = journey.steps.slice(steps.length).map((s) => s.name);
  return { journey: journey.name, ok, seconds: (clock() - began) / 1000, steps, skipped };
}

/** A step's failure as a person would report it. */
export class StepFailure extends Error {
  override name = "StepFailure";
}
