import type { Tenant } from "../../config/load.ts";
import { BatchingReader } from "../../odoo/batching.ts";
import { OdooClient, type OdooReader } from "../../odoo/client.ts";
import { OdooError } from "../../odoo/errors.ts";
import { reading, type Reading } from "../../sli/sample.ts";
import type { Store } from "../../store/store.ts";
import type { CollectContext, Collector } from "../collector.ts";
import { backlogSection } from "./backlog.ts";
import { cronsSection } from "./crons.ts";
import { deliveriesSection } from "./deliveries.ts";
import { LABEL_EVENT_MODEL, labelsSection } from "./labels.ts";
import { mailSection } from "./mail.ts";
import { modulesSection } from "./modules.ts";
import { ordersSection } from "./orders.ts";
import { queueJobsSection } from "./queue-jobs.ts";
import type { InstalledModels, Section } from "./section.ts";
import { wavesSection } from "./waves.ts";

/** In cycle order (without the addon they run one after the other in this order). */
export const SECTIONS: readonly Section[] = [ordersSection, deliveriesSection, labelsSection, backlogSection, wavesSection, cronsSection, queueJobsSection, mailSection, modulesSection];

/** Upper bound of RPCs of one cycle, plus one every MODEL_RECHECK_CYCLES to look for installed modules. */
export const MAX_RPCS_PER_CYCLE = SECTIONS.reduce((n, s) => n + s.maxRpcs, 0);

const REQUIRED_MODELS = ["sale.order", "stock.picking", "stock.picking.batch"];

/** Optional modules are looked up again after this many cycles, so that installing one is noticed. */
const MODEL_RECHECK_CYCLES = 60;

export interface BusinessCollectorOptions {
  windowSeconds: number;
  /** Use the addon's one-call snapshot when it is installed (default true). */
  batch?: boolean;
  connect?: (tenant: Tenant) => Promise<OdooClient>;
  /** Receives the objectives of the tenant's Odoo settings page (addon installed), every few cycles. */
  onSettings?: (tenant: string, raw: unknown) => Promise<void>;
  /** Log in again every this many cycles, so that a revoked key is noticed (0: never; default 1). */
  credentialCheckCycles?: number;
}

/** The addon's read-only settings method: objectives and SLO target set by the Odoo administrator. */
const SETTINGS_MODEL = "logistics.settings";
const SETTINGS_EVERY_CYCLES = 5;

/**
 * The business SLIs of one Odoo tenant. Keeps one logged-in client, reconnecting after a failure; each section
 * failing alone yields missing readings for its SLIs with the reason, while a failed login fails the whole run.
 */
export class BusinessCollector implements Collector {
  readonly source = "odoo_business";
  readonly slis = SECTIONS.flatMap((s) => s.slis);
  #client: OdooClient | undefined;
  #models: InstalledModels | undefined;
  #cycles = 0;

  constructor(
    private readonly tenantConfig: Tenant,
    private readonly store: Store,
    private readonly options: BusinessCollectorOptions,
  ) {}

  get tenant(): string {
    return this.tenantConfig.name;
  }

  /** The same logged-in connection over another store: the benchmark's baseline forgets its incremental state. */
  withStore(store: Store): BusinessCollector {
    const twin = new BusinessCollector(this.tenantConfig, store, this.options);
    twin.#client = this.#client;
    twin.#models = this.#models;
    twin.#cycles = this.#cycles;
    return twin;
  }

  /** RPCs sent by the current connection; benchmarks read the difference per cycle. */
  get rpcCount(): number {
    return this.#client?.calls ?? 0;
  }

  get serverVersion(): string | undefined {
    return this.#client?.version.label;
  }

  /** Whether the tenant's Odoo has the addon (it then records and mails alerts itself); undefined before the first run. */
  get addonInstalled(): boolean | undefined {
    return this.#models?.addon;
  }

  async collect({ now }: CollectContext): Promise<Reading[]> {
    const fresh = this.#client === undefined;
    const client = await this.connection();
    const every = this.options.credentialCheckCycles ?? 1;
    if (!fresh && every > 0 && this.#cycles % every === 0) {
      try {
        await client.checkCredential();
      } catch (err) {
        this.#client = undefined;
        throw err;
      }
    }
    if (!this.#models || this.#cycles % MODEL_RECHECK_CYCLES === 0) this.#models = await this.detectModels(client);
    if (this.#models.addon && this.options.onSettings && this.#cycles % SETTINGS_EVERY_CYCLES === 0) await this.syncSettings(client);
    this.#cycles++;
    const models = this.#models;
    const base = { store: this.store, tenant: this.tenantConfig, window: { now, seconds: this.options.windowSeconds }, models };
    const run = (section: Section, reader: OdooReader) => section.run({ ...base, client: reader });
    let outcomes: PromiseSettledResult<Reading[]>[];
    if (models.addon && this.options.batch !== false) {
      // The addon answers a whole round of reads in one RPC: the sections run together, their reads batched.
      outcomes = await new BatchingReader(client).runAll(SECTIONS.map((section) => (reader: OdooReader) => run(section, reader)));
    } else {
      // In order, one RPC at a time: labels reads the delivery facts that deliveries has just synchronised.
      outcomes = [];
      for (const section of SECTIONS) outcomes.push(await run(section, client).then((value) => ({ status: "fulfilled" as const, value }), (reason: unknown) => ({ status: "rejected" as const, reason })));
    }
    return outcomes.flatMap((outcome, i) => this.readingsOf(SECTIONS[i]!, outcome));
  }

  /** A section's readings, or for a failed section its SLIs missing with the reason. */
  private readingsOf(section: Section, outcome: PromiseSettledResult<Reading[]>): Reading[] {
    if (outcome.status === "fulfilled") return outcome.value;
    const err = outcome.reason;
    // Losing the server or the login, or answers that are not Odoo's, fail the run as a whole: the runner marks every
    // SLI missing and the tenant "cannot be sampled".
    if (err instanceof OdooError && (err.transient || err.kind === "auth" || err.kind === "protocol")) {
      this.#client = undefined;
      throw err;
    }
    const why = `${section.name}: ${err instanceof Error ? err.message : String(err)}`;
    return section.slis.map((sli) => reading(sli, undefined, why));
  }

  /** An addon too old to have the settings method keeps the config's objectives; anything else fails the run. */
  private async syncSettings(client: OdooClient): Promise<void> {
    try {
      await this.options.onSettings!(this.tenant, await client.execute(SETTINGS_MODEL, "objectives", {}));
    } catch (err) {
      if (!(err instanceof OdooError && err.kind === "missing_model")) throw err;
    }
  }

  /** The logged-in client of this tenant (logging in if need be): what reads the tenant's audit trail in the same run. */
  client(): Promise<OdooClient> {
    return this.connection();
  }

  private async connection(): Promise<OdooClient> {
    if (!this.#client) {
      const t = this.tenantConfig;
      this.#client = await (this.options.connect ?? ((x) => OdooClient.connect(x)))(t);
      this.#models = undefined;
      this.#cycles = 0;
    }
    return this.#client;
  }

  /**
   * One ir.model read tells which apps are there. An Odoo without sale or stock has nothing to measure: one
   * clear error instead of a storm of per-section failures.
   */
  private async detectModels(client: OdooClient): Promise<InstalledModels> {
    const wanted = [...REQUIRED_MODELS, "queue.job", LABEL_EVENT_MODEL, "delivery.carrier"];
    const rows = await client.searchRead<{ model: string }>("ir.model", [["model", "in", wanted]], ["model"]);
    const present = new Set(rows.map((r) => r.model));
    const absent = REQUIRED_MODELS.filter((m) => !present.has(m));
    if (absent.length) {
      this.#client = undefined;
      throw new OdooError("missing_model", `${absent.join(", ")} not installed: the sale_stock and stock_picking_batch apps are required`);
    }
    return { queueJob: present.has("queue.job"), addon: present.has(LABEL_EVENT_MODEL), carriers: present.has("delivery.carrier") };
  }
}
