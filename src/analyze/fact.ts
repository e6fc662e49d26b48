/**
 * One detected fact about a repo, with where it came from.
 *
 * `source` is `path:line` (path relative to the repo root) when the value was read from
 * a file, or `null` when it is a default. `rule` names the detection rule that produced it,
 * so a reader of `detect --json` can tell "read from the pip-compile header" from "default".
 */
export interface Fact<T> {
  value: T;
  source: string | null;
  rule: string;
}

/** A fact read from `file` at `line` (1-based) by `rule`. */
export function found<T>(value: T, file: string, line: number, rule: string): Fact<T> {
  return { value, source: `${file}:${line}`, rule };
}

/** A fact that nothing in the repo said: the value is the tool's default. */
export function byDefault<T>(value: T, rule: string): Fact<T> {
  return { value, source: null, rule: `default: ${rule}` };
}

/** A finding worth telling the user that does not stop analysis. */
export interface AnalysisWarning {
  message: string;
  source: string | null;
}
