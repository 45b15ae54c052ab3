import { isEmpty, type Database, type Rec } from "./database.ts";
import { OdooFault, valueError } from "./faults.ts";
import { pythonRepr, pythonTuple } from "./python-repr.ts";
import { isNumeric, type FieldDef } from "./schema.ts";

/** Whether a record matches a compiled domain. */
export type Predicate = (rec: Rec) => boolean;

type Leaf = [string, string, unknown];
type Node = { kind: "and" | "or"; children: Node[] } | { kind: "not"; child: Node } | { kind: "leaf"; leaf: unknown[] };

const TERM_OPERATORS = new Set(["=", "!=", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like", "not like", "ilike", "not ilike", "in", "not in", "child_of", "parent_of", "any", "not any"]);
const ARITY: Record<string, number> = { "&": 2, "|": 2, "!": 1 };
const TRUE_LEAF = [1, "=", 1];
const FALSE_LEAF = [0, "=", 1];
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/;

/**
 * Compiles an Odoo domain (prefix notation, implicit "&" between terms) for `model`, checking it as Odoo 18 does
 * and with its error texts: syntax first, then every field, then every operator, so that a bad domain fails even
 * when no record would reach the bad leaf.
 */
export function compileDomain(db: Database, model: string, domain: unknown): Predicate {
  if (!Array.isArray(domain)) {
    throw new OdooFault("builtins.AssertionError", "Domains to normalize must have a 'domain' form: a list or tuple of domain components");
  }
  checkSyntax(domain);
  const nodes: Node[] = [];
  let i = 0;
  const parse = (): Node => {
    const token = domain[i++];
    if (token === "&" || token === "|") return { kind: token === "&" ? "and" : "or", children: [parse(), parse()] };
    if (token === "!") return { kind: "not", child: parse() };
    return { kind: "leaf", leaf: Array.isArray(token) ? token : [token] };
  };
  while (i < domain.length) nodes.push(parse());
  const leaves = collectLeaves(nodes);
  for (const leaf of leaves) checkField(db, model, leaf);
  for (const leaf of leaves) if (!isConstant(leaf) && !TERM_OPERATORS.has(String(leaf[1]))) throw valueError(`Invalid leaf ${pythonTuple(leaf)}`);
  return build(db, model, { kind: "and", children: nodes });
}

/** Odoo's check in normalize_domain: every operator has its operands, nothing is left over. */
function checkSyntax(domain: unknown[]): void {
  normalizeDomain(domain);
}

/** Odoo's normalize_domain: implicit "&" made explicit; the empty domain is the always-true leaf. */
export function normalizeDomain(domain: unknown[]): unknown[] {
  if (!domain.length) return [TRUE_LEAF];
  const out: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      out.unshift("&"); // two terms in a row
      expected = 1;
    }
    expected += Array.isArray(token) ? -1 : (ARITY[String(token)] ?? 0) - 1;
    out.push(token);
  }
  if (expected !== 0) throw valueError(`Domain ${pythonRepr(domain)} is syntactically not correct.`);
  return out;
}

/** Odoo's expression.AND of two domains, as read_group builds each group's __domain. */
export function andDomains(a: unknown[], b: unknown[]): unknown[] {
  const same = (x: unknown[], y: unknown[]) => JSON.stringify(x) === JSON.stringify(y);
  const parts = [a, b].map(normalizeDomain).filter((d) => !same(d, [TRUE_LEAF]));
  if (parts.some((d) => same(d, [FALSE_LEAF]))) return [FALSE_LEAF];
  return parts.length ? [...Array<string>(parts.length - 1).fill("&"), ...parts.flat(1)] : [TRUE_LEAF];
}

function collectLeaves(nodes: Node[]): unknown[][] {
  return nodes.flatMap((n) => (n.kind === "leaf" ? [n.leaf] : n.kind === "not" ? collectLeaves([n.child]) : collectLeaves(n.children)));
}

/** Odoo's TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1). */
function isConstant(leaf: unknown[]): boolean {
  return leaf.length === 3 && (leaf[0] === 1 || leaf[0] === 0) && leaf[1] === "=" && leaf[2] === 1;
}

function checkField(db: Database, model: string, leaf: unknown[]): void {
  if (leaf.length < 3) throw valueError(`not enough values to unpack (expected 3, got ${leaf.length})`);
  if (leaf.length > 3) throw valueError("too many values to unpack (expected 3)");
  if (isConstant(leaf)) return;
  if (typeof leaf[0] !== "string") throw valueError(`Invalid leaf ${pythonTuple(leaf)}`);
  const [head, rest] = splitPath(leaf[0]);
  const field = db.model(model).fields[head];
  if (!field) throw valueError(`Invalid field ${model}.${head} in leaf ${pythonTuple(leaf)}`);
  if (rest !== undefined && field.comodel) checkField(db, field.comodel, [rest, leaf[1], leaf[2]]);
}

function splitPath(path: string): [string, string | undefined] {
  const dot = path.indexOf(".");
  return dot < 0 ? [path, undefined] : [path.slice(0, dot), path.slice(dot + 1)];
}

function build(db: Database, model: string, node: Node): Predicate {
  switch (node.kind) {
    case "and": {
      const parts = node.children.map((c) => build(db, model, c));
      return (r) => parts.every((p) => p(r));
    }
    case "or": {
      const parts = node.children.map((c) => build(db, model, c));
      return (r) => parts.some((p) => p(r));
    }
    case "not": {
      const inner = build(db, model, node.child);
      return (r) => !inner(r);
    }
    case "leaf":
      return isConstant(node.leaf) ? () => node.leaf[0] === 1 : leafPredicate(db, model, node.leaf as Leaf);
  }
}

function leafPredicate(db: Database, model: string, [path, op, value]: Leaf): Predicate {
  const [head, rest] = splitPath(path);
  const def = db.model(model).fields[head]!;
  if (op === "child_of" || op === "parent_of") throw valueError(`the demo Odoo does not support the '${op}' operator`);
  if (def.comodel && (rest !== undefined || op === "any" || op === "not any")) {
    // ('a.b', op, v) is ('a', 'any', [('b', op, v)]) in Odoo 18, whatever the operator.
    const sub = rest !== undefined ? leafPredicate(db, def.comodel, [rest, op, value]) : compileDomain(db, def.comodel, value);
    const negate = op === "not any" && rest === undefined;
    return (r) => db.related(model, r, head).some(sub) !== negate;
  }
  if (def.type === "one2many") {
    const test = scalarTest("id", op, value, def);
    return (r) => {
      const ids = db.related(model, r, head).map((x) => x.id);
      if (op === "=" || op === "!=") return isEmpty(value) ? (ids.length === 0) === (op === "=") : ids.includes(Number(value)) === (op === "=");
      return op === "not in" ? !ids.some((id) => !test(id)) : ids.some(test);
    };
  }
  const byName = def.type === "many2one" && (typeof value === "string" || (Array.isArray(value) && value.some((v) => typeof v === "string")) || /like/.test(op));
  const test = scalarTest(path, op, value, def, byName);
  if (byName) return (r) => test(typeof r[head] === "number" ? db.displayName(def.comodel!, r[head] as number) : false);
  return (r) => test(r[head]);
}

/** The test of one operator against one stored value, with Odoo's NULL rules ("!=" and "not in" match NULL). */
function scalarTest(path: string, op: string, value: unknown, def: FieldDef, byName = false): (x: unknown) => boolean {
  const numeric = isNumeric(def) || (def.type === "many2one" && !byName);
  const norm = (v: unknown): unknown => (def.type === "datetime" && !byName ? datetimeValue(v) : numeric && typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);
  const boolean = def.type === "boolean";
  const empty = (x: unknown) => (boolean ? x !== true : isEmpty(x));
  const eq = (x: unknown, v: unknown) => (boolean ? (x === true) === (v === true) : !empty(x) && x === v);
  const v = Array.isArray(value) ? value.map(norm) : norm(value);
  const list = Array.isArray(v) ? v : [v];
  const inList = (x: unknown) => (list.some((e) => e === false || e === null) && empty(x)) || list.some((e) => e !== false && e !== null && eq(x, e));
  const like = (x: unknown, anchored: boolean, insensitive: boolean) => {
    if (empty(x) || typeof v !== "string") return false;
    const pattern = anchored ? v : `%${v}%`;
    const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".")}$`, insensitive ? "is" : "s");
    return re.test(String(x));
  };
  switch (op) {
    case "=": return isEmpty(v) || v === null ? empty : (x) => eq(x, v);
    case "!=": return isEmpty(v) || v === null ? (x) => !empty(x) : (x) => empty(x) || !eq(x, v);
    case "=?": return isEmpty(v) || v === null ? () => true : (x) => eq(x, v);
    case "in": return inList;
    case "not in": return (x) => !inList(x);
    case "<": case "<=": case ">": case ">=": return (x) => !empty(x) && !isEmpty(v) && v !== null && compare(op, x, v);
    case "like": return (x) => like(x, false, false);
    case "ilike": return (x) => like(x, false, true);
    case "=like": return (x) => like(x, true, false);
    case "=ilike": return (x) => like(x, true, true);
    case "not like": return (x) => empty(x) || !like(x, false, false);
    case "not ilike": return (x) => empty(x) || !like(x, false, true);
    default: throw valueError(`Invalid leaf ${pythonTuple([path, op, value])}`);
  }
}

function compare(op: string, x: unknown, v: unknown): boolean {
  const c = typeof x === "number" && typeof v === "number" ? x - v : String(x) < String(v) ? -1 : String(x) > String(v) ? 1 : 0;
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}

/** A datetime operand as PostgreSQL reads it: a date means midnight; anything unparseable is refused. */
function datetimeValue(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const m = DATETIME.exec(v.trim());
  if (!m) throw new OdooFault("psycopg2.errors.InvalidDatetimeFormat", `invalid input syntax for type timestamp: "${v}"\n`);
  return `${m[1]} ${m[2] ?? "00:00"}:${m[3] ?? "00"}`;
}
