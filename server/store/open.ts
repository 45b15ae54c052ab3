import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pgliteDriver, postgresDriver } from "./driver.ts";
import { Store } from "./store.ts";

/** Opens the configured store (PostgreSQL when a URL is given, embedded PGlite in dataDir otherwise) and migrates it. */
export async function openStore(opts: { url?: string; dataDir?: string; inMemory?: boolean }): Promise<Store> {
  let driver;
  if (opts.url) {
    driver = postgresDriver(opts.url);
  } else if (opts.inMemory || !opts.dataDir) {
    driver = await pgliteDriver();
  } else {
    const dir = join(opts.dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    driver = await pgliteDriver(dir);
  }
  const store = new Store(driver);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
