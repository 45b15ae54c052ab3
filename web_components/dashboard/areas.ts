import { _t } from "./t.ts";

/**
 * The service levels grouped as a logistics manager thinks of them, in the flow of an order. Pure.
 */
export type AreaId = "orders" | "deliveries" | "waves" | "carriers" | "jobs" | "journeys";

export const AREAS: ReadonlyArray<{ id: AreaId; prefixes: readonly string[] }> = [
  { id: "orders", prefixes: ["order_"] },
  { id: "deliveries", prefixes: ["on_time_delivery", "delivery_", "late_open_deliveries", "ready_backlog"] },
  { id: "waves", prefixes: ["wave_", "late_open_waves"] },
  { id: "carriers", prefixes: ["label_"] },
  { id: "jobs", prefixes: ["cron_", "queue_job_", "mail_"] },
  { id: "journeys", prefixes: ["journey_"] },
];

export function areaTitle(id: AreaId): string {
  return { orders: _t("Orders"), deliveries: _t("Deliveries"), waves: _t("Waves"), carriers: _t("Carriers"), jobs: _t("Jobs and mail"), journeys: _t("User journeys") }[id];
}

export function areaOf(sli: string): AreaId {
  return AREAS.find((a) => a.prefixes.some((p) => sli.startsWith(p)))?.id ?? "jobs";
}

/**
 * Tiles by area: areas with a breach first, and in each area the breaches first, then the rest in the catalogue's
 * order (the sort is stable). An area with neither a tile nor one of `alsoShown` (those with Odoo's counts, which
 * load without the backend) is left out.
 */
export function byArea<T extends { sli: string; status: string }>(tiles: readonly T[], alsoShown: readonly AreaId[] = []): Array<{ id: AreaId; tiles: T[]; breaches: number }> {
  const breachFirst = (a: T, b: T) => Number(b.status === "breach") - Number(a.status === "breach");
  const areas = AREAS.map((a) => {
    const mine = tiles.filter((t) => areaOf(t.sli) === a.id).sort(breachFirst);
    return { id: a.id, tiles: mine, breaches: mine.filter((t) => t.status === "breach").length };
  }).filter((a) => a.tiles.length || alsoShown.includes(a.id));
  return areas.sort((a, b) => Number(b.breaches > 0) - Number(a.breaches > 0));
}
