import { chmodSync, mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pgliteDriver, postgresDriver } from "./driver.ts";
import { Store } from "./store.ts";

/** Opens the configured store (PostgreSQL when a URL is given, embedded PGlite in dataDir otherwise) and migrates it. */
export async function openStore(opts: { url?: string; dataDir?: string; inMemory?: boolean; poolSize?: number }): Promise<Store> {
  let driver;
  if (opts.url) {
    driver = postgresDriver(opts.url, opts.poolSize);
  } else if (opts.inMemory || !opts.dataDir) {
    driver = await pgliteDriver();
  } else {
    const dir = join(opts.dataDir, "pglite");
    usableDirectory(opts.dataDir, dir);
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

/**
 * The data directory exists, is ours only (0700: it holds the store and the local API token) and takes writes.
 * PGlite on a read-only or full directory fails with "failed to initialize properly": say which and why first.
 */
function usableDirectory(dataDir: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const d of [dataDir, dir]) chmodSync(d, 0o700);
    const probe = join(dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, "ok");
    unlinkSync(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`data directory ${dir} is not usable (${e.code ?? "error"}: ${e.message}); set DATA_DIR to a writable directory`);
  }
}
