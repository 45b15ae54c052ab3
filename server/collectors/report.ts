import type { Sample } from "../sli/sample.ts";

/** What the runner reports after each collector run. */
export interface RunReport {
  tenant: string;
  source: string;
  ok: boolean;
  durationSeconds: number;
  finishedAt: Date;
  samples: readonly Sample[];
}
