import type { Request } from "express";
import { z } from "zod";

/** A 400 whose message names the offending query parameter. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

/** A 403: the caller is known but may not do this (another tenant's data, a missing scope). */
export class Forbidden extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

/** A record id from the path: digits only (no "1e3", "0x10" or ids beyond what bigint and JavaScript hold). */
export function parseId(raw: unknown, what: string): number {
  const text = String(raw);
  const id = Number(text);
  if (!/^\d{1,15}$/.test(text) || id < 1) throw new BadRequest("id", `${what}, got ${JSON.stringify(text.slice(0, 40))}`);
  return id;
}

/** An ISO 8601 time with offset, in years the store can hold and this monitor can mean (2000-2100). */
export const isoTime = z.iso
  .datetime({ offset: true, error: "an ISO 8601 time with offset, e.g. 2026-11-29T10:00:00Z" })
  .refine((v) => { const t = Date.parse(v); return t >= Date.UTC(2000, 0, 1) && t < Date.UTC(2100, 0, 1); }, "a time between the years 2000 and 2100");

export const seriesQuery = z.strictObject({
  tenant: z.string().min(1, "required"),
  sli: z.string().min(1, "required"),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

/** Parses req.query with a schema; unknown or bad parameters become a BadRequest naming the first one. */
export function parseQuery<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") throw new BadRequest(issue.keys.join(", "), "unknown parameter");
  const name = String(issue.path[0] ?? "query");
  const message = issue.code === "invalid_type" && issue.input === undefined ? "required" : issue.message;
  throw new BadRequest(name, message);
}

/** Parses a JSON body with a schema; a bad or unknown field becomes a BadRequest naming it (dotted path). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (!body || typeof body !== "object") throw new BadRequest("body", "a JSON object (Content-Type: application/json)");
  const bad = badTextAt(body, "");
  if (bad !== null) throw new BadRequest(bad || "body", "control characters or invalid UTF-16 (a lone surrogate) in the text");
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") throw new BadRequest(issue.keys.join(", "), "unknown field");
  const field = issue.path.join(".") || "body";
  throw new BadRequest(field, issue.code === "invalid_type" && issue.input === undefined ? "required" : issue.message);
}

/** Characters no stored text may carry: NUL (PostgreSQL refuses it), other C0 controls, lone surrogates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const BAD_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The dotted path of the first key or string value with text PostgreSQL cannot store, or null. */
function badTextAt(value: unknown, path: string): string | null {
  if (typeof value === "string") return BAD_TEXT.test(value) ? path : null;
  if (!value || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (BAD_TEXT.test(k)) return at;
    const found = badTextAt(v, at);
    if (found !== null) return found;
  }
  return null;
}
