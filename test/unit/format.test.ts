import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { formatDuration, formatTime, formatValue, intlLocale, type Unit } from "../../server/sli/format.ts";

/** The cases the addon's Python formatter (models/format.py) is held to: they must be what this formatter says. */
const CASES = JSON.parse(readFileSync("odoo_addon/logistics_observability/tests/format_cases.json", "utf8")).cases as Array<{ value: number; unit: Unit; lang: string; text: string }>;

describe("one formatter for values, durations and times", () => {
  test("the addon's cases are what the backend and the dashboard say (regenerate with tsx scripts/gen-format-cases.ts)", () => {
    assert.ok(CASES.length > 60);
    for (const c of CASES) assert.equal(formatValue(c.value, c.unit, c.lang), c.text, `${c.lang} ${c.unit} ${c.value}`);
  });

  test("the same duration reads the same whatever its unit: 18 days, never 432.2 h", () => {
    assert.equal(formatValue(1_555_920, "seconds"), "18 days");
    assert.equal(formatValue(18.008, "days"), "18 days");
    assert.equal(formatDuration(16_200), "4.5 hr");
    assert.equal(formatValue(0.946, "ratio"), "94.6%", "a breach of 95% never rounds to 95%");
    assert.equal(formatValue(null, "count"), "—");
  });

  test("the reader's language and clock", () => {
    assert.equal(formatValue(0.946, "ratio", "fr_FR").replace(/\s/g, " "), "94,6 %");
    assert.equal(formatDuration(1_555_920, "de_DE"), "18 Tg.");
    assert.equal(intlLocale("sr@latin"), "sr");
    const at = Date.UTC(2026, 11, 6, 11, 5);
    assert.equal(formatTime(at), "6 Dec 2026, 11:05 UTC");
    assert.equal(formatTime(at, "Europe/Brussels"), "6 Dec 2026, 12:05 CET");
  });
});
