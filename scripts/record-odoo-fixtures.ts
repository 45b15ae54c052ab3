/**
 * Records what a real Odoo answers to every call the business collector makes, plus the error cases, into
 * test/fixtures/odoo18/exchanges.json. The contract test holds the demo simulator to these answers.
 *   ODOO_URL=… ODOO_DB=… ODOO_USER=… ODOO_PASSWORD=… npm run record:odoo
 * Credentials are replaced by placeholders before anything is written; tracebacks are dropped.
 */
import { writeFileSync } from "node:fs";
import { BusinessCollector } from "../server/collectors/business/index.ts";
import { loadConfig } from "../server/config/load.ts";
import { OdooClient } from "../server/odoo/client.ts";
import { DEFAULT_RETRY } from "../server/odoo/retry.ts";
import { openStore } from "../server/store/open.ts";
import type { Exchange } from "../test/contract/exchange.ts";

const OUT = new URL("../test/fixtures/odoo18/exchanges.json", import.meta.url);
const config = loadConfig();
const tenant = config.tenants[0];
if (!tenant) throw new Error("set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD to the real Odoo to record");
const secret = tenant.credential.reveal();
const exchanges: Exchange[] = [];

function scrub(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll(JSON.stringify(secret), '"<password>"'));
}

function nameOf(params: { service: string; method: string; args: unknown[] }): string {
  if (params.service !== "object") return `${params.service}.${params.method}`;
  return `${params.args[3]}.${params.args[4]}`;
}

const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = JSON.parse(String(init?.body)) as { params: Exchange["request"] };
  const answer = (await response.clone().json()) as Exchange["response"] & { error?: { data?: { debug?: string } } };
  if (answer.error?.data) delete answer.error.data.debug;
  exchanges.push({ name: nameOf(body.params), request: scrub(body.params) as Exchange["request"], response: { result: answer.result, error: answer.error } });
  return response;
};

// One cycle call by call (as without the addon), then one through the addon's snapshot (batched), when installed.
for (const batch of [false, true]) {
  const store = await openStore({ inMemory: true });
  const collector = new BusinessCollector(tenant, store, {
    windowSeconds: 7 * 86_400,
    batch,
    // Also records the settings sync (logistics.settings.objectives) the cycle makes when the addon is there.
    onSettings: async () => {},
    connect: (t) => OdooClient.connect(t, DEFAULT_RETRY, recordingFetch),
  });
  const readings = await collector.collect({ now: new Date(), signal: new AbortController().signal });
  const missing = readings.filter((r) => r.missing);
  console.log(`cycle (${batch ? "batched" : "call by call"}): ${readings.length} readings, ${missing.length} missing: ${missing.map((r) => `${r.sli} (${r.missing})`).join("; ") || "none"}`);
  await store.close();
}

// Error cases the collector must recognise.
const client = await OdooClient.connect(tenant, DEFAULT_RETRY, recordingFetch);
const expectFailure = (p: Promise<unknown>) => p.then(() => console.warn("expected an error"), () => undefined);
await expectFailure(client.searchCount("queue.job", []));
await expectFailure(client.searchCount("stock.picking", [["no_such_field", "=", 1]]));
await expectFailure(OdooClient.connect({ ...tenant, credential: { reveal: () => "wrong-password" } as never }, DEFAULT_RETRY, recordingFetch));

for (const e of exchanges) if (e.response.error || e.response.result === false) e.name = `error: ${e.name}`;
writeFileSync(OUT, JSON.stringify(exchanges, null, 1) + "\n");
console.log(`recorded ${exchanges.length} exchanges in ${OUT.pathname}`);
