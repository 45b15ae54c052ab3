/**
 * Formats a JSON value as Python's repr() would. Odoo's error messages embed the offending leaf or domain as
 * Python prints it, e.g. "Invalid field stock.picking.nofield in leaf ('nofield', '=', False)", and clients may
 * match on that text, so the simulator prints it the same way.
 */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${pythonString(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  }
  return String(value);
}

/** A leaf as Odoo prints it after turning it into a tuple. */
export function pythonTuple(items: readonly unknown[]): string {
  return items.length === 1 ? `(${pythonRepr(items[0])},)` : `(${items.map(pythonRepr).join(", ")})`;
}

function pythonString(s: string): string {
  // Python picks double quotes only when that avoids escaping.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}
