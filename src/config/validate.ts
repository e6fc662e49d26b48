import { isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { type ConfigSchema, jsonType } from '../model/example-schema.js';

/** One problem `config validate` finds in an operator's YAML. */
export interface Finding {
  kind: 'unknown-key' | 'missing-key' | 'wrong-type' | 'placeholder';
  /** The top-level key, or the path to a nested value (`DATABASES.default.PASSWORD`). */
  key: string;
  /** 1-based line in the YAML, or null (a missing key has none). */
  line: number | null;
  message: string;
  /** Errors fail the check (exit 1); warnings are printed only. */
  severity: 'error' | 'warning';
}

const PLACEHOLDER = /CHANGE-ME-[a-z0-9-]+/;

const TYPE_NAME: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  array: 'a list',
  object: 'a mapping',
};

/** Levenshtein distance, for the nearest real name of an unknown key. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known name nearest to `key`, when it is close enough to be a typo of it. */
export function nearestName(key: string, names: Iterable<string>): string | undefined {
  let best: { name: string; cost: number } | undefined;
  for (const name of names) {
    const cost = distance(key.toUpperCase(), name);
    if (!best || cost < best.cost) best = { name, cost };
  }
  const allowed = Math.max(2, Math.floor(key.length / 4));
  return best && best.cost <= allowed ? best.name : undefined;
}

/** A YAML that is not a mapping of settings, or does not parse. */
export class ConfigSyntaxError extends Error {}

/**
 * Checks an operator's YAML against the service's schema: keys the service does not know (an
 * error when a known name is a likely typo of it, else a warning: a library may read it),
 * required keys missing, values of the wrong type, and CHANGE-ME placeholders left in.
 */
export function validateConfig(text: string, schema: ConfigSchema): Finding[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const where = error.linePos ? `line ${error.linePos[0].line}: ` : '';
    throw new ConfigSyntaxError(`${where}${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? null : text.slice(0, offset).split('\n').length;
  const findings: Finding[] = [];
  const root = doc.contents;
  if (root !== null && !isMap(root)) throw new ConfigSyntaxError('the top level is not a mapping of setting names');
  const known = Object.keys(schema.properties);
  const present = new Set<string>();
  for (const pair of root?.items ?? []) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    present.add(key);
    const property = schema.properties[key];
    if (!property) {
      const near = nearestName(key, known);
      findings.push({
        kind: 'unknown-key',
        key,
        line,
        severity: near ? 'error' : 'warning',
        message: near
          ? `${key} is not a setting of this service: did you mean ${near}?`
          : `${key} is not a setting the service's code names (a library may still read it)`,
      });
      continue;
    }
    const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null;
    const actual = jsonType(value);
    const expected = property.type;
    const numeric = (type: string | undefined) => type === 'integer' || type === 'number';
    if (expected && actual && actual !== expected && !(numeric(actual) && numeric(expected))) {
      findings.push({
        kind: 'wrong-type',
        key,
        line,
        severity: 'error',
        message: `${key} is ${TYPE_NAME[actual]}, the service expects ${TYPE_NAME[expected]}`,
      });
    }
  }
  for (const key of schema.required) {
    if (!present.has(key))
      findings.push({
        kind: 'missing-key',
        key,
        line: null,
        severity: 'error',
        message: `${key} is required and missing`,
      });
  }
  visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !PLACEHOLDER.test(node.value)) return;
      // The path to the value: map keys by name, list items by index.
      const names: string[] = [];
      for (let index = 0; index < path.length; index++) {
        const ancestor = path[index];
        if (isPair(ancestor)) names.push(isScalar(ancestor.key) ? String(ancestor.key.value) : String(ancestor.key));
        else if (isSeq(ancestor)) {
          const child = path[index + 1] ?? node;
          names.push(String(ancestor.items.indexOf(child as never)));
        }
      }
      const name = names.join('.');
      findings.push({
        kind: 'placeholder',
        key: name,
        line: lineOf(node.range?.[0]),
        severity: 'error',
        message: `${name} still holds ${PLACEHOLDER.exec(node.value)![0]}: put the deployment's value there`,
      });
    },
  });
  return findings.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}
