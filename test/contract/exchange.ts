/**
 * Recorded JSON-RPC exchanges with a real Odoo, and the shape comparison the contract test holds the demo
 * simulator to. Shapes, not values: the same keys, and per key the same kind of value (a naive UTC datetime
 * string, a many2one pair, an integer...), where `false` (an empty field) is compatible with any kind.
 */
export interface Exchange {
  name: string;
  request: { service: string; method: string; args: unknown[] };
  response: { result?: unknown; error?: { code: number; message: string; data: Record<string, unknown> } };
}

export type Kind = "false" | "true" | "datetime" | "date" | "int" | "float" | "string" | "many2one" | "list" | "object" | "null";

export function kindOf(v: unknown): Kind {
  if (v === false) return "false";
  if (v === true) return "true";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(v) ? "datetime" : /^\d{4}-\d\d-\d\d$/.test(v) ? "date" : "string";
  if (Array.isArray(v)) return v.length === 2 && typeof v[0] === "number" && typeof v[1] === "string" ? "many2one" : "list";
  return "object";
}

/** Kinds that stand for the same field type ("true"/"false" are both booleans; an int may be a whole float). */
function compatible(a: Kind, b: Kind): boolean {
  if (a === b || a === "false" || b === "false") return true;
  const bool = new Set<Kind>(["true", "false"]);
  if (bool.has(a) && bool.has(b)) return true;
  const num = new Set<Kind>(["int", "float"]);
  return num.has(a) && num.has(b);
}

/** Differences between a real answer and the simulator's, as readable lines; empty when the shapes agree. */
export function shapeDiff(real: unknown, sim: unknown, path = "result"): string[] {
  const kr = kindOf(real);
  const ks = kindOf(sim);
  if (!compatible(kr, ks)) return [`${path}: real is ${kr}, simulator gives ${ks}`];
  if (kr === "list" && ks === "list") {
    const r = real as unknown[];
    const s = sim as unknown[];
    if (!r.length || !s.length) return [];
    // Records (objects) of one answer share a shape: compare each simulator row with the first real row. Other
    // lists are tuples (server_version_info mixes numbers and text): compare them position by position.
    // A batch of answers (logistics.snapshot.batch) is a tuple of different shapes: compared position by position.
    if (kindOf(r[0]) === "object" && !isBatch(r)) return s.slice(0, 20).flatMap((row, i) => shapeDiff(r[0], row, `${path}[${i}]`));
    if (r.length !== s.length) return [`${path}: real has ${r.length} items, simulator ${s.length}`];
    return s.flatMap((item, i) => shapeDiff(r[i], item, `${path}[${i}]`));
  }
  if (kr === "object" && ks === "object") {
    const r = real as Record<string, unknown>;
    const s = sim as Record<string, unknown>;
    const keys = new Set([...Object.keys(r), ...Object.keys(s)]);
    return [...keys].flatMap((k) => {
      if (k === "__domain") return k in s ? [] : [`${path}.${k}: missing in simulator`];
      if (!(k in s)) return [`${path}.${k}: missing in simulator`];
      if (!(k in r)) return [`${path}.${k}: not in the real answer`];
      return shapeDiff(r[k], s[k], `${path}.${k}`);
    });
  }
  return [];
}

function isBatch(items: unknown[]): boolean {
  return items.every((x) => x !== null && typeof x === "object" && ("result" in x || "error" in x) && Object.keys(x).length === 1);
}
