import { SETTING_NAME, atModuleLevel, visitAfterLoad } from './after-load.js';
import type { ConfigLoad } from './config-load.js';
import type { Fact } from './fact.js';
import type { PyModule } from './python.js';

/**
 * A setting the production settings build again after loading the YAML from other settings
 * (enterprise-catalog: `CELERY_BROKER_URL = '{}://{}:{}@{}/{}'.format(CELERY_BROKER_TRANSPORT,
 * CELERY_BROKER_USER, ...)`): the YAML cannot set it, but it sets the parts.
 */
export interface RebuiltSetting {
  name: string;
  /** The UPPERCASE names the new value reads, in source order: what the operator sets instead. */
  inputs: string[];
  /** `file:line` of the assignment. */
  source: string;
}

/** The UPPERCASE names an expression reads, in source order, each once. */
function namesRead(module: PyModule, from: number, to: number): string[] {
  const names: string[] = [];
  module.tree.iterate({
    from,
    to,
    enter: (ref) => {
      if (ref.from < from || ref.to > to || ref.name !== 'VariableName') return;
      const name = module.text.slice(ref.from, ref.to);
      if (SETTING_NAME.test(name) && !names.includes(name)) names.push(name);
    },
  });
  return names;
}

/**
 * Module-level assignments after the YAML load whose value reads other settings; the last one
 * of a name wins, as it does when the settings run.
 */
export function detectRebuiltSettings(settings: PyModule[], configLoad: Fact<ConfigLoad | null>): RebuiltSetting[] {
  const found = new Map<string, RebuiltSetting>();
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (node.name !== 'AssignStatement' || !atModuleLevel(node)) return;
    const op = node.getChild('AssignOp');
    const value = op?.nextSibling;
    const targets = node.getChildren('VariableName').filter((target) => op && target.from < op.from);
    if (!op || !value || targets.length !== 1) return;
    const name = module.textOf(targets[0]);
    if (!SETTING_NAME.test(name)) return;
    // `X = environ.get('X', X)` keeps the YAML's own X: not rebuilt from other settings.
    const inputs = namesRead(module, value.from, value.to);
    if (inputs.length === 0 || inputs.includes(name)) return;
    found.set(name, { name, inputs, source: `${module.file}:${module.lineOf(node.from)}` });
  });
  return [...found.values()];
}
