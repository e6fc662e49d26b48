import type { SyntaxNode } from '@lezer/common';
import type { ConfigLoad } from './config-load.js';
import type { Fact } from './fact.js';
import type { PyModule } from './python.js';

/** A Django setting's name: UPPERCASE. */
export const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

const SCOPES = new Set(['FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);

/** Runs at import time: not inside a function, class or lambda body. */
export function atModuleLevel(node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (SCOPES.has(parent.name)) return false;
  return true;
}

/**
 * Visits every node of the production settings that runs after the YAML load: in the module
 * that loads it (from the line of the load) and in every module executed after that one.
 * `settings` is the star-import closure in execution order; nothing is visited without a load.
 */
export function visitAfterLoad(
  settings: PyModule[],
  configLoad: Fact<ConfigLoad | null>,
  visit: (module: PyModule, node: SyntaxNode) => void,
): void {
  const load = configLoad.value;
  if (configLoad.source === null || load === null) return;
  const loader = settings.findIndex((module) => module.file === load.module);
  if (loader < 0) return;
  for (const module of settings.slice(loader)) {
    module.tree.iterate({
      enter: (ref) => {
        if (module.file === load.module && module.lineOf(ref.from) < load.line) return;
        visit(module, ref.node);
      },
    });
  }
}

/**
 * The names the YAML's dict is bound to where it is loaded (`config_from_yaml = yaml.load(f)`,
 * or `config = load_config(...)` when a helper loads it): the statement at the load's line.
 * Empty when the load feeds `vars().update(...)` directly.
 */
export function yamlDictNames(settings: PyModule[], configLoad: Fact<ConfigLoad | null>): Set<string> {
  const names = new Set<string>();
  const load = configLoad.value;
  const module = load && settings.find((candidate) => candidate.file === load.module);
  if (!load || !module) return names;
  module.tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'AssignStatement' || !atModuleLevel(ref.node)) return;
      if (module.lineOf(ref.from) > load.line || module.lineOf(ref.to) < load.line) return;
      const op = ref.node.getChild('AssignOp');
      for (const target of ref.node.getChildren('VariableName'))
        if (op && target.from < op.from) names.add(module.textOf(target));
    },
  });
  return names;
}

/**
 * When `value` reads the YAML's own key `name` (`config_from_yaml.pop('NAME', {})` or `.get`),
 * the default expression it falls back on, or null without one; undefined for any other value.
 * Such an assignment is how the settings take that key from the YAML: the key is the operator's.
 */
export function yamlKeyRead(
  module: PyModule,
  value: SyntaxNode,
  name: string,
  dicts: ReadonlySet<string>,
): SyntaxNode | null | undefined {
  const args = yamlDictCall(module, value, dicts);
  if (!args || args.length === 0 || args.length > 2 || module.stringValue(args[0]) !== name) return undefined;
  return args[1] ?? null;
}

/**
 * The arguments of a `<dict>.get(...)` or `<dict>.pop(...)` call on one of `dicts` (the variables
 * holding the loaded YAML); undefined for any other node.
 */
export function yamlDictCall(module: PyModule, node: SyntaxNode, dicts: ReadonlySet<string>): SyntaxNode[] | undefined {
  if (node.name !== 'CallExpression' || dicts.size === 0) return undefined;
  const callee = node.firstChild;
  const match = callee && /^(\w+)\.(?:get|pop)$/.exec(module.textOf(callee).replace(/\s+/g, ''));
  if (!match || !dicts.has(match[1])) return undefined;
  const args: SyntaxNode[] = [];
  for (let child = node.getChild('ArgList')?.firstChild; child; child = child.nextSibling)
    if (!['(', ')', ',', 'Comment'].includes(child.name)) args.push(child);
  return args;
}
