/**
 * The status page's HTML document: one self-contained page (its style and script inline, nothing loaded from
 * elsewhere) with a Content-Security-Policy that allows exactly those two by hash and connections to this backend.
 * The public view is rendered here, readable without script; the detailed view is a shell the script fills once
 * the reader has typed a token.
 */
import { createHash } from "node:crypto";
import { STATUS_PAGE_SCRIPT } from "./client-bundle.ts";
import { esc, renderStatus } from "./render.ts";
import type { PublicStatus } from "./view.ts";

const STYLE = `
:root{--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--none:#6e7781;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:0}
.meta,.hint,.history-legend,.why,footer{color:var(--muted);font-size:.875rem}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:1rem;color:#fff;font-size:.85rem;font-weight:600;white-space:nowrap;vertical-align:middle}
.s-operational.badge,.day.s-operational,.key.s-operational{background:var(--ok)}
.s-degraded.badge,.day.s-degraded,.key.s-degraded{background:var(--warn)}
.s-outage.badge,.day.s-outage,.key.s-outage{background:var(--bad)}
.s-no_data.badge,.day.s-no_data,.key.s-no_data{background:var(--none)}
.day.s-no_data,.key.s-no_data{opacity:.35}
.overall h2{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;font-size:1.15rem}
.overall{border:1px solid var(--line);border-radius:.5rem;padding:.25rem 1rem;margin-top:1rem;background:var(--panel)}
.overall.s-outage{border-left:.4rem solid var(--bad)}.overall.s-degraded{border-left:.4rem solid var(--warn)}.overall.s-operational{border-left:.4rem solid var(--ok)}
ul.components,ul.incidents,ul.journeys{list-style:none;padding:0;margin:0}
.component{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.5rem 0}
.component .head{display:flex;justify-content:space-between;align-items:center;gap:.5rem;flex-wrap:wrap}
.since{margin:.25rem 0 .5rem}
.history{display:flex;gap:1px;height:1.75rem}
.day{flex:1 1 0;min-width:0;border-radius:1px}
.history-legend{display:flex;justify-content:space-between;margin:.2rem 0 0}
.legend{display:flex;gap:.4rem 1rem;align-items:center;flex-wrap:wrap;font-size:.875rem}
.legend>span{white-space:nowrap}
.key{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;vertical-align:-.05rem}
.incidents>li,.journeys>li{border-left:.25rem solid var(--line);padding:.1rem .75rem;margin:.5rem 0}
.incidents p,.journeys p{margin:.2rem 0}
.cause{font-size:.95rem}
.steps{margin:.25rem 0;padding-left:1.25rem}.steps .failed{color:var(--bad);font-weight:600}.steps .skipped{color:var(--muted)}
details.slis{margin-top:.5rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin-top:.25rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
tbody th{font-weight:500}
tr.t-breach td:nth-child(4){color:var(--bad);font-weight:600}
.token{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0;padding:1rem;border:1px solid var(--line);border-radius:.5rem;background:var(--panel)}
.token input{flex:1 1 14rem;font:inherit;padding:.4rem .6rem;border:1px solid var(--muted);border-radius:.3rem}
button{font:inherit;padding:.4rem .9rem;border-radius:.3rem;border:1px solid var(--muted);background:var(--bg);color:var(--fg);cursor:pointer}
.token .hint{flex-basis:100%;margin:0}
#message:empty{display:none}
#message{padding:.5rem 1rem;border-left:.25rem solid var(--bad);background:var(--panel)}
:focus-visible{outline:3px solid #0969da;outline-offset:2px}
footer{padding-top:1.5rem;padding-bottom:2rem}
@media (max-width:40rem){body{font-size:15px}h1{font-size:1.35rem}.component{padding:.6rem .7rem}.history{gap:0;height:1.5rem}th,td{padding:.25rem .35rem}}
`;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

if (/<\/script/i.test(STATUS_PAGE_SCRIPT)) throw new Error("the status page's script must not contain </script");

/** Only what the page itself holds runs; it talks to this backend only; it cannot be framed or post forms. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(STATUS_PAGE_SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Data for the script, inert: `<` escaped so that no text in it can close the element. */
const dataBlock = (view: PublicStatus) => `<script type="application/json" id="status-data">${JSON.stringify(view).replace(/</g, "\\u003c")}</script>`;

function htmlDocument(opts: { title: string; heading: string; view: "public" | "detail"; tenant: string; body: string; refreshWithoutScript: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(opts.title)}</title>
${opts.refreshWithoutScript ? '<noscript><meta http-equiv="refresh" content="60"></noscript>' : ""}
<style>${STYLE}</style>
</head>
<body data-view="${opts.view}" data-tenant="${esc(opts.tenant)}">
<header><h1>${esc(opts.heading)}</h1></header>
<main>
${opts.body}
</main>
<footer>Served by the logistics observability backend from its own store: it answers while the tenant's Odoo is down.</footer>
<script>${STATUS_PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The public page, rendered with its data (times in UTC until the script shows the reader's zone). */
export function publicPage(view: PublicStatus): string {
  const heading = `${view.title}: ${view.tenant}`;
  return htmlDocument({
    title: heading, heading, view: "public", tenant: view.tenant, refreshWithoutScript: true,
    body: `<p id="message" role="status"></p>
<div id="status">${renderStatus(view, { timeZone: "UTC" })}</div>
${dataBlock(view)}`,
  });
}

/** The detailed page: a token form and an empty place the script fills from /api/v1/status. */
export function detailPage(tenant: string, title: string): string {
  const heading = `${title}: ${tenant} (detailed)`;
  return htmlDocument({
    title: heading, heading, view: "detail", tenant, refreshWithoutScript: false,
    body: `<form id="token-form" class="token">
<label for="token">API token</label>
<input id="token" type="password" autocomplete="off" spellcheck="false" required>
<button type="submit">Show details</button>
<p class="hint">An operator token, or a token of this tenant. It stays in this browser tab (session storage) and goes to this backend only, in a header.</p>
</form>
<button id="forget" type="button" hidden>Forget the token</button>
<p id="message" role="alert"></p>
<noscript><p>The detailed view needs JavaScript: it loads the data with your token. The <a href="../${encodeURIComponent(tenant)}">public page</a> works without it.</p></noscript>
<div id="status"></div>`,
  });
}

/** The same answer for a tenant that is not public and one that does not exist. */
export function notFoundPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not found</title></head>
<body><main><h1>Not found</h1><p>There is no public status page at this address.</p></main></body></html>
`;
}
