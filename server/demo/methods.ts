import type { Database } from "./database.ts";
import { accessError, missingArguments, OdooFault, typeError } from "./faults.ts";
import { readGroup, type ReadGroupSpec } from "./read-group.ts";
import { filterRecords, readRecords, searchRecords, type CallContext, type SearchSpec } from "./search.ts";

/** A Python signature: parameter names with their defaults (no default: required). */
interface Signature {
  qualname: string;
  params: ReadonlyArray<readonly [string, unknown?]>;
  /** `**read_kwargs` on search_read: extra keywords are accepted and ignored. */
  varKw?: boolean;
}

type Bound = Record<string, unknown> & { context: CallContext };

interface Method {
  signature: Signature;
  /** Record methods (read) take the ids as their first positional argument, as call_kw does. */
  onRecords?: boolean;
  run(db: Database, model: string, args: Bound, ids: number[]): unknown;
}

/** The ORM methods the simulator answers: the read-only ones the project calls, with Odoo 18's signatures. */
const METHODS: Record<string, Method> = {
  search_count: {
    signature: { qualname: "BaseModel.search_count", params: [["domain"], ["limit", null]] },
    run(db, model, a) {
      const n = filterRecords(db, model, a.domain, a.context).length;
      return a.limit ? Math.min(n, Number(a.limit)) : n;
    },
  },
  search: {
    signature: { qualname: "BaseModel.search", params: [["domain"], ["offset", 0], ["limit", null], ["order", null]] },
    run: (db, model, a) => searchRecords(db, model, a as SearchSpec).map((r) => r.id),
  },
  search_read: {
    signature: { qualname: "BaseModel.search_read", params: [["domain", null], ["fields", null], ["offset", 0], ["limit", null], ["order", null]], varKw: true },
    run: (db, model, a) => readRecords(db, model, searchRecords(db, model, a as SearchSpec), a.fields as string[] | null),
  },
  read: {
    signature: { qualname: "BaseModel.read", params: [["fields", null], ["load", "_classic_read"]] },
    onRecords: true,
    run(db, model, a, ids) {
      const recs = ids.map((id) => db.get(model, id)).filter((r) => r !== undefined);
      return readRecords(db, model, recs, a.fields as string[] | null);
    },
  },
  read_group: {
    signature: { qualname: "BaseModel.read_group", params: [["domain"], ["fields"], ["groupby"], ["offset", 0], ["limit", null], ["orderby", false], ["lazy", true]] },
    run: (db, model, a) => readGroup(db, model, a as unknown as ReadGroupSpec),
  },
};

/** Methods that exist in Odoo but would change data: the demo world is driven by its own clock only. */
const WRITE_METHODS = new Set(["create", "write", "unlink", "copy", "web_save", "action_confirm", "action_cancel", "button_validate", "send_to_shipper"]);

/**
 * Calls `model.method(*args, **kwargs)` as Odoo's call_kw would: public methods only, arguments bound to the
 * Python signature with Python's TypeError texts, `context` taken out of the keywords.
 */
export function callMethod(db: Database, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (method.startsWith("_")) throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
  const impl = METHODS[method];
  if (!impl) {
    if (WRITE_METHODS.has(method)) throw accessError(`The demo Odoo simulator is read-only: ${model}.${method} is not simulated`);
    throw new OdooFault("builtins.AttributeError", `The method '${model}.${method}' does not exist`);
  }
  const { context, ...keywords } = kwargs;
  let positional = args;
  let ids: number[] = [];
  if (impl.onRecords) {
    const first = args[0];
    ids = (Array.isArray(first) ? first : first === undefined || first === false ? [] : [first]).map(Number);
    positional = args.slice(1);
  }
  const bound = bind(impl.signature, positional, keywords);
  return impl.run(db, model, { ...bound, context: (context ?? {}) as CallContext }, ids);
}

function bind(sig: Signature, args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  const name = `${sig.qualname}()`;
  if (args.length > sig.params.length) {
    const required = sig.params.filter((p) => p.length === 1).length;
    const takes = required === sig.params.length ? `${required + 1}` : `from ${required + 1} to ${sig.params.length + 1}`;
    throw typeError(`${name} takes ${takes} positional arguments but ${args.length + 1} were given`);
  }
  const out: Record<string, unknown> = {};
  sig.params.forEach(([param], i) => {
    if (i < args.length) out[param] = args[i];
  });
  for (const [key, value] of Object.entries(kwargs)) {
    const known = sig.params.some(([param]) => param === key);
    if (!known) {
      if (sig.varKw) continue;
      throw typeError(`${name} got an unexpected keyword argument '${key}'`);
    }
    if (key in out) throw typeError(`${name} got multiple values for argument '${key}'`);
    out[key] = value;
  }
  const missing = sig.params.filter((p) => p.length === 1 && !(p[0] in out)).map(([p]) => p);
  if (missing.length) throw missingArguments(name, missing);
  for (const param of sig.params) if (!(param[0] in out)) out[param[0]] = param[1];
  return out;
}
