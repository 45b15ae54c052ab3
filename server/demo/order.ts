import { isEmpty, type Database, type Rec } from "./database.ts";
import { userError, valueError } from "./faults.ts";

/** Orders two records; negative when `a` comes first. */
export type Comparator = (a: Rec, b: Rec) => number;

const TERM = /^\s*("?[a-z0-9_]+"?)(?:\.[a-z0-9_]+)?(?::[a-z_]+)?(?:\s+(desc|asc))?(?:\s+(nulls first|nulls last))?\s*$/i;

/** A parsed order term: "field desc nulls last". */
export interface OrderTerm {
  field: string;
  desc: boolean;
  /** undefined: PostgreSQL's default, NULLs last ascending and first descending. */
  nullsFirst?: boolean;
}

/** Splits an order specification, with the error text of Odoo's `_check_qorder`. */
export function parseOrderTerms(order: string): OrderTerm[] {
  const parts = order.split(",");
  const matches = parts.map((p) => TERM.exec(p));
  if (matches.some((m) => !m) || parts.length === 0) {
    throw userError(
      `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
    );
  }
  return matches.map((m) => ({
    field: m![1]!.replace(/"/g, ""),
    desc: m![2]?.toLowerCase() === "desc",
    nullsFirst: m![3] ? m![3].toLowerCase() === "nulls first" : undefined,
  }));
}

/**
 * Compares two stored values as PostgreSQL sorts them: NULL (Odoo's false) after everything ascending and before
 * everything descending unless told otherwise; booleans are COALESCEd to false first, as Odoo does.
 */
export function compareValues(a: unknown, b: unknown, term: { desc: boolean; nullsFirst?: boolean }, boolean = false): number {
  if (boolean) {
    a = a === true;
    b = b === true;
  } else {
    const ea = isEmpty(a);
    const eb = isEmpty(b);
    if (ea || eb) {
      if (ea && eb) return 0;
      const nullsFirst = term.nullsFirst ?? term.desc;
      return (ea ? -1 : 1) * (nullsFirst ? 1 : -1);
    }
  }
  const raw = typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return term.desc ? -raw : raw;
}

/**
 * A comparator for `order` on `model`. A many2one term sorts by the target model's own order (Odoo joins the
 * comodel), which is why groups by sale_id come newest order first. Ties keep id order, which is what
 * PostgreSQL returns for this data in practice and keeps answers reproducible.
 */
export function recordComparator(db: Database, model: string, order: string, seen: ReadonlySet<string> = new Set()): Comparator {
  const def = db.model(model);
  const terms = parseOrderTerms(order).map((term): Comparator => {
    const field = def.fields[term.field];
    if (!field) throw valueError(`Invalid field '${term.field}' on model '${model}'`);
    if (field.type === "many2one") {
      const key = `${model}.${term.field}`;
      const coorder = db.model(field.comodel!).order;
      if (seen.has(key) || coorder === "id") {
        return (a, b) => compareValues(a[term.field], b[term.field], term);
      }
      // Descending on a many2one reverses every term of the comodel's order.
      const reversed = parseOrderTerms(coorder).map((t) => `${t.field} ${t.desc === term.desc ? "asc" : "desc"}`).join(", ");
      const inner = recordComparator(db, field.comodel!, reversed, new Set([...seen, key]));
      const nulls = many2oneNulls(db, field.comodel!, term);
      return (a, b) => {
        const ra = typeof a[term.field] === "number" ? db.get(field.comodel!, a[term.field] as number) : undefined;
        const rb = typeof b[term.field] === "number" ? db.get(field.comodel!, b[term.field] as number) : undefined;
        if (!ra || !rb) return compareValues(ra ? 1 : false, rb ? 1 : false, nulls);
        return inner(ra, rb);
      };
    }
    return (a, b) => compareValues(a[term.field], b[term.field], term, field.type === "boolean");
  });
  return (a, b) => {
    for (const t of terms) {
      const c = t(a, b);
      if (c) return c;
    }
    return a.id - b.id;
  };
}

/**
 * Where an empty many2one sorts when ordering by the comodel's order: PostgreSQL sees NULLs in the joined columns,
 * so the first comodel term's direction decides (groups by sale_id put "no order" first: date_order desc).
 */
export function many2oneNulls(db: Database, comodel: string, term: OrderTerm): { desc: boolean; nullsFirst: boolean } {
  const first = parseOrderTerms(db.model(comodel).order)[0]!;
  const desc = first.field === "id" && db.model(comodel).order === "id" ? term.desc : first.desc !== term.desc;
  return { desc: false, nullsFirst: term.nullsFirst ?? desc };
}
