import type { SyntaxNode } from '@lezer/common';
import { SETTING_NAME, atModuleLevel, visitAfterLoad, yamlDictCall, yamlDictNames } from './after-load.js';
import type { ConfigLoad } from './config-load.js';
import type { AnalysisWarning, Fact } from './fact.js';
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
  /** Under an `if` (`if CELERY_BROKER_HOSTNAME:`): rebuilt in one configuration only. */
  conditional?: true;
  /** The value's text spells a port after a host (`'redis://{}:6379/0'`): a host input is a bare host. */
  literalPort?: true;
}

/**
 * The UPPERCASE YAML keys an expression reads straight from the loaded YAML, in source order, each
 * once: `config_from_yaml.get('REDIS_HOST', 'localhost')`, `config_from_yaml['REDIS_HOST']`.
 */
function yamlKeysRead(module: PyModule, from: number, to: number, variables: ReadonlySet<string>): string[] {
  const keys: string[] = [];
  const add = (key: string | undefined) => {
    if (key !== undefined && SETTING_NAME.test(key) && !keys.includes(key)) keys.push(key);
  };
  module.tree.iterate({
    from,
    to,
    enter: (ref) => {
      if (ref.from < from || ref.to > to) return;
      const node = ref.node;
      if (node.name === 'CallExpression') {
        const first = yamlDictCall(module, node, variables)?.[0];
        if (first?.name === 'String') add(module.stringValue(first));
      } else if (node.name === 'MemberExpression' && node.getChild('[')) {
        const base = node.firstChild;
        const key = node.getChild('[')!.nextSibling;
        if (base?.name === 'VariableName' && variables.has(module.textOf(base)) && key?.name === 'String')
          add(module.stringValue(key));
      }
    },
  });
  return keys;
}

/**
 * Whether a string of the value (not a call's argument, such as a default) spells a port after a
 * host or placeholder: `'redis://{}:6379/0'`, `f'redis://{HOST}:6379'`, `':6379'`.
 */
function spellsPort(module: PyModule, value: SyntaxNode): boolean {
  let found = false;
  module.tree.iterate({
    from: value.from,
    to: value.to,
    enter: (ref) => {
      if (ref.from < value.from || ref.to > value.to) return undefined;
      if (ref.name === 'ArgList') return false;
      if (ref.name === 'String' || ref.name === 'FormatString')
        found ||= /(?:[}\w]|^[rbfuRBFU]*['"]):\d{2,5}(?!\d)/.test(module.text.slice(ref.from, ref.to));
      return undefined;
    },
  });
  return found;
}

/** Whether `node` is in the body of an `if` (at module level: no function encloses it). */
function underIf(node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent.name === 'IfStatement') return true;
  return false;
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
  const variables = yamlDictNames(settings, configLoad);
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (node.name !== 'AssignStatement' || !atModuleLevel(node)) return;
    const op = node.getChild('AssignOp');
    const value = op?.nextSibling;
    const targets = node.getChildren('VariableName').filter((target) => op && target.from < op.from);
    if (!op || !value || targets.length !== 1) return;
    const name = module.textOf(targets[0]);
    if (!SETTING_NAME.test(name)) return;
    // `X = environ.get('X', X)` keeps the YAML's own X: not rebuilt from other settings.
    // A key read straight from the loaded YAML is one the operator sets, as a setting read is.
    const read = namesRead(module, value.from, value.to);
    const inputs = [
      ...read,
      ...yamlKeysRead(module, value.from, value.to, variables).filter((key) => !read.includes(key)),
    ];
    if (inputs.length === 0 || inputs.includes(name)) return;
    found.set(name, {
      name,
      inputs,
      source: `${module.file}:${module.lineOf(node.from)}`,
      ...(underIf(node) ? { conditional: true as const } : {}),
      ...(spellsPort(module, value) ? { literalPort: true as const } : {}),
    });
  });
  return [...found.values()];
}

/** The settings Celery reads its broker URL from (3: BROKER_URL, 4+: CELERY_BROKER_URL). */
const BROKER_URLS = new Set(['CELERY_BROKER_URL', 'BROKER_URL']);

/**
 * Broker URLs the settings assign after the YAML load in a way the example cannot follow: under an
 * `if` (`if CELERY_BROKER_HOSTNAME: CELERY_BROKER_URL = f'redis://{CELERY_BROKER_HOSTNAME}/0'`:
 * whether the YAML's URL counts depends on the parts), or from nothing the YAML sets (an
 * environment read, a literal): the example then has no broker key that works.
 */
export function detectUnfollowedBrokerUrls(
  settings: PyModule[],
  configLoad: Fact<ConfigLoad | null>,
  rebuilt: RebuiltSetting[],
): AnalysisWarning[] {
  const last = new Map<string, { source: string; conditional: boolean; readsItself: boolean }>();
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (node.name !== 'AssignStatement' || !atModuleLevel(node)) return;
    const op = node.getChild('AssignOp');
    const value = op?.nextSibling;
    const target = node.getChildren('VariableName').find((candidate) => op && candidate.from < op.from);
    const name = target ? module.textOf(target) : '';
    if (!value || !BROKER_URLS.has(name)) return;
    last.set(name, {
      source: `${module.file}:${module.lineOf(node.from)}`,
      conditional: underIf(node),
      readsItself: namesRead(module, value.from, value.to).includes(name),
    });
  });
  const warnings: AnalysisWarning[] = [];
  for (const [name, assignment] of last) {
    const url = rebuilt.find((setting) => setting.name === name && setting.source === assignment.source);
    if (url?.conditional)
      warnings.push({
        message:
          `${name} is built from ${url.inputs.join(', ')} under an if after the YAML load, which is not followed: ` +
          `the example's ${name} is ignored when the settings rebuild it; check which the YAML must set`,
        source: assignment.source,
      });
    else if (!url && !assignment.readsItself && !assignment.conditional)
      warnings.push({
        message:
          `${name} is assigned after the YAML load from nothing the YAML sets, which is not followed: ` +
          'the example has no broker key that works; check how the settings build it',
        source: assignment.source,
      });
  }
  return warnings;
}
