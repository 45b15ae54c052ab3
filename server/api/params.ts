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

const isoTime = z.iso.datetime({ offset: true, error: "an ISO 8601 time with offset, e.g. 2026-11-29T10:00:00Z" });

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
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") throw new BadRequest(issue.keys.join(", "), "unknown field");
  const field = issue.path.join(".") || "body";
  throw new BadRequest(field, issue.code === "invalid_type" && issue.input === undefined ? "required" : issue.message);
}
