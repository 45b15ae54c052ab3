import { z } from "zod";

/** An endpoint the backend posts to; credentials go in their own (secret) keys, never in the URL, which is logged. */
const endpointUrl = z
  .url({ protocol: /^https?$/, error: "an http(s) URL" })
  .refine((u) => { const p = new URL(u); return !p.username && !p.password; }, "no credentials in the URL: use bearerToken or basicAuth");

/**
 * Alertmanager (`alerts.alertmanager`): every firing alert is posted to each URL's `/api/v2/alerts`, again every
 * `resendSeconds` while it fires, and with its end once resolved. Several URLs are the members of one
 * Alertmanager cluster: like Prometheus, the backend posts to each, and they deduplicate among themselves.
 */
export const alertmanagerSchema = z
  .strictObject({
    urls: z.array(endpointUrl).min(1, "at least one Alertmanager URL, e.g. http://alertmanager:9093"),
    bearerToken: z.string().min(1).optional(),
    basicAuth: z.strictObject({ username: z.string().min(1), password: z.string().min(1) }).optional(),
    /**
     * A firing alert is posted again this often. Each post also says when it ends unless posted again (four times
     * this or the sampling interval, whichever is longer, as Prometheus does), so Alertmanager's own
     * `resolve_timeout` never resolves it while the backend is up; kept under its default of 5 minutes anyway.
     */
    resendSeconds: z.number().int().min(10).max(240, "at most 240 s: under Alertmanager's default resolve_timeout of 5 minutes").default(60),
    timeoutSeconds: z.number().min(1).max(60).default(10),
    /** Link in each alert (annotation `dashboard`, and its generatorURL): `{tenant}` is replaced, e.g. a Grafana tenant dashboard. */
    dashboardUrl: z
      .string()
      .refine((u) => URL.canParse(u.replaceAll("{tenant}", "t")) && /^https?:/.test(u), "an http(s) URL; {tenant} is replaced by the tenant's name")
      .optional(),
  })
  .refine((a) => !(a.bearerToken && a.basicAuth), { message: "set bearerToken or basicAuth, not both", path: ["bearerToken"] });

/**
 * Signed webhooks (`alerts.webhooks`): each incident notification (the ones people are told by email or in
 * Odoo) posted as JSON to every URL, signed with HMAC-SHA256 over the timestamp and the body.
 */
export const webhooksSchema = z
  .array(
    z.strictObject({
      /** Names the webhook in logs and the outbox (never its URL's query or its secret). */
      name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lowercase letters, digits, - and _ (max 40)"),
      url: endpointUrl,
      /** The shared HMAC key the receiver verifies signatures with. */
      secret: z.string().min(32, "at least 32 characters (e.g. openssl rand -hex 32)"),
      timeoutSeconds: z.number().min(1).max(60).default(10),
    }),
  )
  .refine((list) => new Set(list.map((w) => w.name)).size === list.length, { message: "webhook names must be unique" })
  .default([]);
