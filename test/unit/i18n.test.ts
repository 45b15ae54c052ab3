import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import gettext from "gettext-parser";

/**
 * The dashboard's words reach French and German users: the template Odoo's exporter wrote (scripts/i18n.sh) holds
 * every `_t("...")` of the components and every word of their XML templates, and the French and German files
 * translate all of those the web client loads (`#. odoo-javascript`).
 */
const DIR = "odoo_addon/logistics_observability/i18n";
type Entry = { msgid: string; msgstr: string[]; comments?: { extracted?: string; reference?: string } };
const entries = (file: string): Entry[] => Object.values(gettext.po.parse(readFileSync(`${DIR}/${file}`)).translations).flatMap((c) => Object.values(c)).filter((e) => e.msgid);
const web = (e: Entry) => /odoo-javascript/.test(e.comments?.extracted ?? "");

describe("translations", () => {
  const pot = entries("logistics_observability.pot");
  test("the template holds every _t() of the dashboard's sources (run scripts/i18n.sh after changing words)", () => {
    const ids = new Set(pot.map((e) => e.msgid));
    const code = (f: string) => readFileSync(`web_components/${f}`, "utf8").split("\n").filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l));
    const sources = readdirSync("web_components", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).flatMap(code).join("\n");
    const used = [...sources.matchAll(/\b_t\("((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    assert.ok(used.length > 30);
    assert.deepEqual(used.filter((t) => !ids.has(t)), []);
    assert.ok(ids.has("What needs attention now") && ids.has("Open the incident") && ids.has("Scorecard"), "the XML templates' words are there");
  });
  for (const lang of ["fr", "de"]) {
    test(`${lang}: every word the dashboard shows is translated, placeholders kept`, () => {
      const po = new Map(entries(`${lang}.po`).map((e) => [e.msgid, e.msgstr[0] ?? ""]));
      const missing = pot.filter(web).filter((e) => e.comments?.extracted && /static\/src\/dashboard\//.test(e.comments.reference ?? "") && !po.get(e.msgid));
      assert.deepEqual(missing.map((e) => e.msgid), []);
      for (const e of pot.filter(web)) {
        const tr = po.get(e.msgid);
        if (tr) assert.deepEqual((tr.match(/%(\(\w+\))?s/g) ?? []).sort(), (e.msgid.match(/%(\(\w+\))?s/g) ?? []).sort(), `${lang}: ${e.msgid}`);
      }
    });
  }
});
