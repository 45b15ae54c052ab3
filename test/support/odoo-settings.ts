import type { OdooClient } from "../../server/odoo/client.ts";

/**
 * Points the addon of a real Odoo at a backend the way an administrator does, through Settings > Logistics Health
 * (the token then lives where no Odoo user can read it, bound to that URL). An empty URL unsets it.
 */
export async function connectAddon(odoo: OdooClient, url: string, token: string): Promise<void> {
  const created = await odoo.execute("res.config.settings", "create", { vals_list: [{ logistics_backend_url: url || false, logistics_backend_token: token || false }] });
  const id = Array.isArray(created) ? (created[0] as number) : (created as number);
  await odoo.executeOn("res.config.settings", "execute", [id]);
}
