/**
 * What a journey reads in Odoo's pages: the login form's CSRF token, whether a login was refused, and the asset
 * bundles a page loads. Pure, checked against pages recorded from a real Odoo 18 (test/fixtures/odoo18/web).
 */

/** The hidden csrf_token of Odoo's login form. */
export function csrfToken(html: string): string | undefined {
  return /name="csrf_token"\s+value="([^"]+)"/.exec(html)?.[1];
}

/** Odoo answers a refused login with the login page again (HTTP 200) and its danger alert, never with a redirect. */
export function loginRefusal(html: string): string | undefined {
  const alert = /class="alert alert-danger"[^>]*>\s*([^<]+?)\s*</.exec(html);
  return alert?.[1];
}

/** The compiled bundles a page loads (`/web/assets/<hash>/<bundle>.min.js|css`), each once, in page order. */
export function assetBundles(html: string): string[] {
  const seen = new Set<string>();
  for (const m of html.matchAll(/(?:src|href)="(\/web\/assets\/[^"]+\.(?:js|css))"/g)) seen.add(m[1]!);
  return [...seen];
}

/** Whether a bundle's answer is one: a maintenance page or an error page served as 200 is not. */
export function isBundle(path: string, contentType: string, body: string): boolean {
  const wanted = path.endsWith(".js") ? /javascript/ : /text\/css/;
  return wanted.test(contentType) && body.length > 0;
}
