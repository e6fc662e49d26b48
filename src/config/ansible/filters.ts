import { stringify } from 'yaml';
import { type Dict, Unresolved, VaultEncrypted, deepCopy, isDict, pyStr, pyTruthy } from './values.js';

/**
 * The Ansible (and Jinja) filters and tests the configuration repository's roles use, with
 * Ansible's semantics where nunjucks differs: measured on openedx/configuration, the role
 * defaults use default, combine, bool, string, map, selectattr, list, ternary, regex_replace,
 * join and to_nice_yaml; the rest are the common ones operators write in their vars.
 */

/** Calls back with what a filter swallowed (`combine` of an unresolved dict), so it is still reported. */
export type Swallowed = (value: Unresolved | VaultEncrypted) => void;

/** nunjucks passes keyword arguments as a trailing object marked `__keywords`. */
function splitKeywords(args: unknown[]): { positional: unknown[]; keywords: Dict } {
  const last = args.at(-1);
  if (isDict(last) && last.__keywords === true) {
    const { __keywords: _ignored, ...keywords } = last;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: args, keywords: {} };
}

/** Whether a value is undefined for Jinja's `default` and `is defined`. */
export function isUndefined(value: unknown): boolean {
  return value === undefined || value instanceof Unresolved;
}

function toBool(value: unknown): unknown {
  if (value instanceof Unresolved || value instanceof VaultEncrypted) return value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  // Ansible's boolean(): these strings are true, anything else false.
  return ['yes', 'on', '1', 'true', 't', 'y'].includes(pyStr(value).trim().toLowerCase());
}

/** Python's re replacement syntax (`\1`, `\g<name>`) as JavaScript's. */
function jsReplacement(replacement: string): string {
  return replacement
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\w+)>/g, (_m, group: string) => (/^\d+$/.test(group) ? `$${group}` : `$<${group}>`))
    .replace(/\\(\d+)/g, '$$$1');
}

/** Python's regex syntax where it differs from JavaScript's: named groups. */
export function jsPattern(pattern: string): string {
  return pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

function combineTwo(left: Dict, right: Dict, recursive: boolean): Dict {
  const result: Dict = deepCopy(left);
  for (const [key, value] of Object.entries(right)) {
    result[key] =
      recursive && isDict(result[key]) && isDict(value) ? combineTwo(result[key], value, true) : deepCopy(value);
  }
  return result;
}

/** Sorted keys at every level, as PyYAML's dump (Ansible's to_yaml) writes them. */
function sortedKeys(value: unknown, swallowed: Swallowed): unknown {
  if (Array.isArray(value)) return value.map((item) => sortedKeys(item, swallowed));
  if (isDict(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys(value[key], swallowed)]),
    );
  if (value instanceof Unresolved || value instanceof VaultEncrypted) {
    swallowed(value);
    return value.toString();
  }
  return value;
}

/** The Jinja tests (`x is defined`), with Ansible's meaning of undefined. */
export const ANSIBLE_TESTS: Record<string, (value: unknown, arg?: unknown) => boolean> = {
  defined: (value) => !isUndefined(value),
  undefined: (value) => isUndefined(value),
  none: (value) => value === null,
  equalto: (value, arg) => value === arg,
  eq: (value, arg) => value === arg,
  '==': (value, arg) => value === arg,
  ne: (value, arg) => value !== arg,
  '!=': (value, arg) => value !== arg,
  truthy: (value) => pyTruthy(value),
  falsy: (value) => !pyTruthy(value),
  string: (value) => typeof value === 'string',
  mapping: (value) => isDict(value),
  match: (value, arg) => new RegExp(`^(?:${jsPattern(String(arg))})`).test(pyStr(value)),
  search: (value, arg) => new RegExp(jsPattern(String(arg))).test(pyStr(value)),
};

/** A filter as nunjucks calls it: the value, then the arguments. */
type Filter = (value: unknown, ...args: unknown[]) => unknown;

/** The filters, by name. `swallowed` hears of unresolved values a filter drops. */
export function ansibleFilters(
  swallowed: Swallowed,
  callFilter: (name: string, args: unknown[]) => unknown,
): Record<string, Filter> {
  const dictOrEmpty = (value: unknown): Dict => {
    if (value instanceof Unresolved || value instanceof VaultEncrypted) {
      swallowed(value);
      return {};
    }
    if (value === undefined || value === null) return {};
    if (!isDict(value)) throw new Error(`combine expects dictionaries, got ${pyStr(value).slice(0, 40)}`);
    return value;
  };
  const defaultFilter: Filter = (value, fallback = '', boolean = false) =>
    isUndefined(value) || (boolean && !pyTruthy(value)) ? fallback : value;
  const attribute = (item: unknown, path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (node, key) => (isDict(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined),
        item,
      );
  const select = (keep: boolean) => (value: unknown, attr: unknown, test?: unknown, arg?: unknown) => {
    if (!Array.isArray(value)) return [];
    const check = test === undefined ? (item: unknown) => pyTruthy(item) : ANSIBLE_TESTS[String(test)];
    if (!check) throw new Error(`no test named ${String(test)}`);
    return value.filter((item) => check(attribute(item, String(attr)), arg) === keep);
  };
  return {
    default: defaultFilter,
    d: defaultFilter,
    mandatory: (value) => {
      if (isUndefined(value)) throw new Error('a mandatory variable is not defined');
      return value;
    },
    bool: toBool,
    string: (value) => pyStr(value),
    int: (value, fallback = 0) => {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const number = Number.parseInt(pyStr(value).trim(), 10);
      return Number.isNaN(number) ? fallback : number;
    },
    float: (value, fallback = 0) => {
      const number = Number.parseFloat(pyStr(value).trim());
      return Number.isNaN(number) ? fallback : number;
    },
    lower: (value) => pyStr(value).toLowerCase(),
    upper: (value) => pyStr(value).toUpperCase(),
    trim: (value) => pyStr(value).trim(),
    length: (value) =>
      Array.isArray(value) || typeof value === 'string' ? value.length : isDict(value) ? Object.keys(value).length : 0,
    list: (value) =>
      Array.isArray(value)
        ? value
        : isDict(value)
          ? Object.keys(value)
          : typeof value === 'string'
            ? [...value]
            : [value],
    join: (value, separator = '') => (Array.isArray(value) ? value.map(pyStr).join(pyStr(separator)) : pyStr(value)),
    combine: (value, ...rest) => {
      const { positional, keywords } = splitKeywords(rest);
      const recursive = pyTruthy(keywords.recursive);
      return [value, ...positional.flat()].map(dictOrEmpty).reduce((left, right) => combineTwo(left, right, recursive));
    },
    regex_replace: (value, pattern = '', replacement = '', ...rest) => {
      const { positional, keywords } = splitKeywords(rest);
      const ignorecase = pyTruthy(keywords.ignorecase ?? positional[0]);
      const multiline = pyTruthy(keywords.multiline ?? positional[1]);
      const flags = `g${ignorecase ? 'i' : ''}${multiline ? 'm' : ''}`;
      return pyStr(value).replace(new RegExp(jsPattern(String(pattern)), flags), jsReplacement(String(replacement)));
    },
    ternary: (value, whenTrue, whenFalse, whenNone) =>
      value === null && whenNone !== undefined ? whenNone : pyTruthy(value) ? whenTrue : whenFalse,
    map: (value, ...rest) => {
      const { positional, keywords } = splitKeywords(rest);
      if (!Array.isArray(value)) value = isDict(value) ? Object.keys(value) : [];
      const items = value as unknown[];
      if (keywords.attribute !== undefined)
        return items.map((item) => attribute(item, String(keywords.attribute)) ?? keywords.default);
      const [name, ...args] = positional;
      return items.map((item) => callFilter(String(name), [item, ...args]));
    },
    selectattr: select(true),
    rejectattr: select(false),
    to_json: (value) => JSON.stringify(sortedKeys(value, swallowed)),
    to_nice_json: (value, ...rest) =>
      JSON.stringify(sortedKeys(value, swallowed), null, Number(splitKeywords(rest).keywords.indent ?? 4)),
    to_yaml: (value) => stringify(sortedKeys(value, swallowed), { lineWidth: 0 }),
    to_nice_yaml: (value, ...rest) =>
      stringify(sortedKeys(value, swallowed), {
        indent: Number(splitKeywords(rest).keywords.indent ?? 4),
        lineWidth: 0,
      }),
  };
}
