import { IdaError } from '../../errors.js';
import { Jinja, TemplateSyntaxOrRenderError } from './jinja.js';
import { type VarsFile, lineKey } from './vars-file.js';
import { type Dict, Unresolved, UnsafeText, VaultEncrypted, deepCopy, isDict, pyStr } from './values.js';

/** A template in the configuration (or in a vars file) that does not parse or render. */
export class JinjaError extends IdaError {
  constructor(where: string, why: string) {
    super(
      `Jinja error at ${where}: ${why}`,
      'fix the template or the variable it reads (your vars file wins), then run again',
    );
  }
}

/** Where a value was read: the variable, the path inside it, and its layer's file. */
interface Origin {
  layer: VarsFile;
  name: string;
  path: (string | number)[];
}

/** What Ansible defines itself, whatever the roles say. */
const BUILTINS: Dict = { ansible_managed: 'Ansible managed', omit: '__omit_place_holder__' };
/** Names nunjucks (or the Python compatibility) answers without the context. */
const LANGUAGE_NAMES = new Set(['True', 'False', 'None', 'true', 'false', 'none', 'range', 'cycler', 'joiner', 'loop']);
/** A single `{{ expression }}`: Ansible keeps its value's type. */
const SINGLE_EXPRESSION = /^\s*\{\{((?:(?!\{\{|\}\})[\s\S])*)\}\}\s*$/;

/**
 * Variables in layers, lowest precedence first (common vars and role defaults, role
 * parameters, the operator's vars files), resolved lazily and recursively as Ansible does:
 * a variable's value is templated when something reads it, in the same scope.
 */
export class Scope {
  private readonly memo = new Map<string, unknown>();
  private readonly resolving: string[] = [];
  /** Where each undefined variable was read (file:line of the template that reads it). */
  private readonly reads = new Map<string, Set<string>>();
  /** Undefined variables whose placeholder reached the output (a `default()` keeps one out). */
  private readonly reached = new Map<string, Set<string>>();
  private current: Origin | null = null;

  constructor(
    private readonly jinja: Jinja,
    private readonly layers: VarsFile[],
  ) {}

  /** Variables whose placeholder reached the output, with where they were read. */
  get unresolved(): Map<string, Set<string>> {
    return new Map([...this.reached].map(([name, places]) => [name, this.reads.get(name) ?? places]));
  }

  /** The highest layer that defines `name`. */
  layerOf(name: string): VarsFile | undefined {
    for (let index = this.layers.length - 1; index >= 0; index--)
      if (Object.hasOwn(this.layers[index]!.vars, name)) return this.layers[index];
    return undefined;
  }

  /** The templated value of a variable; an Unresolved marker when no layer defines it. */
  resolve(name: string): unknown {
    if (this.memo.has(name)) return this.memo.get(name);
    const layer = this.layerOf(name);
    if (!layer) return Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : new Unresolved(name);
    if (this.resolving.includes(name)) {
      throw new JinjaError(
        this.where({ layer, name, path: [] }),
        `recursive loop: ${[...this.resolving, name].join(' -> ')}`,
      );
    }
    this.resolving.push(name);
    try {
      const value = this.template(layer.vars[name], { layer, name, path: [] });
      this.memo.set(name, value);
      return value;
    } finally {
      this.resolving.pop();
    }
  }

  /** Templates a value read at `origin`: strings rendered, lists and dicts recursively. */
  template(value: unknown, origin: Origin): unknown {
    if (value instanceof UnsafeText) return value.text;
    if (value instanceof VaultEncrypted) return new Unresolved(`${origin.name} (encrypted with ansible-vault)`);
    if (Array.isArray(value))
      return value.map((item, index) => this.template(item, { ...origin, path: [...origin.path, index] }));
    if (isDict(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          this.template(item, { ...origin, path: [...origin.path, key] }),
        ]),
      );
    }
    if (typeof value !== 'string' || !/\{\{|\{%/.test(value)) return value;
    return this.renderString(value, origin);
  }

  /** Renders a template text read at `origin` (a template file is one origin too). */
  renderString(source: string, origin: Origin): unknown {
    const previous = this.current;
    this.current = origin;
    try {
      const single = SINGLE_EXPRESSION.exec(source);
      if (single) {
        const value = this.jinja.evaluate(single[1]!, this.context(source), (marker) => this.record(marker));
        // Ansible (without jinja2_native) keeps the type of a variable read as it is written;
        // anything computed, or read from a variable that is itself a template, is text read
        // back as a list, dict, boolean or None, so a number comes out a string (ansible-core 2.14:
        // A: 60 gives '{{ A }}' 60 but '{{ A | int }}' and B: '{{ A }}' then '{{ B }}' "60").
        const bare = /^\s*([A-Za-z_]\w*)\s*$/.exec(single[1]!)?.[1];
        const raw = bare === undefined ? undefined : this.layerOf(bare)?.vars[bare];
        const asWritten = bare !== undefined && !(typeof raw === 'string' && /\{\{|\{%/.test(raw));
        return typeof value === 'number' && !asWritten ? pyStr(value) : value;
      }
      const text = this.jinja.render(source, this.context(source), (marker) => this.record(marker));
      // Ansible turns a rendered "True"/"False" back into a boolean.
      return text === 'True' ? true : text === 'False' ? false : text;
    } catch (error) {
      if (error instanceof TemplateSyntaxOrRenderError)
        throw new JinjaError(this.where(origin, error.line), error.message);
      throw error;
    } finally {
      this.current = previous;
    }
  }

  /** Records the unresolved values left in a final value and replaces them with their placeholders. */
  finish(value: unknown): unknown {
    if (value instanceof Unresolved || value instanceof VaultEncrypted) {
      this.record(value);
      return value.toString();
    }
    if (Array.isArray(value)) return value.filter((item) => item !== BUILTINS.omit).map((item) => this.finish(item));
    if (isDict(value))
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, item]) => item !== BUILTINS.omit)
          .map(([key, item]) => [key, this.finish(item)]),
      );
    return value;
  }

  private context(source: string): Dict {
    const context: Dict = {};
    for (const name of this.jinja.names(source)) {
      if (LANGUAGE_NAMES.has(name) || name.startsWith('__')) continue;
      const value = this.resolve(name);
      if (value instanceof Unresolved && value.name === name && this.current)
        addTo(this.reads, name, this.where(this.current));
      // A copy: `{% do config.pop(key) %}` must not change the variable for other readers.
      context[name] = deepCopy(value);
    }
    context.lookup = (...args: unknown[]) => new Unresolved(`lookup(${args.map(String).join(', ')})`);
    context.query = context.lookup;
    return context;
  }

  private record(marker: Unresolved | VaultEncrypted): void {
    const name = marker instanceof Unresolved ? marker.name : 'a value encrypted with ansible-vault';
    addTo(this.reached, name, this.current ? this.where(this.current) : 'the service config');
  }

  private where(origin: Origin, templateLine: number | null = null): string {
    const lines = origin.layer.lines;
    let line: number | undefined;
    for (let depth = origin.path.length; depth >= 0 && line === undefined; depth--)
      line = lines.get(lineKey(origin.name, origin.path.slice(0, depth)));
    const at =
      line === undefined ? '' : `:${line + (templateLine !== null && templateLine > 1 ? templateLine - 1 : 0)}`;
    const inside = origin.path.length > 0 ? `.${origin.path.join('.')}` : '';
    return `${origin.layer.file}${at} (${origin.name}${inside})`;
  }
}

function addTo(map: Map<string, Set<string>>, name: string, where: string): void {
  let places = map.get(name);
  if (!places) map.set(name, (places = new Set()));
  places.add(where);
}

/** A template file as an origin: a layer of its own so errors name the file. */
export function templateOrigin(file: string): Origin {
  return { layer: { file, vars: {}, lines: new Map([[lineKey('template', []), 1]]) }, name: 'template', path: [] };
}
