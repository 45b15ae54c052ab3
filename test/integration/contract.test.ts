import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { startDemoOdoo } from "../../server/demo/server.ts";
import { shapeDiff, type Exchange } from "../contract/exchange.ts";

/**
 * The demo simulator must answer like a real Odoo 18. Every exchange recorded from a real server
 * (npm run record:odoo) is replayed against the simulator, with its credentials, and the answers must have the
 * same shape: same keys, same kinds of values, same error classes and messages.
 */
const exchanges = JSON.parse(readFileSync(new URL("../fixtures/odoo18/exchanges.json", import.meta.url), "utf8")) as Exchange[];

describe("contract: the demo simulator answers like the recorded real Odoo 18", () => {
  let demo: Awaited<ReturnType<typeof startDemoOdoo>>;
  let uid: number;
  before(async () => {
    // As the recorded server: the addon installed, queue_job not.
    demo = await startDemoOdoo({ queueJob: false, labelEvents: true });
    uid = (await call({ service: "common", method: "authenticate", args: [demo.db, demo.user, demo.password, {}] })).result as number;
  });
  after(async () => demo.close());

  async function call(params: Exchange["request"]): Promise<Exchange["response"]> {
    const res = await fetch(`${demo.url}/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params }) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Exchange["response"] & { jsonrpc: string };
    assert.equal(body.jsonrpc, "2.0");
    return body;
  }

  /** The recorded request with the simulator's database and credentials; a recorded wrong password stays wrong. */
  function retarget(e: Exchange): Exchange["request"] {
    const args = [...e.request.args];
    if (e.request.service === "object") {
      args[0] = demo.db;
      args[1] = uid;
      args[2] = args[2] === "<password>" ? demo.password : args[2];
    } else if (e.request.method === "authenticate") {
      args[0] = demo.db;
      args[1] = demo.user;
      args[2] = args[2] === "<password>" ? demo.password : args[2];
    }
    return { ...e.request, args };
  }

  test("the recordings cover every call of a collector cycle and the error cases", () => {
    const names = new Set(exchanges.map((e) => e.name));
    for (const n of ["common.version", "sale.order.search_read", "stock.picking.read_group", "stock.picking.search_count", "ir.cron.search_read", "mail.mail.read_group", "error: queue.job.search_count", "error: common.authenticate"]) {
      assert.ok(names.has(n), `no recording of ${n}`);
    }
  });

  for (const [i, e] of exchanges.entries()) {
    test(`${i + 1}. ${e.name}`, async () => {
      const sim = await call(retarget(e));
      if (e.response.error) {
        assert.ok(sim.error, `real Odoo answered an error, the simulator ${JSON.stringify(sim.result)?.slice(0, 80)}`);
        assert.equal(sim.error.code, e.response.error.code);
        assert.equal(sim.error.message, e.response.error.message);
        assert.equal(sim.error.data.name, e.response.error.data.name);
        assert.equal(sim.error.data.message, e.response.error.data.message);
        assert.deepEqual(Object.keys(sim.error.data).filter((k) => k !== "debug").sort(), Object.keys(e.response.error.data).sort());
        return;
      }
      assert.equal(sim.error, undefined, `simulator error: ${JSON.stringify(sim.error)}`);
      if (Array.isArray(e.response.result) && e.response.result.length) {
        assert.ok(Array.isArray(sim.result) && sim.result.length > 0, "the simulator's world should have rows for this query too");
      }
      assert.deepEqual(shapeDiff(e.response.result, sim.result), []);
    });
  }
});
