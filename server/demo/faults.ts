/**
 * Odoo's server-side exceptions as the simulator raises them. Odoo 18 answers every failed JSON-RPC call with
 * HTTP 200 and {code: 200, message: "Odoo Server Error", data: {name, debug, message, arguments, context}}, where
 * name is the Python class ("odoo.exceptions.UserError", "builtins.ValueError"); clients decide on data.name and
 * data.message, so both are copied from a real Odoo 18 word for word.
 */
export class OdooFault extends Error {
  override name = "OdooFault";

  constructor(
    /** Qualified Python exception class, as in data.name. */
    readonly exception: string,
    message: string,
  ) {
    super(message);
  }
}

/** The `error` member of a JSON-RPC answer for a fault. */
export interface OdooErrorPayload {
  code: 200;
  message: "Odoo Server Error";
  data: { name: string; debug: string; message: string; arguments: string[]; context: Record<string, never> };
}

export function errorPayload(fault: OdooFault): OdooErrorPayload {
  // Python prints builtins without their module in the last traceback line.
  const short = fault.exception.startsWith("builtins.") ? fault.exception.slice("builtins.".length) : fault.exception;
  const debug = [
    "Traceback (most recent call last):",
    '  File "/opt/odoo/odoo/http.py", line 1976, in _transactioning',
    "    return service_model.retrying(func, env=self.env)",
    '  File "/opt/odoo/odoo/service/model.py", line 156, in retrying',
    "    result = func()",
    "  (demo Odoo simulator: the frames below this point are not simulated)",
    `${short}: ${fault.message}`,
    "",
  ].join("\n");
  return {
    code: 200,
    message: "Odoo Server Error",
    data: { name: fault.exception, debug, message: fault.message, arguments: [fault.message], context: {} },
  };
}

export const userError = (message: string) => new OdooFault("odoo.exceptions.UserError", message);
export const valueError = (message: string) => new OdooFault("builtins.ValueError", message);
export const typeError = (message: string) => new OdooFault("builtins.TypeError", message);
export const accessError = (message: string) => new OdooFault("odoo.exceptions.AccessError", message);
export const accessDenied = () => new OdooFault("odoo.exceptions.AccessDenied", "Access Denied");

/** Python's TypeError for missing arguments, worded as Python words it: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
export function missingArguments(callable: string, names: readonly string[]): OdooFault {
  const quoted = names.map((n) => `'${n}'`);
  const last = quoted[quoted.length - 1];
  const list = quoted.length === 1 ? last : quoted.length === 2 ? `${quoted[0]} and ${last}` : `${quoted.slice(0, -1).join(", ")}, and ${last}`;
  return typeError(`${callable} missing ${names.length} required positional argument${names.length > 1 ? "s" : ""}: ${list}`);
}

/** What Odoo raises for a model whose module is not installed. */
export const missingModel = (model: string) => userError(`Object ${model} doesn't exist`);

/** What Odoo raises for an unknown database: PostgreSQL refuses the connection. */
export const unknownDatabase = (db: string) =>
  new OdooFault(
    "psycopg2.OperationalError",
    `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${db}" does not exist\n`,
  );
