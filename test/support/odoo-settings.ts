import type { OdooClient } from "../../server/odoo/client.ts";

/**
 * Points the addon of a real Odoo at a backend the way an administrator does, through Settings > Logistics Health
 * (the token then lives where no Odoo user can read it, bound to that URL). An empty URL unsets it.
 */
export async function connectAddon(odoo: OdooClient, url: string, token: string): Promise<void> {
  const saved = (await odoo.executeOn("res.config.settings", "web_save", [], {
    vals: { logistics_backend_url: url || false, logistics_backend_token: token || false },
    specification: {},
  })) as Array<{ id: number }>;
  await odoo.executeOn("res.config.settings", "execute", [saved[0]!.id]);
}
