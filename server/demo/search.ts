import type { Database, Rec } from "./database.ts";
import { compileDomain } from "./domain.ts";
import { valueError } from "./faults.ts";
import { recordComparator } from "./order.ts";

/** The context keys the simulator honours. */
export interface CallContext {
  active_test?: boolean;
}

export interface SearchSpec {
  domain?: unknown;
  order?: string | false | null;
  offset?: number | false | null;
  limit?: number | false | null;
  context?: CallContext;
}

/**
 * The records matching a domain, in order, like `search`. Models with an `active` field hide archived records
 * unless the domain names `active` or the context turns active_test off, as Odoo does.
 */
export function searchRecords(db: Database, model: string, spec: SearchSpec): Rec[] {
  const matches = filterRecords(db, model, spec.domain ?? [], spec.context);
  matches.sort(recordComparator(db, model, spec.order || db.model(model).order));
  const offset = Number(spec.offset || 0);
  return spec.limit ? matches.slice(offset, offset + Number(spec.limit)) : matches.slice(offset);
}

/** The matching records in id order, for search_count and read_group. */
export function filterRecords(db: Database, model: string, domain: unknown, context: CallContext = {}): Rec[] {
  const matches = compileDomain(db, model, domain);
  const hideArchived = "active" in db.model(model).fields && context.active_test !== false && !mentionsActive(domain);
  const out: Rec[] = [];
  for (const rec of db.records(model)) if (matches(rec) && (!hideArchived || rec.active === true)) out.push(rec);
  return out;
}

function mentionsActive(domain: unknown): boolean {
  return Array.isArray(domain) && domain.some((t) => Array.isArray(t) && t[0] === "active");
}

/**
 * Records as `read` returns them: `id` first, then the fields in the order asked (all fields when none are),
 * many2one as [id, display_name], one2many as ids in the comodel's order, empty values as false.
 */
export function readRecords(db: Database, model: string, recs: readonly Rec[], fields?: readonly string[] | null): Array<Record<string, unknown>> {
  const def = db.model(model);
  const names = fields?.length ? fields : Object.keys(def.fields);
  for (const name of names) if (!def.fields[name]) throw valueError(`Invalid field '${name}' on model '${model}'`);
  const wanted = names.filter((n) => n !== "id");
  return recs.map((rec) => {
    const out: Record<string, unknown> = { id: rec.id };
    for (const name of wanted) out[name] = readValue(db, model, rec, name);
    return out;
  });
}

function readValue(db: Database, model: string, rec: Rec, name: string): unknown {
  const field = db.model(model).fields[name]!;
  const value = rec[name];
  switch (field.type) {
    case "many2one":
      return typeof value === "number" ? [value, db.displayName(field.comodel!, value)] : false;
    case "one2many": {
      const linked = db.related(model, rec, name);
      return linked.sort(recordComparator(db, field.comodel!, db.model(field.comodel!).order)).map((r) => r.id);
    }
    case "integer":
    case "float":
      return typeof value === "number" ? value : 0;
    case "boolean":
      return value === true;
    default:
      if (name === "display_name") return db.displayName(model, rec.id);
      return value === undefined || value === "" ? false : value;
  }
}
