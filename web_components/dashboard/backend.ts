/** The browser talks only to Odoo; Odoo's controller calls the backend with the token it keeps. */
export async function fetchJson(path: string, params: Record<string, string> = {}): Promise<unknown> {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`/logistics_observability/api/${path}${query ? `?${query}` : ""}`, { credentials: "same-origin" });
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}
