import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../support/ports.ts";
import { until } from "../support/until.ts";

/**
 * The wall clock stepped by two days, back and forth, under the real process (libfaketime in front of the
 * system clock; the monotonic clock untouched, as NTP or an operator's `date -s` leaves it): sampling goes on
 * within one cycle, and the step costs a few log lines, not one per missed cycle.
 */
const LIB = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"].find(existsSync);
if (!LIB) console.log("# clock steps suite: NOT RUN (libfaketime missing: apt-get install faketime)");

const INTERVAL_S = 5;
const TOKEN = "clock-token-0123456789";

describe("clock steps", { skip: LIB ? false : "libfaketime missing (apt-get install faketime)" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "lo-clock-"));
  const offsetFile = join(dir, "offset");
  let child: ChildProcess;
  let port = 0;
  const lines: string[] = [];

  const runs = async (): Promise<number> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/collectors`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { collectors } = (await res.json()) as { collectors: Array<{ source: string; runs: number }> };
    return collectors.find((c) => c.source === "odoo_business")?.runs ?? 0;
  };
  /** The newest reading's time, by the process's (stepped) clock. */
  const newestAt = async (): Promise<number> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/slis/current`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { slis } = (await res.json()) as { slis: Array<{ at: string }> };
    return Math.max(...slis.map((x) => Date.parse(x.at)));
  };

  before(async () => {
    writeFileSync(offsetFile, "+0");
    port = await freePort();
    child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      env: {
        ...process.env, PORT: String(port), DATA_DIR: dir, SAMPLE_INTERVAL_SECONDS: String(INTERVAL_S), API_TOKEN: TOKEN,
        LD_PRELOAD: LIB, FAKETIME_TIMESTAMP_FILE: offsetFile, FAKETIME_NO_CACHE: "1", DONT_FAKE_MONOTONIC: "1",
      },
    });
    const keep = (d: Buffer) => lines.push(...d.toString().split("\n").filter(Boolean));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    await until(30_000, async () => (await runs()) >= 1, "first sampling run");
  });
  after(() => child?.kill("SIGKILL"));

  for (const [step, offset, days] of [["-2 days", "-2d", -2], ["+2 days", "+2d", 2]] as const) {
    test(`a ${step} step: sampling continues within one cycle, with no log flood`, async () => {
      const before = await runs();
      const logged = lines.length;
      writeFileSync(offsetFile, offset);
      const stepped = Date.now();
      await until(3 * INTERVAL_S * 1000, async () => (await runs()) > before, `a run after the ${step} step`);
      const seconds = (Date.now() - stepped) / 1000;
      await sleep(INTERVAL_S * 1000);
      const after = await runs();
      const newLines = lines.length - logged;
      console.log(`# clock ${step}: next run after ${seconds.toFixed(1)} s; ${after - before} runs and ${newLines} log lines in the ${(seconds + INTERVAL_S).toFixed(0)} s after`);
      const skew = (await newestAt()) - Date.now();
      assert.ok(Math.abs(skew - days * 86_400_000) < 60_000, `the process's clock is stepped: readings are ${(skew / 86_400_000).toFixed(2)} days off`);
      assert.ok(seconds <= INTERVAL_S + 2, `${seconds} s to the next run`);
      assert.ok(after - before >= 2, "it keeps its cadence");
      assert.ok(newLines <= 10, `${newLines} log lines after the step:\n${lines.slice(logged, logged + 5).join("\n")}`);
    });
  }
});
