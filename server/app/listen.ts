import { createServer, type RequestListener, type Server } from "node:http";
import type { Config } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";

/**
 * The HTTP server, listening before the store is open: until the app is served, /healthz answers that the process
 * is alive and starting, /readyz and everything else 503 with the reason.
 */
export async function listenEarly(config: Config, log: Logger) {
  let app: RequestListener | undefined;
  const starting: RequestListener = (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const [status, body] = path === "/healthz" ? [200, { status: "starting" }] : [503, { status: "starting", reasons: ["store: opening"], error: "the backend is starting: the store is opening" }];
    res.writeHead(status, { "content-type": "application/json", "retry-after": "2" }).end(JSON.stringify(body));
  };
  // Slow or short bodies and headers that never finish are cut off in seconds, not held until Node's defaults.
  const server: Server = createServer({ headersTimeout: 10_000, requestTimeout: 15_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 }, (req, res) => (app ?? starting)(req, res));
  server.maxConnections = 1024;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shown = config.host.includes(":") ? `[${config.host}]` : config.host;
  log.info({ host: config.host, port }, `listening on http://${shown}:${port}: alive, starting`);
  return {
    server,
    port,
    shown,
    serve: (listener: RequestListener) => void (app = listener),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

