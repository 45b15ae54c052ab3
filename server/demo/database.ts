import { installedModels, installedModules, type Installed, type ModelDef } from "./schema.ts";

/** A stored value: Odoo's `false` stands for NULL; many2one fields hold the target id. */
export type Value = string | number | boolean;

/** Values to write; undefined (a field copied from a record that never had it) is stored as false. */
export type Vals = Record<string, Value | undefined>;

function stored(vals: Vals): Record<string, Value> {
  return Object.fromEntries(Object.entries(vals).map(([k, v]) => [k, v ?? false]));
}

/** One record: `id` plus stored fields. Fields never written read as false. */
export type Rec = { id: number } & Record<string, Value>;

/** Odoo's empty value: NULL comes back as false, and Odoo treats an empty string like NULL in domains. */
export function isEmpty(v: unknown): boolean {
  return v === false || v === null || v === undefined || v === "";
}

/** Odoo datetimes are naive UTC strings with whole seconds. */
export function odooStamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * The records of the simulated database, per model, in id order. The world writes through create/write so that
 * create_date and write_date behave as in Odoo (the cursors of incremental readers depend on write_date).
 */
export class Database {
  readonly #models = new Map<string, ModelDef>();
  readonly #tables = new Map<string, Map<number, Rec>>();
  readonly #nextId = new Map<string, number>();

  /** `installedAt` (epoch ms) stamps the ir.model rows, as the module installation would. */
  constructor(readonly installed: Installed, installedAt: number) {
    for (const def of installedModels(installed)) {
      this.#models.set(def.name, def);
      this.#tables.set(def.name, new Map());
      this.#nextId.set(def.name, 1);
    }
    for (const def of this.#models.values()) {
      this.create("ir.model", { name: def.description, model: def.name, order: def.order, state: "base", transient: false, modules: def.modules }, installedAt);
    }
    for (const [name, version] of installedModules(installed)) {
      this.create("ir.module.module", { name, latest_version: version, state: "installed" }, installedAt);
    }
  }

  has(model: string): boolean {
    return this.#models.has(model);
  }

  /** The definition of an installed model; callers check `has` first. */
  model(name: string): ModelDef {
    const def = this.#models.get(name);
    if (!def) throw new Error(`demo database: model ${name} is not installed`);
    return def;
  }

  records(model: string): IterableIterator<Rec> {
    return (this.#tables.get(model) ?? new Map<number, Rec>()).values();
  }

  count(model: string): number {
    return this.#tables.get(model)?.size ?? 0;
  }

  get(model: string, id: number): Rec | undefined {
    return this.#tables.get(model)?.get(id);
  }

  /** Creates a record at time `at` (epoch ms); a no-op returning undefined when the model is not installed. */
  create(model: string, vals: Vals, at: number): Rec | undefined {
    const table = this.#tables.get(model);
    if (!table) return undefined;
    const id = this.#nextId.get(model)!;
    this.#nextId.set(model, id + 1);
    const rec: Rec = { id, ...stored(vals) };
    if (this.model(model).logAccess) rec.create_date = rec.write_date = odooStamp(at);
    table.set(id, rec);
    return rec;
  }

  write(model: string, rec: Rec, vals: Vals, at: number): void {
    Object.assign(rec, stored(vals));
    if (this.model(model).logAccess) rec.write_date = odooStamp(at);
  }

  unlink(model: string, id: number): void {
    this.#tables.get(model)?.delete(id);
  }

  /** What Odoo shows for a record: its _rec_name (following a many2one), else "<model>,<id>". */
  displayName(model: string, id: number): string {
    const def = this.#models.get(model);
    const rec = this.get(model, id);
    if (!def || !rec || !def.recName) return `${model},${id}`;
    const field = def.fields[def.recName]!;
    const value = rec[def.recName];
    if (field.type === "many2one") return typeof value === "number" ? this.displayName(field.comodel!, value) : "";
    return typeof value === "string" ? value : `${model},${id}`;
  }

  /** Records linked by a relational field: the target of a many2one, the records pointing back for a one2many. */
  related(model: string, rec: Rec, field: string): Rec[] {
    const def = this.model(model).fields[field]!;
    if (def.type === "many2one") {
      const target = typeof rec[field] === "number" ? this.get(def.comodel!, rec[field] as number) : undefined;
      return target ? [target] : [];
    }
    if (def.type === "one2many") return [...this.records(def.comodel!)].filter((r) => r[def.inverse!] === rec.id);
    return [];
  }
}
