import type { Database } from "./database.ts";
import { accessDenied, missingModel, OdooFault, unknownDatabase } from "./faults.ts";
import { callMethod } from "./methods.ts";
import { SETTINGS_MODEL, SNAPSHOT_MODEL, settingsObjectives, snapshotBatch } from "./snapshot.ts";

/** Odoo 18's answer to common.version and /web/webclient/version_info. */
export const VERSION_INFO = {
  server_version: "18.0",
  server_version_info: [18, 0, 0, "final", 0, ""],
  server_serie: "18.0",
  protocol_version: 1,
} as const;

/** The one database and user of the demo Odoo. */
export interface DemoAccount {
  db: string;
  login: string;
  password: string;
  uid: number;
}

/**
 * Odoo's dispatch_rpc for the `common`, `object` and `db` services of /jsonrpc, with the checks in Odoo's order:
 * database, user, password, then the model, then the method.
 */
export function dispatchRpc(db: Database, account: DemoAccount, service: string, method: string, args: unknown[]): unknown {
  switch (service) {
    case "common":
      return common(account, method, args);
    case "object":
      return object(db, account, method, args);
    case "db":
      if (method === "list") return [account.db];
      if (method === "server_version") return VERSION_INFO.server_version;
      throw new OdooFault("builtins.Exception", `Method not found: ${method}`);
    default:
      throw new OdooFault("builtins.KeyError", service);
  }
}

function common(account: DemoAccount, method: string, args: unknown[]): unknown {
  switch (method) {
    case "version":
      return VERSION_INFO;
    case "about":
      return args[0] ? ["See http://openerp.com", VERSION_INFO.server_version] : "See http://openerp.com";
    case "login":
    case "authenticate": {
      const [dbName, login, password] = args;
      if (dbName !== account.db) throw unknownDatabase(String(dbName));
      // A refused login is an answer, not an error: Odoo returns false.
      return login === account.login && password === account.password ? account.uid : false;
    }
    default:
      throw new OdooFault("builtins.Exception", `Method not found: ${method}`);
  }
}

function object(db: Database, account: DemoAccount, method: string, params: unknown[]): unknown {
  const [dbName, uid, password, model, name, ...rest] = params;
  if (dbName !== account.db) throw unknownDatabase(String(dbName));
  if (Number(uid) !== account.uid) {
    throw new OdooFault("odoo.exceptions.MissingError", `Record does not exist or has been deleted.\n(Record: res.users(${Number(uid)},), User: ${Number(uid)})`);
  }
  if (password !== account.password) throw accessDenied();
  if (method !== "execute" && method !== "execute_kw") throw new OdooFault("builtins.NameError", `Method not available ${method}`);
  const addon = db.installed.apps && db.installed.labelEvents;
  const addonSnapshot = model === SNAPSHOT_MODEL && addon;
  const addonSettings = model === SETTINGS_MODEL && addon;
  if (typeof model !== "string" || (!db.has(model) && !addonSnapshot && !addonSettings)) throw missingModel(String(model));
  const args = method === "execute_kw" ? rest[0] ?? [] : rest;
  const kwargs = method === "execute_kw" ? rest[1] ?? {} : {};
  if (!Array.isArray(args) || typeof kwargs !== "object" || kwargs === null) {
    throw new OdooFault("builtins.TypeError", "execute_kw() expects a list of positional arguments and a dict of keyword arguments");
  }
  if (addonSnapshot && name === "batch") return snapshotBatch(db, kwargs as Record<string, unknown>, callMethod);
  if (addonSettings && name === "objectives") return settingsObjectives();
  return callMethod(db, model, String(name), args, kwargs as Record<string, unknown>);
}
