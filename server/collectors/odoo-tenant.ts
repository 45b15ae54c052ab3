import type { BusinessCollector } from "./business/index.ts";
import type { CollectContext, Collector } from "./collector.ts";
import type { SecurityCollector } from "./security.ts";
import type { Reading } from "../sli/sample.ts";

/**
 * One tenant's Odoo in one run: its business SLIs, then its audit trail. One run per tenant and cycle, not two: at
 * hundreds of tenants a second run each was a second queue slot, a second login and a second judging round per
 * tenant for a read the addon answers in one call. A failed business run (Odoo down) fails the whole run, so Odoo
 * down is one page; the trail is read only where the addon is installed.
 */
export class OdooTenantCollector implements Collector {
  readonly source: string;
  readonly slis: readonly string[];

  constructor(
    readonly business: BusinessCollector,
    private readonly security: SecurityCollector,
  ) {
    this.source = business.source;
    this.slis = [...business.slis, ...security.slis];
  }

  get tenant(): string {
    return this.business.tenant;
  }

  async collect(ctx: CollectContext): Promise<Reading[]> {
    const business = await this.business.collect(ctx);
    const security = this.business.addonInstalled === false ? this.security.absent() : await this.security.collect(ctx);
    return [...business, ...security];
  }
}
