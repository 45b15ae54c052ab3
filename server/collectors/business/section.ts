import type { Tenant } from "../../config/load.ts";
import type { OdooReader } from "../../odoo/client.ts";
import type { Window } from "../../sli/business.ts";
import type { SliId } from "../../sli/catalog.ts";
import type { Reading } from "../../sli/sample.ts";
import type { Store } from "../../store/store.ts";

/** Optional Odoo modules that change what can be measured, detected once per connection. */
export interface InstalledModels {
  queueJob: boolean;
  /** The logistics_observability addon: label events, and the done date of batches. */
  addon: boolean;
  /** stock_delivery: carriers on pickings. */
  carriers: boolean;
}

export interface SectionEnv {
  client: OdooReader;
  store: Store;
  tenant: Tenant;
  window: Window;
  models: InstalledModels;
}

/**
 * One group of business SLIs read with a few RPCs. A section that throws yields missing readings for its SLIs
 * and the other sections of the cycle still run (queue_job's access rights do not hide late deliveries).
 */
export interface Section {
  name: string;
  slis: readonly SliId[];
  /** Upper bound of RPCs one run makes: the sampler's published cost is the sum over sections. */
  maxRpcs: number;
  run(env: SectionEnv): Promise<Reading[]>;
}

/** The start of the window, where incremental cursors begin on a first run. */
export function windowStart(w: Window): Date {
  return new Date(w.now.getTime() - w.seconds * 1000);
}

/** Page size of incremental reads; a larger backlog is read over the next cycles. */
export const PAGE_SIZE = 1000;
