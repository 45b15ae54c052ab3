import type { SliDefinition } from "./catalog.ts";

/** What an Odoo tenant's settings page says (synced each cycle from the addon). */
export interface TenantSettings {
  objectives: Record<string, number>;
  slo?: { target?: number; windowDays?: number };
}

export interface SloPolicy {
  target: number;
  windowDays: number;
  slis: Record<string, { target?: number; windowDays?: number }>;
}

export interface Slo {
  objective: number;
  better: SliDefinition["better"];
  /** Share of sampled time the SLI must meet its objective, e.g. 0.99. */
  target: number;
  windowSeconds: number;
}

/**
 * Objectives and SLOs in force for a tenant. Precedence, most specific first: the tenant's Odoo settings, the
 * config file (`targets`, `slo.slis`, `slo`), the catalogue's defaults.
 */
export class Objectives {
  readonly #tenants = new Map<string, TenantSettings>();

  constructor(
    private readonly targets: Record<string, number>,
    private readonly policy: SloPolicy,
  ) {}

  setTenant(tenant: string, settings: TenantSettings): void {
    this.#tenants.set(tenant, settings);
  }

  tenantSettings(tenant: string): TenantSettings | undefined {
    return this.#tenants.get(tenant);
  }

  objective(tenant: string, def: SliDefinition): number {
    return this.#tenants.get(tenant)?.objectives[def.id] ?? this.targets[def.id] ?? def.target;
  }

  slo(tenant: string, def: SliDefinition): Slo {
    const fromOdoo = this.#tenants.get(tenant)?.slo;
    const perSli = this.policy.slis[def.id];
    const target = perSli?.target ?? fromOdoo?.target ?? this.policy.target;
    const windowDays = perSli?.windowDays ?? fromOdoo?.windowDays ?? this.policy.windowDays;
    return { objective: this.objective(tenant, def), better: def.better, target, windowSeconds: windowDays * 86_400 };
  }
}

/**
 * Keeps what a tenant may set within sense: known SLIs, finite numbers, a target in (0, 1), 1-90 days. What is
 * left out is named, so that the log says which setting of which tenant was ignored.
 */
export function sanitizeSettings(raw: unknown, known: (id: string) => boolean): { settings: TenantSettings; rejected: string[] } {
  const r = (raw ?? {}) as { objectives?: Record<string, unknown>; slo?: Record<string, unknown> };
  const rejected: string[] = [];
  const objectives: Record<string, number> = {};
  for (const [id, value] of Object.entries(r.objectives ?? {})) {
    if (known(id) && typeof value === "number" && Number.isFinite(value)) objectives[id] = value;
    else rejected.push(`objectives.${id}=${JSON.stringify(value)}`);
  }
  const slo: NonNullable<TenantSettings["slo"]> = {};
  const { target, windowDays } = r.slo ?? {};
  if (typeof target === "number" && target > 0 && target < 1) slo.target = target;
  else if (target !== undefined) rejected.push(`slo.target=${JSON.stringify(target)}`);
  if (typeof windowDays === "number" && Number.isInteger(windowDays) && windowDays >= 1 && windowDays <= 90) slo.windowDays = windowDays;
  else if (windowDays !== undefined) rejected.push(`slo.windowDays=${JSON.stringify(windowDays)}`);
  return { settings: { objectives, slo }, rejected };
}
