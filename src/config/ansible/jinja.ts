import nunjucks from 'nunjucks';
import { ANSIBLE_TESTS, ansibleFilters } from './filters.js';
import { type Dict, Unresolved, VaultEncrypted, isDict, pyStr } from './values.js';

/*
 * nunjucks is a Jinja implementation; these are the places where it follows JavaScript and
 * Ansible's Jinja follows Python, patched once on nunjucks's own compiler and runtime:
 * `a + b` concatenates lists (JavaScript would join them into a string), `{{ value }}` writes
 * Python's str() (`True`, `['a', 'b']`), dicts and lists have Python's methods (jinja-compat,
 * plus `copy`), and `{% do %}` runs an expression for its side effect.
 */

interface NunjucksInternals {
  compiler: { Compiler: { prototype: Record<string, unknown> } };
  runtime: Record<string, unknown>;
  parser: { parse: (source: string, extensions?: unknown[], options?: unknown) => AstNode };
  installJinjaCompat: () => void;
}

/** A node of nunjucks's template AST. */
interface AstNode {
  typename: string;
  fields?: string[];
  value?: unknown;
  [field: string]: unknown;
}

const internals = nunjucks as unknown as NunjucksInternals;

/** Where a render sends the unresolved values it writes out; set for the length of one synchronous render. */
let recorder: ((value: Unresolved | VaultEncrypted) => void) | null = null;

function record(value: Unresolved | VaultEncrypted): void {
  recorder?.(value);
}

/** Python's `+`: lists concatenate, numbers add, anything with a string is text. */
function pyAdd(left: unknown, right: unknown): unknown {
  if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
  if (typeof left === 'number' && typeof right === 'number') return left + right;
  for (const side of [left, right]) if (side instanceof Unresolved || side instanceof VaultEncrypted) record(side);
  if (Array.isArray(left) || Array.isArray(right)) {
    // An unresolved list stands for an empty one: the other side keeps its items.
    if (left instanceof Unresolved || left instanceof VaultEncrypted) return right;
    if (right instanceof Unresolved || right instanceof VaultEncrypted) return left;
    throw new Error(`cannot add ${pyStr(left).slice(0, 30)} and ${pyStr(right).slice(0, 30)}`);
  }
  return `${pyStr(left)}${pyStr(right)}`;
}

let patched = false;

function patchNunjucks(): void {
  if (patched) return;
  patched = true;
  internals.installJinjaCompat();
  const compiler = internals.compiler.Compiler.prototype as Record<string, unknown> & {
    compile: (node: unknown, frame: unknown) => void;
    _emit: (code: string) => void;
  };
  compiler.compileAdd = function compileAdd(
    this: typeof compiler,
    node: { left: unknown; right: unknown },
    frame: unknown,
  ) {
    this._emit('env.getFilter("__py_add")(');
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
  const runtime = internals.runtime;
  runtime.suppressValue = (value: unknown) => {
    if (value instanceof Unresolved || value instanceof VaultEncrypted) record(value);
    if (value === undefined) throw new Error('an undefined value is written (a key or attribute that does not exist)');
    return pyStr(value);
  };
  const memberLookup = runtime.memberLookup as (obj: unknown, key: unknown, autoescape?: boolean) => unknown;
  runtime.memberLookup = (obj: unknown, key: unknown, autoescape?: boolean) => {
    // An unresolved variable's attributes are as unresolved as it is.
    if (obj instanceof Unresolved || obj instanceof VaultEncrypted) return obj;
    if (key === 'copy' && (isDict(obj) || Array.isArray(obj)))
      return () => (Array.isArray(obj) ? [...obj] : { ...(obj as Dict) });
    return memberLookup(obj, key, autoescape);
  };
}

/** `{% do expression %}` (Jinja's do extension, which Ansible enables): evaluates for the side effect. */
class DoExtension {
  tags = ['do'];

  parse(
    parser: {
      nextToken: () => { value: string; lineno: number; colno: number };
      parseExpression: () => unknown;
      advanceAfterBlockEnd: (name: string) => void;
    },
    nodes: { CallExtension: new (...args: unknown[]) => unknown; NodeList: new (...args: unknown[]) => unknown },
  ): unknown {
    const token = parser.nextToken();
    const expression = parser.parseExpression();
    parser.advanceAfterBlockEnd(token.value);
    return new nodes.CallExtension(this, 'run', new nodes.NodeList(token.lineno, token.colno, [expression]));
  }

  run(): string {
    return '';
  }
}

/** A template error, with the line inside the template text (1-based) when nunjucks knows it. */
export class TemplateSyntaxOrRenderError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

/** The environment every template of an import renders in. */
export class Jinja {
  private readonly env: nunjucks.Environment;
  private readonly extensions: unknown[];

  constructor() {
    patchNunjucks();
    this.env = new nunjucks.Environment(null, { autoescape: false });
    const doExtension = new DoExtension();
    this.env.addExtension('do', doExtension);
    this.extensions = [doExtension];
    const filters = ansibleFilters(record, (name, args) => {
      const filter = this.env.getFilter(name) as (...values: unknown[]) => unknown;
      return filter(...args);
    });
    for (const [name, filter] of Object.entries(filters)) this.env.addFilter(name, filter);
    this.env.addFilter('__py_add', pyAdd);
    const env = this.env as unknown as { addTest: (name: string, test: unknown) => void };
    for (const [name, test] of Object.entries(ANSIBLE_TESTS)) env.addTest(name, test);
  }

  /** The variable names a template reads (its symbols), in order of appearance. */
  names(source: string): string[] {
    const root = this.parse(source);
    const names: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object' || typeof (node as AstNode).typename !== 'string') return;
      const ast = node as AstNode;
      if (ast.typename === 'Symbol' && typeof ast.value === 'string' && !names.includes(ast.value))
        names.push(ast.value);
      // A filter's name is a symbol too, but not a variable.
      for (const field of ast.fields ?? [])
        if (!(field === 'name' && ast.typename.startsWith('Filter'))) walk(ast[field]);
      if (ast.children) walk(ast.children);
    };
    walk(root);
    return names;
  }

  /** Renders template text to a string. */
  render(source: string, context: Dict, onUnresolved: (value: Unresolved | VaultEncrypted) => void): string {
    return this.run(() => this.env.renderString(source, context), onUnresolved);
  }

  /** Evaluates one expression (the inside of `{{ }}`) to its value, keeping its type. */
  evaluate(expression: string, context: Dict, onUnresolved: (value: Unresolved | VaultEncrypted) => void): unknown {
    const holder: { value?: unknown } = {};
    const capture = (value: unknown) => {
      holder.value = value;
      return '';
    };
    this.run(
      () =>
        this.env.renderString(`{% set __value = (${expression}) %}{{ __capture(__value) }}`, {
          ...context,
          __capture: capture,
        }),
      onUnresolved,
    );
    return holder.value;
  }

  private parse(source: string): unknown {
    try {
      return internals.parser.parse(source, this.extensions, {});
    } catch (error) {
      throw templateError(error);
    }
  }

  private run<T>(render: () => T, onUnresolved: (value: Unresolved | VaultEncrypted) => void): T {
    const previous = recorder;
    recorder = onUnresolved;
    try {
      return render();
    } catch (error) {
      throw templateError(error);
    } finally {
      recorder = previous;
    }
  }
}

/** nunjucks's error as one line and the template line it names. */
function templateError(error: unknown): TemplateSyntaxOrRenderError {
  const text = (error as Error).message ?? String(error);
  const lineno = (error as { lineno?: number }).lineno;
  const line = /\[Line (\d+)/.exec(text)?.[1] ?? (typeof lineno === 'number' ? lineno : null);
  const message = text
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part && !/^\(unknown path\)/.test(part) && part !== 'Template render error:')
    .join(' ')
    .replace(/^Template render error:\s*/, '')
    .replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '');
  return new TemplateSyntaxOrRenderError(message, line === null ? null : Number(line));
}
