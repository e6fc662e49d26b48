import { placeholder } from '../../model/example-config.js';

/**
 * A variable the templates read that no layer defines (an Ansible fact, an inventory variable,
 * a role outside the chain). It renders as a CHANGE-ME placeholder, so a value keeps its shape
 * (`http://CHANGE-ME-lms-host/oauth2`), and is reported by name.
 */
export class Unresolved {
  constructor(readonly name: string) {}

  toString(): string {
    return placeholder(this.name);
  }
}

/** A value from a vars file encrypted with ansible-vault (`!vault`): it cannot be read here. */
export class VaultEncrypted {
  toString(): string {
    return placeholder('ansible vault encrypted');
  }
}

/** A `!unsafe` string: Ansible never templates it. */
export class UnsafeText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Python's repr() of a value, as Jinja prints a list or dict inside text. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  return pyStr(value);
}

/** Python's str() of a value: what `{{ value }}` writes into text under Ansible. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (isDict(value))
    return `{${Object.entries(value)
      .map(([key, item]) => `${pyRepr(key)}: ${pyRepr(item)}`)
      .join(', ')}}`;
  return String(value);
}

/** Python truthiness: empty strings, lists and dicts, 0 and None are false. */
export function pyTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** A deep copy that keeps the marker classes (structuredClone drops prototypes). */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepCopy(item)])) as T;
  return value;
}
