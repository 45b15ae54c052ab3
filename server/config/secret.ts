import { inspect } from "node:util";

/**
 * A credential that cannot leak by accident: printing, logging or serialising it yields a mask.
 * Only `reveal()` gives the value, and only the code that sends it over the wire calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[redacted]";
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "[redacted]";
  }
}
