import { isScalar, parseDocument, visit } from 'yaml';

/** Host names the generator writes into example YAML: example.com and its `.internal` twins. */
const EXAMPLE_HOST = /\b(?:[a-z0-9-]+\.)*example\.(?:com|org|net|internal)\b/gi;
/** A placeholder the generator writes where a deployment's secret or own value goes. */
const PLACEHOLDER = /CHANGE-ME-[a-z0-9-]+/g;

/** What an operator puts where the example YAML has placeholders and example hosts. */
export interface FillValues {
  /** The host every example host name becomes (127.0.0.1 for servers on the test machine). */
  host: string;
  /** Example host names (lowercase) that become another host than `host` (compose: `db.example.internal` → `db`). */
  hosts?: Record<string, string>;
  /** Values for named placeholders (`CHANGE-ME-database-password`); the others get `fallback(name)`. */
  placeholders?: Record<string, string>;
  /** The value of a placeholder not in `placeholders`. */
  fallback: (placeholder: string) => string;
}

/** The filled YAML text and what each placeholder became. */
export interface FilledConfig {
  text: string;
  replaced: Record<string, string>;
}

/**
 * Fills a generated example YAML the way an operator would, mechanically: every `CHANGE-ME-*`
 * placeholder (also inside a URL) gets its value and every example host name becomes
 * `values.host` (or its own entry in `values.hosts`). Nothing else changes: no key is added or removed, and other values, comments
 * and order stay as generated, so a service that fails to boot with the result fails because
 * of the example, not because of the test.
 */
export function fillExampleConfig(exampleYaml: string, values: FillValues): FilledConfig {
  const doc = parseDocument(exampleYaml);
  const replaced: Record<string, string> = {};
  const fill = (text: string) =>
    text
      .replace(PLACEHOLDER, (name) => (replaced[name] ??= values.placeholders?.[name] ?? values.fallback(name)))
      .replace(EXAMPLE_HOST, (name) => values.hosts?.[name.toLowerCase()] ?? values.host);
  visit(doc, {
    Scalar(key, node) {
      // Map keys stay as written: only values are filled.
      if (key !== 'key' && isScalar(node) && typeof node.value === 'string') node.value = fill(node.value);
    },
  });
  return { text: doc.toString(), replaced };
}
