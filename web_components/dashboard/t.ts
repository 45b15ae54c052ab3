/**
 * The dashboard's words go through `_t`, Odoo's translation function, so that Odoo's exporter finds them in the
 * bundle (`_t("...")` calls under static/src) and the web client translates them into the user's language. The
 * pure modules cannot import Odoo's `_t` (their unit tests run outside Odoo): the component hands it over once.
 */
type Translate = (term: string) => string;

let translate: Translate = (term) => term;

export function useTranslation(fn: Translate): void {
  translate = fn;
}

/** Translates a term, then fills %s or %(name)s in it as Odoo's `_t` does. */
export function _t(term: string, ...values: Array<string | number | Record<string, string | number>>): string {
  const text = translate(term);
  const [first] = values;
  if (first !== undefined && typeof first === "object") return text.replace(/%\((\w+)\)s/g, (m, k: string) => (k in first ? String(first[k]) : m));
  let i = 0;
  return text.replace(/%s/g, () => String(values[i++] ?? ""));
}
