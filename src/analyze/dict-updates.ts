import type { SyntaxNode } from '@lezer/common';
import { SETTING_NAME, atModuleLevel, visitAfterLoad } from './after-load.js';
import type { ConfigLoad } from './config-load.js';
import type { Fact } from './fact.js';
import type { PyModule } from './python.js';

/** A dict setting the production settings update in place with the YAML's value of the same name. */
export interface DictUpdate {
  name: string;
  /** `file:line` of the `NAME.update(...)` call. */
  source: string;
}

/** Whether the expression spells the string `name` (`config.pop('JWT_AUTH', {})`). */
function spells(module: PyModule, node: SyntaxNode, name: string): boolean {
  let found = false;
  module.tree.iterate({
    from: node.from,
    to: node.to,
    enter: (ref) => {
      if (ref.name === 'String' && ref.from >= node.from && ref.to <= node.to)
        found ||= module.stringValue(ref.node) === name;
    },
  });
  return found;
}

/**
 * Dict settings updated after the YAML load with the YAML's value of the same name, outside
 * DICT_UPDATE_KEYS: analytics-data-api's `JWT_AUTH_CONFIG = config_from_yaml.pop('JWT_AUTH', {})`
 * then `JWT_AUTH.update(JWT_AUTH_CONFIG)`. The YAML's dict is merged into the default, key by
 * key, instead of replacing it. The argument must name the key (directly or through one
 * variable): `JWT_AUTH.update({...})` with the code's own values merges nothing from the YAML.
 */
export function detectDictUpdates(settings: PyModule[], configLoad: Fact<ConfigLoad | null>): DictUpdate[] {
  const found = new Map<string, DictUpdate>();
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (node.name !== 'CallExpression' || !atModuleLevel(node)) return;
    const match = /^([A-Z][A-Z0-9_]*)\.update$/.exec(module.textOf(node.firstChild!).replace(/\s+/g, ''));
    const name = match?.[1];
    const args = node.getChild('ArgList');
    const arg = args?.firstChild?.nextSibling;
    if (!name || !SETTING_NAME.test(name) || !arg || arg.name === ')' || found.has(name)) return;
    const assigned = arg.name === 'VariableName' ? module.assignments().get(module.textOf(arg))?.value : undefined;
    if (spells(module, arg, name) || (assigned && spells(module, assigned, name)))
      found.set(name, { name, source: `${module.file}:${module.lineOf(node.from)}` });
  });
  return [...found.values()];
}
