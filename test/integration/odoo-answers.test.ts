import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { JsonRpcTransport, MAX_ANSWER_BYTES } from "../../server/odoo/jsonrpc-transport.ts";
import { OdooError } from "../../server/odoo/errors.ts";

/**
 * What sits in front of an Odoo answers things that are not Odoo: a maintenance page's JSON, a huge string.
 * Each is an error naming what came back, at once and within bounded memory, and the next call works.
 */
describe("odoo answers that are not replies", () => {
  let server: Server;
  let url = "";
  let answer: "reply" | "status" | "huge" | "wrong-id" = "reply";

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c));
      req.on("end", () => {
        const { id } = JSON.parse(body) as { id: number };
        res.setHeader("content-type", "application/json");
        if (answer === "status") return res.end(`{"status":"ok"}`);
        if (answer === "wrong-id") return res.end(JSON.stringify({ jsonrpc: "2.0", id: id + 1000, result: 1 }));
        if (answer === "huge") {
          // Streamed without a length, as a runaway proxy would: the limit must hold while reading.
          const chunk = "x".repeat(1024 * 1024);
          res.write(`{"jsonrpc":"2.0","id":${id},"result":"`);
          let sent = 0;
          const more = () => {
            while (sent < MAX_ANSWER_BYTES / chunk.length + 8) {
              sent++;
              if (!res.write(chunk)) return res.once("drain", more);
            }
            res.end(`"}`);
          };
          req.socket.on("error", () => {});
          return more();
        }
        res.end(JSON.stringify({ jsonrpc: "2.0", id, result: 42 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  const call = (t: JsonRpcTransport) => t.call("common", "version", []);

  test("a maintenance page's JSON is a protocol error naming what came back, not a request pending forever", async () => {
    const transport = new JsonRpcTransport(url, 60_000);
    answer = "status";
    const started = Date.now();
    await assert.rejects(call(transport), (err: unknown) => {
      assert.ok(err instanceof OdooError);
      assert.equal(err.kind, "protocol");
      assert.match(err.message, /not a JSON-RPC reply to request .*\{"status":"ok"\}/);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, "refused at once, not at the timeout");
    answer = "reply";
    assert.equal(await call(transport), 42, "the next call on the same transport works");
  });

  test("a reply to another request is refused", async () => {
    const transport = new JsonRpcTransport(url, 60_000);
    answer = "wrong-id";
    await assert.rejects(call(transport), /not a JSON-RPC reply to request/);
    answer = "reply";
    assert.equal(await call(transport), 42);
  });

  test("an answer beyond the size limit is refused while streaming, without holding it all", async () => {
    const transport = new JsonRpcTransport(url, 60_000);
    answer = "huge";
    const before = process.memoryUsage().rss;
    await assert.rejects(call(transport), /answered more than 64 MB: refused/);
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    assert.ok(grown < 200, `RSS grew ${grown.toFixed(0)} MB reading a refused answer`);
    answer = "reply";
    assert.equal(await call(transport), 42);
  });
});
