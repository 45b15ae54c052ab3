/** The part of gettext-parser (which ships no types) the translation tests read. */
declare module "gettext-parser" {
  interface PoEntry {
    msgid: string;
    msgstr: string[];
    comments?: { extracted?: string; reference?: string };
  }
  const gettext: { po: { parse(input: Buffer | string): { translations: Record<string, Record<string, PoEntry>> } } };
  export default gettext;
}
