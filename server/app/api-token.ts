import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "../config/secret.ts";

/**
 * The API token when none is configured: generated once and kept in the data directory (mode 0600), so that a
 * quick start is authenticated from the first request and the token is never printed.
 */
export function localApiToken(dataDir: string): { token: Secret; path: string } {
  const path = join(dataDir, "api-token");
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  return { token: new Secret(readFileSync(path, "utf8").trim()), path };
}
