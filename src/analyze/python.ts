import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';

/** A Python value built only from literals: what a settings default can be shown as. */
export type PyLiteral = string | number | boolean | null | PyLiteral[] | { [key: string]: PyLiteral };

/** A module-level `NAME = value` (or annotated) assignment. */
export interface PyAssignment {
  name: string;
  value: SyntaxNode;
  line: number;
  /** Inside a top-level `if`/`try`/`with` rather than directly at module level. */
  conditional: boolean;
}

/** A call anywhere in the module: `callee` is the dotted name as written (`os.environ.get`). */
export interface PyCall {
  callee: string;
  args: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
  node: SyntaxNode;
  line: number;
}

/** A read of an environment variable, in any of the forms settings files use. */
export interface EnvRead {
  name: string;
  /** `environ['X']` and helpers like `get_env_setting('X')` fail when unset; the rest do not. */
  required: boolean;
  form: 'subscript' | 'get' | 'helper' | 'membership-test';
  line: number;
  node: SyntaxNode;
}

const ENV_OBJECTS = new Set(['environ', 'os.environ']);
const ENV_GETTERS = new Set(['environ.get', 'os.environ.get', 'os.getenv', 'getenv', 'env']);
/** Helpers IDAs define or import to read a required variable (they raise ImproperlyConfigured). */
const ENV_HELPER = /^(get_env_setting|get_env_variable|get_env_var|get_env|env_setting|required_env)$/;

/** A `yield` with no value: at the end of a statement or line, before `)` or `;`. */
const BARE_YIELD = /\byield(?=[ \t]*(?:#[^\n]*)?(?:\r?\n|$)|[ \t]*[);])/g;

/**
 * The source as the parser reads it: @lezer/python rejects a bare `yield` (analytics-data-api's
 * `def f(): ... yield ...` context manager), which CPython accepts. Each becomes `None `, of
 * the same length, so every offset, line and text the detectors read stays the file's own.
 */
function withoutBareYield(text: string): string {
  return text.includes('yield') ? text.replace(BARE_YIELD, 'None ') : text;
}

/**
 * A parsed Python source file. The parser (@lezer/python) is error-tolerant: a file with
 * syntax errors still yields a tree, and `parseErrors` lists the lines where it recovered.
 */
export class PyModule {
  readonly file: string;
  readonly text: string;
  readonly tree: Tree;
  readonly parseErrors: number[];
  readonly #lineStarts: number[];
  // Each view of the tree is computed once: detectors ask for the same ones many times.
  #assignments?: Map<string, PyAssignment>;
  #calls?: PyCall[];
  #envReads?: EnvRead[];
  #strings?: { value: string; line: number }[];

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.tree = parser.parse(withoutBareYield(text));
    this.#lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#lineStarts.push(i + 1);
    const errors = new Set<number>();
    this.tree.iterate({
      enter: (node) => {
        if (node.type.isError) errors.add(this.lineOf(node.from));
      },
    });
    this.parseErrors = [...errors].sort((a, b) => a - b);
  }

  /** 1-based line of a character offset. */
  lineOf(pos: number): number {
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  textOf(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** Module-level assignments, last one wins, including those nested in top-level if/try/with. */
  assignments(): Map<string, PyAssignment> {
    this.#assignments ??= this.#findAssignments();
    return this.#assignments;
  }

  #findAssignments(): Map<string, PyAssignment> {
    const result = new Map<string, PyAssignment>();
    const visit = (parent: SyntaxNode, conditional: boolean) => {
      for (let child = parent.firstChild; child; child = child.nextSibling) {
        if (child.name === 'AssignStatement') {
          const targets = child.getChildren('VariableName');
          const op = child.getChild('AssignOp');
          const value = op?.nextSibling;
          if (!value || targets.length === 0) continue;
          // `A = B = value` yields several VariableNames before the last AssignOp.
          for (const target of targets) {
            if (target.from > op.from) break;
            const name = this.textOf(target);
            result.set(name, { name, value: lastValue(child) ?? value, line: this.lineOf(child.from), conditional });
          }
        } else if (['IfStatement', 'TryStatement', 'WithStatement'].includes(child.name)) {
          for (const body of child.getChildren('Body')) visit(body, true);
        }
      }
    };
    visit(this.tree.topNode, false);
    return result;
  }

  /** Modules star-imported at module level, as written: `.base`, `credentials.settings.base`. */
  starImports(): string[] {
    const modules: string[] = [];
    for (let child = this.tree.topNode.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'ImportStatement' || !child.getChild('*')) continue;
      const importKeyword = child.getChild('import');
      if (!importKeyword) continue;
      modules.push(
        this.text
          .slice(child.from, importKeyword.from)
          .replace(/^from\s+/, '')
          .replace(/\s+/g, ''),
      );
    }
    return modules;
  }

  /** Every call expression in the module, in source order. */
  calls(): PyCall[] {
    this.#calls ??= this.#findCalls();
    return this.#calls;
  }

  #findCalls(): PyCall[] {
    const calls: PyCall[] = [];
    this.tree.iterate({
      enter: (ref) => {
        if (ref.name !== 'CallExpression') return;
        const node = ref.node;
        const calleeNode = node.firstChild;
        const argList = node.getChild('ArgList');
        if (!calleeNode || !argList) return;
        const args: SyntaxNode[] = [];
        const keywords = new Map<string, SyntaxNode>();
        for (let arg = argList.firstChild; arg; arg = arg.nextSibling) {
          if (['(', ')', ',', '⚠'].includes(arg.name) || arg.type.isError) continue;
          if (arg.name === 'VariableName' && arg.nextSibling?.name === 'AssignOp') {
            const value = arg.nextSibling.nextSibling;
            if (value) keywords.set(this.textOf(arg), value);
            arg = value ?? arg.nextSibling;
            continue;
          }
          args.push(arg);
        }
        calls.push({
          callee: this.textOf(calleeNode).replace(/\s+/g, ''),
          args,
          keywords,
          node,
          line: this.lineOf(node.from),
        });
      },
    });
    return calls;
  }

  /** Every read of an environment variable whose name is a string literal. */
  envReads(): EnvRead[] {
    this.#envReads ??= this.#findEnvReads();
    return this.#envReads;
  }

  #findEnvReads(): EnvRead[] {
    const reads: EnvRead[] = [];
    this.tree.iterate({
      enter: (ref) => {
        const node = ref.node;
        if (ref.name === 'MemberExpression') {
          const object = node.firstChild;
          const open = node.getChild('[');
          if (object && open && ENV_OBJECTS.has(this.textOf(object).replace(/\s+/g, ''))) {
            const name = this.stringValue(open.nextSibling);
            if (name !== undefined)
              reads.push({ name, required: true, form: 'subscript', line: this.lineOf(node.from), node });
          }
        } else if (ref.name === 'BinaryExpression' && node.getChild('in')) {
          const left = node.firstChild;
          const right = node.lastChild;
          const name = this.stringValue(left);
          if (name !== undefined && right && ENV_OBJECTS.has(this.textOf(right).replace(/\s+/g, ''))) {
            reads.push({ name, required: false, form: 'membership-test', line: this.lineOf(node.from), node });
          }
        }
      },
    });
    for (const call of this.calls()) {
      const name = this.stringValue(call.args[0]);
      if (name === undefined) continue;
      if (ENV_GETTERS.has(call.callee)) {
        reads.push({ name, required: false, form: 'get', line: call.line, node: call.node });
      } else if (ENV_HELPER.test(call.callee.split('.').pop() ?? '')) {
        reads.push({ name, required: true, form: 'helper', line: call.line, node: call.node });
      }
    }
    return reads.sort((a, b) => a.node.from - b.node.from);
  }

  /** Every string literal in the module with its line (f-strings excluded). */
  strings(): { value: string; line: number }[] {
    this.#strings ??= this.#findStrings();
    return this.#strings;
  }

  #findStrings(): { value: string; line: number }[] {
    const result: { value: string; line: number }[] = [];
    this.tree.iterate({
      enter: (ref) => {
        if (ref.name === 'String') {
          const value = parseStringToken(this.textOf(ref.node));
          if (value !== undefined) result.push({ value, line: this.lineOf(ref.from) });
        }
      },
    });
    return result;
  }

  /** The value of a string literal node (also implicit concatenation), else undefined. */
  stringValue(node: SyntaxNode | null | undefined): string | undefined {
    const value = node ? this.literal(node) : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  /** The value of a literal expression, or undefined when it is not built only from literals. */
  literal(node: SyntaxNode): PyLiteral | undefined {
    switch (node.name) {
      case 'String':
        return parseStringToken(this.textOf(node));
      case 'ContinuedString': {
        let joined = '';
        for (const part of node.getChildren('String')) {
          const value = parseStringToken(this.textOf(part));
          if (value === undefined) return undefined;
          joined += value;
        }
        return node.getChildren('FormatString').length > 0 ? undefined : joined;
      }
      case 'Number': {
        const text = this.textOf(node).replace(/_/g, '');
        const value = Number(text);
        return Number.isFinite(value) && !/[jJ]$/.test(text) ? value : undefined;
      }
      case 'Boolean':
        return this.textOf(node) === 'True';
      case 'None':
        return null;
      case 'UnaryExpression': {
        const operand = node.lastChild;
        const value = operand ? this.literal(operand) : undefined;
        const op = this.textOf(node.firstChild!);
        if (typeof value === 'number' && (op === '-' || op === '+')) return op === '-' ? -value : value;
        return undefined;
      }
      case 'ParenthesizedExpression': {
        const inner = node.firstChild?.nextSibling;
        return inner && inner.name !== ')' ? this.literal(inner) : undefined;
      }
      case 'ArrayExpression':
      case 'TupleExpression':
      case 'SetExpression': {
        const items: PyLiteral[] = [];
        for (let child = node.firstChild; child; child = child.nextSibling) {
          if (['[', ']', '(', ')', '{', '}', ','].includes(child.name)) continue;
          const value = this.literal(child);
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
          if (['{', '}', ','].includes(child.name)) continue;
          if (child.name === ':') {
            expectKey = false;
            continue;
          }
          if (child.name === '**' || child.type.isError) return undefined;
          const value = this.literal(child);
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
        return undefined;
    }
  }
}

/** For `A = B = value`, the node after the last `=`. */
function lastValue(assign: SyntaxNode): SyntaxNode | undefined {
  const ops = assign.getChildren('AssignOp');
  return ops.at(-1)?.nextSibling ?? undefined;
}

/** The value of one Python string token, or undefined for byte and f-strings. */
export function parseStringToken(token: string): string | undefined {
  const match = /^([rRuUbBfF]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(token);
  if (!match) return undefined;
  const prefix = match[1].toLowerCase();
  if (prefix.includes('b') || prefix.includes('f')) return undefined;
  const body = match[3];
  if (prefix.includes('r')) return body;
  return body.replace(/\\(\n|\\|'|"|n|t|r|0|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_, esc: string) => {
    switch (esc[0]) {
      case '\n':
        return '';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'x':
      case 'u':
        return String.fromCharCode(parseInt(esc.slice(1), 16));
      default:
        return esc;
    }
  });
}
