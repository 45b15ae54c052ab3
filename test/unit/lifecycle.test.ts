import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { step, type AlertStatus } from "../../server/detect/lifecycle.ts";

/** Feeds one reading a minute through the step function; returns the state and transition at each minute. */
function timeline(readings: Array<boolean | undefined>, forMinutes: number): string[] {
  let status: AlertStatus | undefined;
  return readings.map((breaching, m) => {
    const next = step(status, breaching, m * 60_000, forMinutes * 60);
    status = next.status;
    return `${status?.state ?? "-"}${next.transition ? `!${next.transition}` : ""}`;
  });
}

describe("alert lifecycle as timelines (one evaluation a minute)", () => {
  const T = true;
  const F = false;
  const cases: Array<[string, Array<boolean | undefined>, number, string[]]> = [
    ["fires after its for-duration, resolves when the breach ends", [F, T, T, T, F], 2, ["-", "pending", "pending", "firing!fired", "resolved!resolved"]],
    ["a breach shorter than the for-duration never fires", [T, T, F, T], 3, ["pending", "pending", "-", "pending"]],
    ["no for-duration fires at once", [T], 0, ["firing!fired"]],
    ["missing readings neither fire nor resolve", [T, T, undefined, undefined, F], 1, ["pending", "firing!fired", "firing", "firing", "resolved!resolved"]],
    ["a new breach after resolution is a new episode", [T, F, T, T], 1, ["pending", "-", "pending", "firing!fired"]],
  ];
  for (const [name, readings, forMinutes, want] of cases) test(name, () => assert.deepEqual(timeline(readings, forMinutes), want));

  test("a firing alert keeps the start of its episode", () => {
    const a = step(undefined, true, 0, 60).status;
    const b = step(a, true, 60_000, 60).status;
    const c = step(b, true, 120_000, 60).status;
    assert.deepEqual(c, { state: "firing", since: 0, firedAt: 60_000, resolvedAt: null });
  });

  test("with a keep-firing delay, a firing alert resolves only after staying clear that long; a relapse keeps the episode", () => {
    const MIN = 60_000;
    let st = step(undefined, true, 0, 0, 600).status;
    st = step(st, false, MIN, 0, 600).status;
    assert.equal(st?.state, "firing");
    st = step(st, true, 2 * MIN, 0, 600).status; // back: same episode, the clock is reset
    assert.deepEqual([st?.state, st?.since, st?.clearSince], ["firing", 0, null]);
    st = step(st, false, 3 * MIN, 0, 600).status;
    const end = step(st, false, 13 * MIN, 0, 600);
    assert.deepEqual([end.transition, end.status?.resolvedAt], ["resolved", 3 * MIN], "resolved as of when it cleared");
  });
});

test("a clock stepped back two days neither freezes a pending alert nor a firing one's recovery", () => {
  const day = 86_400_000;
  const later = 10 * day;
  const pending = step(undefined, true, later, 60).status!;
  const back = later - 2 * day;
  assert.equal(step(pending, true, back, 60).status!.state, "pending", "starts again at the stepped-back time");
  assert.equal(step(step(pending, true, back, 60).status, true, back + 60_000, 60).transition, "fired", "one for-duration later, not two days");
  const firing = { state: "firing" as const, since: later - 60_000, firedAt: later, resolvedAt: null, clearSince: later };
  const r = step(firing, false, back, 0, 60);
  assert.equal(r.status!.state, "firing");
  assert.equal(step(r.status, false, back + 60_000, 0, 60).transition, "resolved");
});
