import type { SyntaxNode } from '@lezer/common';
import { SETTING_NAME, yamlKeyRead } from './after-load.js';
import { type DictChange, dictChanges } from './dict-changes.js';
import type { AnalysisWarning } from './fact.js';
import type { PyAssignment, PyLiteral, PyModule } from './python.js';

/** A setting the operator may override in the YAML, with its default from the code. */
export interface SettingDefault {
  name: string;
  /** The default, evaluated from literals and earlier settings; null when `computed` is set. */
  value: PyLiteral;
  source: string;
  /**
   * The default's Python source when it cannot be evaluated (`root("assets")`): the example
   * shows it as a comment, never as a value that would replace the computed one.
   */
  computed?: string;
}

/** Settings that describe the code, not the deployment: not offered in the example YAML. */
const STRUCTURAL = new Set([
  'INSTALLED_APPS',
  'MIDDLEWARE',
  'MIDDLEWARE_CLASSES',
  'ROOT_URLCONF',
  'WSGI_APPLICATION',
  'TEMPLATES',
  'AUTHENTICATION_BACKENDS',
  'AUTH_PASSWORD_VALIDATORS',
  'STATICFILES_FINDERS',
  'STATICFILES_DIRS',
  'LOCALE_PATHS',
  'DICT_UPDATE_KEYS',
  'CONFIG_FILE',
  'DJANGO_APPS',
  'THIRD_PARTY_APPS',
  'PROJECT_APPS',
  'DEFAULT_AUTO_FIELD',
  'AUTH_USER_MODEL',
  'FIXTURE_DIRS',
  'SITE_ID',
  'TEST_RUNNER',
  'PASSWORD_HASHERS',
]);

/** Calls that read the environment with a default (`os.environ.get('X', d)`, `os.getenv('X', d)`). */
const ENV_GET = /^(?:os\.)?(?:environ\.get|getenv)$/;

/**
 * The value of an expression built from literals, earlier settings (`LANGUAGE_CODE`), string
 * or list `+`, and environment reads with a default (the default); undefined otherwise.
 */
function evaluate(module: PyModule, node: SyntaxNode, env: Map<string, PyLiteral>): PyLiteral | undefined {
  switch (node.name) {
    case 'VariableName':
      return env.get(module.textOf(node));
    case 'ParenthesizedExpression': {
      const inner = node.firstChild?.nextSibling;
      return inner && inner.name !== ')' ? evaluate(module, inner, env) : undefined;
    }
    case 'BinaryExpression': {
      const [left, op, right] = [node.firstChild, node.firstChild?.nextSibling, node.lastChild];
      if (!left || !right || !op) return undefined;
      const [a, b] = [evaluate(module, left, env), evaluate(module, right, env)];
      const operator = module.textOf(op);
      if (typeof a === 'number' && typeof b === 'number') return arithmetic(operator, a, b);
      if (operator !== '+') return undefined;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      return undefined;
    }
    case 'MemberExpression': {
      // `DATABASES['default']`: a key of an earlier dict setting.
      const open = node.getChild('[');
      const key = open?.nextSibling;
      const base = node.firstChild && open ? evaluate(module, node.firstChild, env) : undefined;
      const name = key?.name === 'String' ? module.stringValue(key) : undefined;
      return isDict(base) && name !== undefined && name in base ? base[name] : undefined;
    }
    case 'CallExpression': {
      const callee = node.firstChild;
      const args = node.getChild('ArgList');
      if (!callee || !args) return undefined;
      const copied = copyOf(module, callee, args, env);
      if (copied !== undefined) return copied;
      if (!ENV_GET.test(module.textOf(callee))) return undefined;
      const values = args.getChildren('String').length > 0 ? [...argNodes(args)] : [];
      if (values.length === 1) return null;
      return values.length === 2 ? evaluate(module, values[1], env) : undefined;
    }
    case 'ArrayExpression':
    case 'TupleExpression':
    case 'SetExpression': {
      const items: PyLiteral[] = [];
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (['[', ']', '(', ')', '{', '}', ',', 'Comment'].includes(child.name)) continue;
        const value = evaluate(module, child, env);
        if (value === undefined) return undefined;
        items.push(value);
      }
      return items;
    }
    case 'DictionaryExpression': {
      const dict: { [key: string]: PyLiteral } = {};
      let key: string | undefined;
      let expectKey = true;
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (['{', '}', ',', 'Comment'].includes(child.name)) continue;
        if (child.name === ':') {
          expectKey = false;
          continue;
        }
        if (child.name === '**' || child.type.isError) return undefined;
        const value = evaluate(module, child, env);
        if (value === undefined) return undefined;
        if (expectKey) {
          if (typeof value !== 'string' && typeof value !== 'number') return undefined;
          key = String(value);
        } else {
          dict[key!] = value;
          expectKey = true;
        }
      }
      return dict;
    }
    default:
      return module.literal(node);
  }
}

/**
 * The copy a call makes of an earlier value: `copy.deepcopy(X)` / `deepcopy(X)`, `X.copy()`
 * (the replica alias copied from the default database), `dict(X, NAME='y')`; undefined otherwise.
 */
function copyOf(
  module: PyModule,
  callee: SyntaxNode,
  args: SyntaxNode,
  env: Map<string, PyLiteral>,
): PyLiteral | undefined {
  const spelled = module.textOf(callee).replace(/\s+/g, '');
  const positional: SyntaxNode[] = [];
  const keywords: [string, SyntaxNode][] = [];
  for (const arg of argNodes(args)) {
    if (arg.name === 'AssignOp') continue;
    if (arg.name === 'VariableName' && arg.nextSibling?.name === 'AssignOp') {
      const value = arg.nextSibling.nextSibling;
      if (!value) return undefined;
      keywords.push([module.textOf(arg), value]);
    } else if (!keywords.some(([, value]) => value.from === arg.from)) positional.push(arg);
  }
  if (/^(?:copy\.)?deepcopy$/.test(spelled) && positional.length === 1 && keywords.length === 0) {
    const value = evaluate(module, positional[0], env);
    return value === undefined ? undefined : structuredClone(value);
  }
  if (spelled.endsWith('.copy') && positional.length === 0 && keywords.length === 0) {
    const inner = callee.name === 'MemberExpression' ? callee.firstChild : null;
    const value = inner ? evaluate(module, inner, env) : undefined;
    return isDict(value) || Array.isArray(value) ? structuredClone(value) : undefined;
  }
  if (spelled === 'dict' && positional.length <= 1) {
    const base = positional.length === 1 ? evaluate(module, positional[0], env) : {};
    if (!isDict(base)) return undefined;
    const result: { [key: string]: PyLiteral } = structuredClone(base);
    for (const [key, node] of keywords) {
      const value = evaluate(module, node, env);
      if (value === undefined) return undefined;
      result[key] = value;
    }
    return result;
  }
  return undefined;
}

function isDict(value: PyLiteral | undefined): value is { [key: string]: PyLiteral } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/** `value` with `keys` set to `item`: a copy, or undefined when a key on the way is not a dict. */
function withKey(value: PyLiteral | undefined, keys: string[], item: PyLiteral): PyLiteral | undefined {
  if (!isDict(value)) return undefined;
  const result = structuredClone(value);
  let node: { [key: string]: PyLiteral } = result;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isDict(next)) return undefined;
    node = next;
  }
  node[keys[keys.length - 1]] = item;
  return result;
}

/** `a op b` for the operators settings use to spell durations and sizes (`60 * 60`). */
function arithmetic(operator: string, a: number, b: number): number | undefined {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '//':
      return b === 0 ? undefined : Math.floor(a / b);
    default:
      return undefined;
  }
}

/** The argument expressions of a call's ArgList. */
function* argNodes(args: SyntaxNode): Generator<SyntaxNode> {
  for (let child = args.firstChild; child; child = child.nextSibling) {
    if (!['(', ')', ','].includes(child.name)) yield child;
  }
}

/** The Python source of a default that cannot be evaluated, on one line and short. */
function sourceText(module: PyModule, node: SyntaxNode): string {
  // Comments dropped (a `#` inside a string may cut it short: this is shown, never run).
  const text = module
    .textOf(node)
    .replace(/#[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/**
 * UPPERCASE settings with their defaults across the production settings (base first, later
 * modules override), excluding structural ones, those the settings assign again after loading
 * the YAML (it cannot set them), and `*_APPS` lists unless the settings read them after the load
 * (`INSTALLED_APPS += EXTRA_APPS`: the YAML is how an operator sets them). A default
 * built from literals, earlier settings and environment reads is evaluated; any other is kept
 * as `computed` source text. `X = config_from_yaml.pop('X', d)` (a read of the YAML's own key from
 * one of `yamlDicts`) defaults to d: what X holds when the YAML does not set it. Secrets are the
 * caller's concern: it never copies them.
 */
export function detectSettingsDefaults(
  settings: PyModule[],
  readAfterLoad: ReadonlySet<string> = new Set(),
  assignedAfterLoad: ReadonlySet<string> = new Set(),
  yamlDicts: ReadonlySet<string> = new Set(),
  warnings: AnalysisWarning[] = [],
): SettingDefault[] {
  const byName = new Map<string, SettingDefault & { conditional: boolean }>();
  const env = new Map<string, PyLiteral>();
  for (const module of settings) {
    // Module-level assignments and in-place dict changes in source order, so that a name
    // resolves to what it held when read.
    const { changes, unfollowed } = dictChanges(module);
    for (const change of unfollowed.filter((candidate) => candidate.topLevel))
      unfollowedWarning(module, change.name, change.line, change.why, warnings);
    const statements: (PyAssignment | DictChange)[] = [...module.assignments().values(), ...changes];
    statements.sort((a, b) => a.line - b.line);
    for (const assignment of statements) {
      if (!SETTING_NAME.test(assignment.name)) continue;
      if ('keys' in assignment) {
        applyChange(module, assignment, env, byName.get(assignment.name), warnings);
        continue;
      }
      const read = yamlKeyRead(module, assignment.value, assignment.name, yamlDicts);
      const value = read === null ? null : evaluate(module, read ?? assignment.value, env);
      if (value === undefined) env.delete(assignment.name);
      else env.set(assignment.name, value);
      if (STRUCTURAL.has(assignment.name) || assignedAfterLoad.has(assignment.name)) continue;
      if (assignment.name.endsWith('_APPS') && !readAfterLoad.has(assignment.name)) continue;
      // A value set under an `if` (or try/with) is a branch, not the default: edx-notes-api sets
      // `ELASTICSEARCH_DSL = {}` only `if ES_DISABLED:`, and offering `{}` broke the service.
      // It counts only when nothing unconditional came before it.
      const earlier = byName.get(assignment.name);
      if (assignment.conditional && earlier && !earlier.conditional) continue;
      const source = `${module.file}:${assignment.line}`;
      const conditional = assignment.conditional;
      byName.set(
        assignment.name,
        value === undefined
          ? {
              name: assignment.name,
              value: null,
              source,
              computed: sourceText(module, read ?? assignment.value),
              conditional,
            }
          : { name: assignment.name, value, source, conditional },
      );
    }
  }
  const databases = byName.get('DATABASES');
  if (databases?.computed !== undefined)
    warnings.push({
      message: `DATABASES is computed (${databases.computed}): the example's DATABASES may miss aliases; check them`,
      source: databases.source,
    });
  return [...byName.values()].map(({ conditional: _conditional, ...setting }) => setting);
}

/** The one dict whose aliases the example restates (example-config databaseEntry); others are only defaults. */
const ALIASED = new Set(['DATABASES']);

function unfollowedWarning(
  module: PyModule,
  name: string,
  line: number,
  why: string,
  warnings: AnalysisWarning[],
): void {
  if (!ALIASED.has(name)) return;
  warnings.push({
    message: `${name} is changed in ${why}, which is not followed: the example's ${name} may miss aliases; check them`,
    source: `${module.file}:${line}`,
  });
}

/**
 * Applies `NAME['key'] = value` / `NAME.update(...)` to the name's value and to its default:
 * the YAML replaces the whole dict, so a key the settings add (a database alias) must be in it.
 */
function applyChange(
  module: PyModule,
  change: DictChange,
  env: Map<string, PyLiteral>,
  setting: SettingDefault | undefined,
  warnings: AnalysisWarning[],
): void {
  // A dict not followed (computed) is warned about once, where it is assigned.
  if (!isDict(env.get(change.name))) return;
  const item = evaluate(module, change.value, env);
  const next = item === undefined ? undefined : withKey(env.get(change.name), change.keys, item);
  if (next === undefined) {
    // A key inside an alias (`DATABASES['default']['PASSWORD'] = ...`) adds no alias.
    if (change.keys.length === 1) unfollowedWarning(module, change.name, change.line, 'a computed value', warnings);
    return;
  }
  env.set(change.name, next);
  if (setting && setting.computed === undefined)
    setting.value = withKey(setting.value, change.keys, item!) ?? setting.value;
}
