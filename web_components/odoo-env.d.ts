/**
 * The few Odoo 18 web client modules the dashboard imports. They are provided by Odoo's asset bundle at run time
 * (esbuild leaves them external), so only their shapes are declared here.
 */
declare module "@web/core/registry" {
  export const registry: { category(name: string): { add(key: string, value: unknown, options?: object): void } };
}
declare module "@web/core/utils/hooks" {
  export interface OrmService {
    searchRead(model: string, domain: unknown[], fields: string[], kwargs?: { limit?: number; order?: string }): Promise<Array<Record<string, unknown>>>;
    call(model: string, method: string, args?: unknown[], kwargs?: object): Promise<unknown>;
    searchCount(model: string, domain: unknown[]): Promise<number>;
  }
  export interface NotificationService {
    add(message: string, options?: { type?: "info" | "success" | "warning" | "danger" }): void;
  }
  export interface ActionService {
    doAction(action: object | string, options?: { additionalContext?: Record<string, unknown> }): Promise<void>;
  }
  export function useService(name: "orm"): OrmService;
  export function useService(name: "action"): ActionService;
  export function useService(name: "notification"): NotificationService;
}
declare module "@web/core/assets" {
  export function loadBundle(name: string): Promise<void>;
}
declare module "@web/webclient/actions/action_service" {
  export const standardActionServiceProps: Record<string, unknown>;
}
declare module "@web/core/l10n/translation" {
  export function _t(term: string): string;
}
declare module "@web/core/user" {
  /** The user's language as a JS locale ("fr-FR") and time zone. */
  export const user: { lang: string; tz: string };
}
declare module "@web/core/l10n/dates" {
  export function formatDateTime(value: LuxonDateTime): string;
  export function deserializeDateTime(value: string): LuxonDateTime;
}
declare module "@web/core/network/http_service" {
  export function get(url: string, readMethod?: "json" | "text"): Promise<unknown>;
}

/** Chart.js 4, loaded by the web.chartjs_lib bundle as a global. */
declare const Chart: new (canvas: HTMLCanvasElement, config: object) => { destroy(): void };
/** luxon, a global in Odoo's web client: its default zone is the browser's, as in the rest of Odoo. */
interface LuxonDateTime {
  toFormat(f: string): string;
  toUTC(): LuxonDateTime;
  startOf(unit: "day"): LuxonDateTime;
  minus(d: { hours: number }): LuxonDateTime;
  isValid: boolean;
}
declare const luxon: { DateTime: { now(): LuxonDateTime; fromISO(iso: string): LuxonDateTime } };
