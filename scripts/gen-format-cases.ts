import { writeFileSync } from "node:fs";
import { formatValue, type Unit } from "../server/sli/format.ts";
const values: Array<[number, Unit]> = [[0, "seconds"], [3.26, "seconds"], [3.25, "seconds"], [4710, "seconds"], [12.4, "seconds"], [59, "seconds"], [360, "seconds"], [5399, "seconds"], [5400, "seconds"], [16_200, "seconds"], [86_400, "seconds"], [1_555_920, "seconds"], [-7200, "seconds"], [0, "ratio"], [0.946, "ratio"], [0.95, "ratio"], [0.003, "ratio"], [1, "ratio"], [0, "count"], [6, "count"], [1234, "count"], [2.5, "count"], [12.3, "days"], [0.5, "days"], [1_500_000_000, "bytes"], [512, "bytes"], [0.25, "per_second"], [42.2, "per_second"]];
const cases = [];
for (const lang of ["en_US", "fr_FR", "de_DE"]) for (const [value, unit] of values) cases.push({ value, unit, lang, text: formatValue(value, unit, lang) });
writeFileSync("odoo_addon/logistics_observability/tests/format_cases.json", JSON.stringify({ note: "What server/sli/format.ts says; the addon's models/format.py must say the same (spaces aside).", cases }, null, 1) + "\n");
