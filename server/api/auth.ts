import { timingSafeEqual, createHash } from "node:crypto";
import type { RequestHandler } from "express";
import type { Secret } from "../config/secret.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Bearer-token check in constant time (hashing first makes the lengths equal). */
export function requireBearer(token: Secret): RequestHandler {
  const expected = digest(token.reveal());
  return (req, res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1]!), expected)) return next();
    res.set("www-authenticate", 'Bearer realm="logistics-observability"');
    res.status(401).json({ error: match ? "invalid bearer token" : "missing bearer token: send Authorization: Bearer <API token>" });
  };
}
