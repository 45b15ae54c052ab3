import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nextAttemptAt } from "../../server/notify/dispatcher.ts";
import { classify } from "../../server/notify/smtp.ts";

describe("delivery failures: retry or not", () => {
  const cases: Array<[string, unknown, boolean, RegExp]> = [
    ["4xx: mailbox busy", { responseCode: 451, message: "451 try again later" }, true, /^SMTP 451/],
    ["5xx: no such mailbox", { responseCode: 550, message: "550 mailbox unavailable" }, false, /^SMTP 550/],
    ["connection refused", { code: "ECONNECTION", message: "connect ECONNREFUSED 127.0.0.1:25" }, true, /^SMTP ECONNECTION/],
    ["timeout", { code: "ETIMEDOUT", message: "Greeting never received" }, true, /^SMTP ETIMEDOUT/],
  ];
  for (const [name, err, retryable, message] of cases) {
    test(name, () => {
      const e = classify(err);
      assert.equal(e.retryable, retryable);
      assert.match(e.message, message);
    });
  }
});

describe("backoff", () => {
  const now = new Date("2026-11-29T10:00:00Z");
  const cases: Array<[number, number]> = [[1, 60], [2, 120], [3, 240], [7, 3600], [20, 3600]];
  for (const [attempts, seconds] of cases) {
    test(`after ${attempts} failed attempt(s): ${seconds} s`, () => assert.equal((nextAttemptAt(now, attempts).getTime() - now.getTime()) / 1000, seconds));
  }
});
