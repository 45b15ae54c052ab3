import { BackupsCollector } from "../collectors/backups.ts";
import { BusinessCollector, type BusinessCollectorOptions } from "../collectors/business/index.ts";
import type { Collector } from "../collectors/collector.ts";
import { HostCollector } from "../collectors/host.ts";
import { PostgresCollector } from "../collectors/postgres/collector.ts";
import { RedisCollector } from "../collectors/redis.ts";
import { TlsCollector } from "../collectors/tls.ts";
import { KubernetesCollector } from "../collectors/kubernetes.ts";
import { JourneysCollector } from "../collectors/journeys.ts";
import { SecurityCollector } from "../collectors/security.ts";
import { OdooTenantCollector } from "../collectors/odoo-tenant.ts";
import { CapacityCollector } from "../collectors/capacity.ts";
import { TraefikCollector } from "../collectors/traefik.ts";
import type { Config, Tenant } from "../config/load.ts";
import type { Store } from "../store/store.ts";

export interface CollectorSet {
  business: BusinessCollector[];
  postgres: PostgresCollector | undefined;
  capacity: CapacityCollector;
  all: Collector[];
}

/** One business collector per tenant, plus one collector per configured infrastructure source. */
export function buildCollectors(config: Config, tenants: readonly Tenant[], store: Store, options: Pick<BusinessCollectorOptions, "onSettings"> = {}): CollectorSet {
  const windowSeconds = config.sampling.windowHours * 3600;
  const business = tenants.map((t) => new BusinessCollector(t, store, { windowSeconds, credentialCheckCycles: config.sampling.credentialCheckCycles, ...options }));
  const { sources } = config;
  const postgres = sources.postgres && new PostgresCollector(sources.postgres, new Map(tenants.map((t) => [t.db, t.name])));
  const infra: Collector[] = [
    ...(postgres ? [postgres] : []),
    ...(sources.redis ? [new RedisCollector(sources.redis)] : []),
    ...(sources.host ? [new HostCollector(sources.host)] : []),
    ...(sources.traefik ? [new TraefikCollector(sources.traefik)] : []),
    ...(sources.kubernetes ? [new KubernetesCollector(sources.kubernetes)] : []),
    ...(sources.tls ? [new TlsCollector(sources.tls)] : []),
    new BackupsCollector(store, sources.backups, config.restoreTests.map((t) => t.name)),
  ];
  const capacity = new CapacityCollector(config.capacity, tenants.map((t) => t.name), store);
  const journeys = tenants.flatMap((t) => (t.journey ? [new JourneysCollector({ ...t, journey: t.journey }, store)] : []));
  // The demo Odoo has no audit trail to read; a real tenant's trail is read in its business run.
  const odoo = business.map((b, i) => (tenants[i]!.demo ? b : new OdooTenantCollector(b, new SecurityCollector(tenants[i]!, store, () => b.client()))));
  return { business, postgres, capacity, all: [...odoo, ...journeys, ...infra, capacity] };
}
