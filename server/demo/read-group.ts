import { isEmpty, type Database, type Rec } from "./database.ts";
import { andDomains } from "./domain.ts";
import { typeError, valueError } from "./faults.ts";
import { datetimeGroup, datetimeLabel, GRANULARITIES, type Granularity } from "./granularity.ts";
import { compareValues, many2oneNulls, parseOrderTerms, recordComparator } from "./order.ts";
import { filterRecords, type CallContext } from "./search.ts";
import type { FieldDef } from "./schema.ts";

export interface ReadGroupSpec {
  domain: unknown;
  fields: unknown;
  groupby: unknown;
  offset?: number | false | null;
  limit?: number | false | null;
  orderby?: string | false | null;
  lazy?: boolean;
  context?: CallContext;
}

interface GroupBy { spec: string; field: string; def: FieldDef; granularity?: Granularity }
interface Aggregate { alias: string; field: string; func: string }
interface Group { keys: unknown[]; recs: Rec[] }

const AGGREGATES = new Set(["sum", "avg", "max", "min", "bool_and", "bool_or", "array_agg", "count", "count_distinct"]);
const SPEC = /^(\w+)(\.(\w+))?(?::(\w+))?$/;
const FIELD_AGG = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?/;

/**
 * Odoo 17/18's public read_group: groups keyed by each groupby (many2one as [id, name], datetimes as labels with
 * a __range), the count (`__count`, or `<field>_count` when lazy with one groupby), each aggregate under its
 * alias ("alias:agg(field)"), then `__domain` = the request's domain AND the group's own leaves. With no groupby
 * it returns exactly one row, even over no record. Lazy mode groups by the first groupby only and puts the rest in
 * `__context`; unlike Odoo it does not add the empty groups of group_expand fields.
 */
export function readGroup(db: Database, model: string, spec: ReadGroupSpec): Array<Record<string, unknown>> {
  const allGroupby = typeof spec.groupby === "string" ? [spec.groupby] : spec.groupby;
  if (!Array.isArray(allGroupby) || !Array.isArray(spec.fields)) throw typeError("read_group: fields and groupby must be lists");
  const lazy = spec.lazy !== false;
  const groupby = (lazy ? allGroupby.slice(0, 1) : allGroupby).map((g) => parseGroupby(db, model, String(g)));
  const countKey = lazy && groupby.length === 1 ? `${groupby[0]!.field}_count` : "__count";
  const aggregates = parseAggregates(db, model, spec.fields as unknown[], new Set(groupby.map((g) => g.spec)));

  const groups = new Map<string, Group>();
  for (const rec of filterRecords(db, model, spec.domain, spec.context)) {
    const keys = groupby.map((g) => groupKey(rec, g));
    const id = JSON.stringify(keys);
    const group = groups.get(id) ?? { keys, recs: [] };
    group.recs.push(rec);
    groups.set(id, group);
  }
  // Without GROUP BY, SQL aggregates still return their one row.
  if (!groupby.length && !groups.size) groups.set("[]", { keys: [], recs: [] });

  const rows = [...groups.values()].map((g) => ({ g, aggs: aggregates.map((a) => aggregate(db.model(model).fields[a.field]!, a, g.recs)) }));
  rows.sort(groupComparator(db, spec.orderby || groupby.map((g) => g.spec).join(","), groupby, aggregates, countKey));
  const offset = Number(spec.offset || 0);
  const page = spec.limit ? rows.slice(offset, offset + Number(spec.limit)) : rows.slice(offset);

  return page.map(({ g, aggs }) => {
    const row: Record<string, unknown> = {};
    groupby.forEach((gb, i) => (row[gb.spec] = groupValue(db, gb, g.keys[i])));
    row[countKey] = g.recs.length;
    aggregates.forEach((a, i) => (row[a.alias] = aggs[i]));
    row.__domain = spec.domain;
    if (lazy && allGroupby.length > 1) row.__context = { group_by: allGroupby.slice(1) };
    groupby.forEach((gb, i) => {
      const key = g.keys[i];
      let leaves: unknown[] = [[gb.field, "=", key]];
      if (gb.granularity) {
        const range = typeof key === "string" ? datetimeGroup(key, gb.granularity) : false;
        if (range) leaves = ["&", [gb.field, ">=", range.from], [gb.field, "<", range.to]];
        row.__range = { ...(row.__range as object | undefined), [gb.spec]: range };
      }
      row.__domain = andDomains(row.__domain as unknown[], leaves);
    });
    return row;
  });
}

function parseGroupby(db: Database, model: string, spec: string): GroupBy {
  const m = SPEC.exec(spec);
  if (!m) throw valueError(`Invalid aggregate/groupby specification '${spec}'.`);
  const [, field, , , granularity] = m as unknown as [string, string, string?, string?, string?];
  const def = db.model(model).fields[field];
  if (!def) throw valueError(`Invalid field '${field}' on model '${model}'`);
  if (def.stored === false || def.type === "one2many") throw valueError(`the demo Odoo cannot group by the non-stored field '${field}'`);
  if (def.type !== "datetime") {
    if (granularity) throw valueError(`Granularity set on a no-datetime field or property: '${spec}'`);
    return { spec, field, def };
  }
  const g = granularity ?? "month";
  if (!GRANULARITIES.has(g)) throw valueError(`the demo Odoo does not group datetimes by '${g}'`);
  return { spec, field, def, granularity: g as Granularity };
}

function parseAggregates(db: Database, model: string, fields: unknown[], groupbySpecs: ReadonlySet<string>): Aggregate[] {
  const byAlias = new Map<string, Aggregate>(); // a repeated alias keeps its first place, as in a Python dict
  for (const raw of fields) {
    const spec = String(raw);
    if (spec === "__count") continue;
    const m = FIELD_AGG.exec(spec);
    if (!m) throw valueError(`Invalid field specification '${spec}'.`);
    const [, name, func, fname] = m as unknown as [string, string, string?, string?];
    if (func) {
      byAlias.set(name, { alias: name, field: fname ?? name, func });
      continue;
    }
    const def = db.model(model).fields[name];
    if (!def) throw valueError(`Invalid field '${name}' on model '${model}'`);
    // A bare numeric field gets its default aggregator (sum), like Odoo's `aggregator`.
    if ((def.type === "integer" || def.type === "float") && !groupbySpecs.has(spec)) byAlias.set(name, { alias: name, field: name, func: "sum" });
  }
  const out = [...byAlias.values()];
  for (const a of out) {
    const spec = `${a.field}:${a.func}`;
    if (!db.model(model).fields[a.field]) throw valueError(`Invalid field '${a.field}' on model '${model}' for '${spec}'.`);
    if (!AGGREGATES.has(a.func)) throw valueError(`Invalid aggregate method '${a.func}' for '${spec}'.`);
  }
  return out;
}

function groupKey(rec: Rec, g: GroupBy): unknown {
  const value = rec[g.field];
  if (g.def.type === "boolean") return value === true;
  if (isEmpty(value)) return false;
  return g.granularity ? datetimeGroup(String(value), g.granularity).from : value;
}

function groupValue(db: Database, g: GroupBy, key: unknown): unknown {
  if (key === false && g.def.type !== "boolean") return false;
  if (g.def.type === "many2one") return [key, db.displayName(g.def.comodel!, key as number)];
  return g.granularity ? datetimeLabel(key as string, g.granularity) : key;
}

/** One SQL aggregate over a group: NULLs skipped, an empty input gives NULL (false), 0 for counts, [] for arrays. */
function aggregate(def: FieldDef, a: Aggregate, recs: Rec[]): unknown {
  const all = recs.map((r) => (def.type === "boolean" ? r[a.field] === true : r[a.field]));
  const values = all.filter((v) => !isEmpty(v) || def.type === "boolean");
  switch (a.func) {
    case "count": return values.length;
    case "count_distinct": return new Set(values).size;
    case "array_agg": return all.map((v) => (isEmpty(v) && def.type !== "boolean" ? null : v));
  }
  if (!values.length) return false;
  switch (a.func) {
    case "sum": return values.reduce((s: number, v) => s + Number(v), 0);
    case "avg": return values.reduce((s: number, v) => s + Number(v), 0) / values.length;
    case "bool_and": return values.every(Boolean);
    case "bool_or": return values.some(Boolean);
    default: {
      const sorted = [...values].sort((x, y) => compareValues(x, y, { desc: false }));
      return a.func === "min" ? sorted[0] : sorted[sorted.length - 1];
    }
  }
}

type Row = { g: Group; aggs: unknown[] };

/** Orders groups by groupby values (a many2one by its comodel's order) or by aggregates named in `orderby`. */
function groupComparator(db: Database, orderby: string, groupby: GroupBy[], aggregates: Aggregate[], countKey: string): (a: Row, b: Row) => number {
  if (!orderby) return () => 0;
  const terms = parseOrderTerms(orderby).map((term): ((a: Row, b: Row) => number) => {
    const gi = groupby.findIndex((g) => g.field === term.field || g.spec === term.field);
    if (gi >= 0) {
      const g = groupby[gi]!;
      if (g.def.type === "many2one") {
        const comodel = g.def.comodel!;
        const coorder = parseOrderTerms(db.model(comodel).order).map((t) => `${t.field} ${t.desc === term.desc ? "asc" : "desc"}`).join(",");
        const cmp = recordComparator(db, comodel, coorder);
        const nulls = many2oneNulls(db, comodel, term);
        return (a, b) => {
          const [ra, rb] = [a.g.keys[gi], b.g.keys[gi]].map((k) => (typeof k === "number" ? db.get(comodel, k) : undefined));
          return ra && rb ? cmp(ra, rb) : compareValues(ra ? 1 : false, rb ? 1 : false, nulls);
        };
      }
      return (a, b) => compareValues(a.g.keys[gi], b.g.keys[gi], term, g.def.type === "boolean");
    }
    if (term.field === countKey || term.field === "__count") return (a, b) => compareValues(a.g.recs.length, b.g.recs.length, term);
    const ai = aggregates.findIndex((x) => x.alias === term.field);
    if (ai < 0) throw valueError(`Order term '${term.field}' is not a valid aggregate nor valid groupby`);
    return (a, b) => compareValues(a.aggs[ai], b.aggs[ai], term);
  });
  return (a, b) => {
    for (const t of terms) {
      const c = t(a, b);
      if (c) return c;
    }
    return 0;
  };
}
