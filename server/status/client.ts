/**
 * The status page's script, run in the reader's browser (bundled by `npm run build` into client-bundle.ts and
 * inlined by page.ts). Public view: re-renders the server's data in the reader's time zone, then fetches it again
 * every minute. Detailed view: asks for an API token, keeps it in this tab's sessionStorage (never in the URL), and
 * loads /api/v1/status with it every minute. Rendering is render.ts's, the same the server uses.
 */
import { renderStatus } from "./render.ts";
import type { DetailedStatus, PublicStatus } from "./view.ts";

const REFRESH_MS = 60_000;
const TOKEN_KEY = "logistics-status-token";

const body = document.body;
const tenant = body.dataset.tenant ?? "";
const root = document.getElementById("status")!;
const message = document.getElementById("message");
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function show(view: PublicStatus | DetailedStatus): void {
  // Keep open what the reader opened (a component's signals) across refreshes.
  const open = new Set([...root.querySelectorAll("details[open]")].map((d) => d.closest("li")?.id));
  root.innerHTML = renderStatus(view, { timeZone });
  for (const id of open) if (id) root.querySelector(`#${CSS.escape(id)} details`)?.setAttribute("open", "");
}

function say(text: string): void {
  if (message) message.textContent = text;
}

async function refreshPublic(): Promise<void> {
  try {
    const res = await fetch(`${encodeURIComponent(tenant)}.json`, { cache: "no-store" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    show((await res.json()) as PublicStatus);
    say("");
  } catch {
    say("The status could not be refreshed; the page shows the last answer and tries again in a minute.");
  }
}

function startPublic(): void {
  const data = document.getElementById("status-data")?.textContent;
  if (data) show(JSON.parse(data) as PublicStatus);
  setInterval(() => void refreshPublic(), REFRESH_MS);
}

function startDetail(): void {
  const form = document.getElementById("token-form") as HTMLFormElement;
  const input = document.getElementById("token") as HTMLInputElement;
  const forget = document.getElementById("forget") as HTMLButtonElement;
  const signedIn = (yes: boolean) => {
    form.hidden = yes;
    forget.hidden = !yes;
  };
  const load = async () => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return signedIn(false);
    signedIn(true);
    let res: Response;
    try {
      res = await fetch(`../../api/v1/status?tenant=${encodeURIComponent(tenant)}`, { headers: { authorization: `Bearer ${token}` }, cache: "no-store" });
    } catch {
      return say("The backend cannot be reached; the page shows the last answer and tries again in a minute.");
    }
    if (res.ok) {
      show((await res.json()) as DetailedStatus);
      return say("");
    }
    const error = ((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      signedIn(false);
      root.innerHTML = "";
      input.focus();
    }
    say(res.status === 401 ? "This token was refused: check it and try again." : res.status === 403 ? `This token may not see tenant ${tenant}: ${error}` : `The status could not be loaded: ${error}`);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const token = input.value.trim();
    input.value = "";
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    void load();
  });
  forget.addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    root.innerHTML = "";
    say("The token is forgotten.");
    signedIn(false);
  });
  void load();
  setInterval(() => void load(), REFRESH_MS);
}

if (body.dataset.view === "detail") startDetail();
else startPublic();
