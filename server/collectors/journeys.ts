import type { Tenant } from "../config/load.ts";
import { runJourney, type Journey, type JourneyResult } from "../journeys/journey.ts";
import { portalJourney } from "../journeys/portal.ts";
import { journeyReadings } from "../journeys/readings.ts";
import { WebSession } from "../journeys/session.ts";
import { warehouseJourney } from "../journeys/warehouse.ts";
import type { Reading } from "../sli/sample.ts";
import type { Store } from "../store/store.ts";
import type { CollectContext, Collector } from "./collector.ts";

export const JOURNEY_SLIS = ["journey_success", "journey_duration_seconds", "journey_failed_step", "journey_step_seconds"] as const;

/**
 * Synthetic user journeys of one tenant, at the sampling cadence: the warehouse user's (as the tenant's dedicated
 * low-privilege journey user) and the customer's public page. A failing journey is a reading, never a failed run:
 * "cannot log in" is exactly what it measures. Each run is kept with its steps for the incident's timeline.
 */
export class JourneysCollector implements Collector {
  readonly source = "odoo_journey";
  readonly slis = JOURNEY_SLIS;
  readonly #journeys: Array<Journey<unknown>>;

  constructor(
    private readonly tenantConfig: Tenant & { journey: NonNullable<Tenant["journey"]> },
    private readonly store: Store,
  ) {
    const j = tenantConfig.journey;
    this.#journeys = [
      warehouseJourney(tenantConfig.db, j.user, j.password) as Journey<unknown>,
      ...(j.portalPath ? [portalJourney(j.portalPath) as Journey<unknown>] : []),
    ];
  }

  get tenant(): string {
    return this.tenantConfig.name;
  }

  async collect({ now, signal }: CollectContext): Promise<Reading[]> {
    const t = this.tenantConfig;
    // Each journey in a session of its own, as two different people: the customer is never logged in.
    const results: JourneyResult[] = await Promise.all(this.#journeys.map((j) => runJourney(j, new WebSession(t.url, t.timeoutMs, signal))));
    await Promise.all(results.map((r) => this.store.journeys.append(this.tenant, now, r)));
    return results.flatMap(journeyReadings);
  }
}
