import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { answerText, ordered, questionText, type ScorecardAnswer } from "../../web_components/scorecard/questions.ts";

describe("scorecard page", () => {
  const answer = (key: ScorecardAnswer["key"], a: ScorecardAnswer["answer"] = "yes"): ScorecardAnswer => ({ key, question: `backend: ${key}`, answer: a, verdict: "v", figures: {} });

  test("the five questions in the order the business asks them, in the user's words", () => {
    const page = ordered([answer("changes"), answer("backups"), answer("detection", "partly"), answer("tenants", "unknown"), answer("isolation", "no")]);
    assert.deepEqual(page.map((a) => a.key), ["detection", "isolation", "backups", "tenants", "changes"]);
    assert.deepEqual(page.map((a) => answerText(a.answer)), ["Partly", "No", "Yes", "Unknown", "Yes"]);
    assert.equal(questionText(page[0]!), "Do we detect problems before customers do?");
    assert.equal(questionText({ key: "other" as ScorecardAnswer["key"], question: "A new question" }), "A new question", "a question this page does not know reads as the backend asks it");
  });
});
