import { z } from "zod";

/**
 * The status page (GET /status/<tenant>): its title, and the tenants whose page anyone may open without a token.
 * Every tenant has the detailed page (/status/<tenant>/detail), which needs a token.
 */
export const statusPageSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(100).default("Service status"),
    /** Configured tenant names; a tenant left out answers 404 on its public page, as an unknown one does. */
    publicTenants: z.array(z.string().min(1)).default([]),
  })
  .default({ title: "Service status", publicTenants: [] });

export type StatusPageConfig = z.infer<typeof statusPageSchema>;
