import { advanceCursor, cursorDomain, type Cursor } from "../../odoo/cursor.ts";
import { toOdooDatetime } from "../../odoo/datetime.ts";
import type { Section, SectionEnv } from "./section.ts";

interface ModuleRow extends Record<string, unknown> {
  id: number;
  name: string;
  latest_version: string | false;
  write_date: string;
}

interface ModuleState {
  cursor: Cursor;
  versions: Record<string, string>;
}

/**
 * What changed among the installed modules rewritten since the last look: new installs, version changes, and
 * upgrades of the same version (`-u` rewrites the row: its state goes to "to upgrade" and back). Odoo's "Update
 * Apps List" writes only the values that changed, so an installed row rewritten with the same version was
 * upgraded: code was loaded again, which is what a deploy marker is for.
 */
export function moduleChanges(before: Record<string, string>, rows: readonly ModuleRow[]): Array<{ module: string; from: string | null; to: string }> {
  return rows
    .filter((r) => typeof r.latest_version === "string")
    .map((r) => ({ module: r.name, from: before[r.name] ?? null, to: r.latest_version as string }));
}

/**
 * Deploy markers from Odoo itself: many Odoo releases are a module install or upgrade, visible as a new
 * `latest_version` of an installed ir.module.module. All changes seen in one cycle make one deploy event. The
 * first run only takes the baseline.
 */
export const modulesSection: Section = {
  name: "modules",
  slis: [],
  maxRpcs: 1,
  async run({ client, store, tenant, window }: SectionEnv) {
    const saved = await store.getCursor<ModuleState>(tenant.name, "ir.module.module");
    const domain = saved ? cursorDomain("write_date", saved.cursor) : [];
    const rows = await client.searchRead<ModuleRow>(
      "ir.module.module",
      [...domain, ["state", "=", "installed"]],
      ["name", "latest_version", "write_date"],
      { order: "write_date asc, id asc" },
    );
    const versions = { ...(saved?.versions ?? {}) };
    const changes = saved ? moduleChanges(versions, rows) : [];
    for (const r of rows) if (typeof r.latest_version === "string") versions[r.name] = r.latest_version;
    if (changes.length) {
      const summary = changes.map((c) => (c.from === c.to ? `${c.module} ${c.to} upgraded` : `${c.module} ${c.from ?? "(new)"} -> ${c.to}`)).join(", ");
      await store.events.append("deploy", tenant.name, window.now, {
        version: summary.slice(0, 100),
        author: "odoo",
        source: "odoo_modules",
        modules: changes,
      });
    }
    const start = saved?.cursor ?? { at: toOdooDatetime(new Date(0)), ids: [] };
    await store.setCursor(tenant.name, "ir.module.module", { cursor: advanceCursor(start, rows, "write_date"), versions });
    return [];
  },
};
