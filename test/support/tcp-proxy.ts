import { createServer, connect, type Server, type Socket } from "node:net";
import { freePort } from "./ports.ts";

/**
 * A loopback TCP proxy in front of a server: `stop()` makes it unreachable exactly as a stopped server is
 * (connections refused, open ones cut), `start()` brings it back on the same port.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const start = async () => {
    server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => (s === client ? upstream : client).destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server!.listen(port, "127.0.0.1", () => r()));
  };
  const stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  };
  await start();
  return { url: `http://127.0.0.1:${port}`, start, stop };
}
