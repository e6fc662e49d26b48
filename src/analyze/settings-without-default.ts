import type { SyntaxNode } from '@lezer/common';
import { SETTING_NAME, atModuleLevel, visitAfterLoad } from './after-load.js';
import type { ConfigLoad } from './config-load.js';
import type { Fact } from './fact.js';
import type { PyLiteral, PyModule } from './python.js';
import type { PythonFiles } from './python-files.js';

/** A setting read after the YAML load (by the settings or the service's code at startup) that nothing defines. */
export interface SettingWithoutDefault {
  name: string;
  /** `file:line` of the first read. */
  source: string;
  /**
   * Set when the service's code reads it rather than the settings: `import` (module level) or
   * `ready()` (an AppConfig's), the time the service stops without it.
   */
  when?: 'import' | 'ready()';
  /** Read as the host of a `(NAME, port)` pair (xqueue: `syslog_addr=(SYSLOG_SERVER, 514)`): a host name. */
  host?: true;
  /** A literal another settings module of the repo (test, local) gives it: the shape to show. */
  example?: { value: PyLiteral; source: string };
  /**
   * The code reads literal keys inside it at startup (`settings.NAME['a']['b']`): a mapping of those
   * keys, each leaf null (its value unknown), since a string there fails at import.
   */
  keysRead?: { [key: string]: PyLiteral };
  /**
   * Every startup read is a truth test (`if settings.DEBUG_TOOLBAR_HOST:`): any non-empty value
   * switches something on, so the example must not invent one.
   */
  truthTest?: true;
}

const BINDING_STATEMENTS = new Set(['ImportStatement', 'FunctionDefinition', 'ClassDefinition', 'ForStatement']);

/** A name the node binds rather than reads: an assignment target, a keyword argument, `as X`, import, def, for. */
function isBinding(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const next = node.nextSibling;
  if (next?.name === 'AssignOp' || next?.name === 'UpdateOp') return true;
  if (node.prevSibling?.name === 'as' || node.prevSibling?.name === 'for') return true;
  if (parent.name === 'ForStatement') return next?.name === 'in' || next?.name === ',';
  return BINDING_STATEMENTS.has(parent.name) && parent.name !== 'ForStatement';
}

/** Every UPPERCASE name a module binds anywhere (module level or not): it may define the setting. */
export function boundNames(module: PyModule): Set<string> {
  const names = new Set(module.assignments().keys());
  module.tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'VariableName') return;
      const name = module.textOf(ref.node);
      if (SETTING_NAME.test(name) && isBinding(ref.node)) names.add(name);
    },
  });
  return names;
}

/** Whether `node` is the first item of a two-item tuple whose second is a number: `(host, port)`. */
function isHostOfPair(node: SyntaxNode): boolean {
  const comma = node.nextSibling;
  const port = comma?.nextSibling;
  return (
    node.parent?.name === 'TupleExpression' &&
    node.prevSibling?.name === '(' &&
    comma?.name === ',' &&
    port?.name === 'Number' &&
    port.nextSibling?.name === ')'
  );
}

/**
 * Settings the production settings read as bare names after loading the YAML, with no
 * definition anywhere in their star-import closure: only the YAML can provide them
 * (`vars().update(config)`), so the example must hold them or the import fails with a
 * NameError. Conservative: a name the settings also spell as a string (`'X' in vars()`) counts
 * as guarded, and when a module star-imports something outside the repo (whose names cannot
 * be read), nothing is reported.
 */
export function detectSettingsWithoutDefault(
  settings: PyModule[],
  python: PythonFiles,
  configLoad: Fact<ConfigLoad | null>,
): SettingWithoutDefault[] {
  // Without a load there is nothing to read after it: skip collecting the bound names.
  if (configLoad.value === null) return [];
  if (settings.some((module) => module.starImports().some((name) => !python.resolveImport(module.file, name)))) {
    return [];
  }
  const bound = new Set(settings.flatMap((module) => [...boundNames(module)]));
  // A name also written as a string is looked up by name somewhere ('X' in vars(), .get('X')):
  // guarded, not required.
  for (const module of settings) for (const string of module.strings()) bound.add(string.value);
  const found = new Map<string, SettingWithoutDefault>();
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (node.name !== 'VariableName') return;
    const name = module.textOf(node);
    if (!SETTING_NAME.test(name) || bound.has(name) || found.has(name) || isBinding(node) || !atModuleLevel(node))
      return;
    const setting: SettingWithoutDefault = { name, source: `${module.file}:${module.lineOf(node.from)}` };
    if (isHostOfPair(node)) setting.host = true;
    found.set(name, setting);
  });
  return [...found.values()];
}
